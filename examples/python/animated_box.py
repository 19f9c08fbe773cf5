"""A red box circling the origin while a background task keeps counting.

Written the way vuer programs are written: run it with Scene Runner (the ▶ Run Scene
lens in VS Code, or `npx scene-runner run examples/python/animated_box.py`); nothing to
install. The background task shows in the Scene view under `main`; cancel it there
and its `finally` block reports how far it got.
"""
import asyncio
import math

from vuer import Vuer, VuerSession
from vuer.schemas import AmbientLight, Box, DirectionalLight, Scene

app = Vuer(queries=dict(reconnect=True, collapseMenu=True))


async def heartbeat():
    beats = 0
    try:
        while True:
            print(f"heartbeat {beats}")
            beats += 1
            await asyncio.sleep(1.0)
    finally:
        print(f"heartbeat stopped after {beats} beats")


@app.spawn(start=True)
async def main(sess: VuerSession):
    sess.set @ Scene(
        Box(args=[2, 0.02, 2], position=[0, -0.01, 0], color="#888", key="floor"),
        rawChildren=[AmbientLight(intensity=0.5, key="ambient"), DirectionalLight(position=[2, 4, 3], key="sun")],
    )
    beat = sess.spawn_task(heartbeat())
    for frame in range(600):  # ten seconds at 60 frames per second
        theta = frame * 0.05
        sess.upsert @ Box(
            args=[0.1, 0.1, 0.1],
            position=[0.5 * math.cos(theta), 0.05, 0.5 * math.sin(theta)],
            rotation=[0, -theta, 0],
            color="red",
            materialType="standard",
            key="animated-box",
        )
        await asyncio.sleep(1 / 60)
    beat.cancel()


app.run()
