# Seed (vuer's async tutorial, "Async in Vuer"): a background counter spawned from main,
# main's own loop, then main awaits the counter. Main ticks every 30 ms, the counter every
# 300 ms: ten times apart, so load cannot reorder them.
from asyncio import sleep

from vuer import Vuer, VuerSession
from vuer.schemas import Box

app = Vuer()


async def background_counter():
    for i in range(3):
        print(f"Background: {i}")
        await sleep(0.3)


@app.spawn(start=True)
async def main(sess: VuerSession):
    task = sess.spawn_task(background_counter())
    for i in range(3):
        print(f"Main: {i}")
        sess.upsert @ Box(key="box", args=[0.1, 0.1, 0.1], position=[0.1 * i, 0.05, 0], color="red")
        await sleep(0.03)
    await task
    print("Done!")
