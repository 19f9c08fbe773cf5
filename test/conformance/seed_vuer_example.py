# Seed (vuer-async-example): an endless background task, an animation loop in main that
# upserts a box, then main cancels the background task and returns.
import asyncio
import math

from vuer import Vuer
from vuer.schemas import Box

app = Vuer(queries=dict(reconnect=True, collapseMenu=True))


async def background_task(session):
    count = 0
    try:
        while True:
            print(f"Background task running: {count}")
            count += 1
            await asyncio.sleep(1.0)
    finally:
        print(f"background task stopped after {count}")


@app.spawn(start=True)
async def main(session):
    task = session.spawn_task(background_task(session))
    for i in range(4):
        theta = i * 0.1
        session.upsert @ Box(args=[0.1, 0.1, 0.1], position=[0.5 * math.cos(theta), 0.05, 0.5 * math.sin(theta)], color="red", materialType="standard", key="animated-box")
        await asyncio.sleep(0.05)
    task.cancel()
    print("main done")


app.run()
