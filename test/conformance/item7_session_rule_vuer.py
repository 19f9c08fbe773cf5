# Issue 11, item 7, the vuer form: main returns while a spawned task runs; it is cancelled and
# its finally runs (vuer's close_ws cancels a session's tasks the same way).
import asyncio

from vuer import Vuer, VuerSession

app = Vuer()


async def background():
    try:
        await asyncio.sleep(60)
    finally:
        print("background: finally")


@app.spawn(start=True)
async def main(sess: VuerSession):
    sess.spawn_task(background())
    await asyncio.sleep(0.02)
    print("main returns")
