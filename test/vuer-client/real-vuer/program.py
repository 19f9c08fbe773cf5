"""A vuer program for the real vuer server (not our bundled package): a lit red box, a cloud of
green points sent as vuer sends them (float16 vertex bytes, uint8 colors), then a blue sphere
upserted a moment later; then it asks the connected viewer for a render (GRAB_RENDER) and prints
what came back. Run by real-vuer.test.mjs as: python3 program.py <port>."""

import asyncio
import sys

import numpy as np
from vuer import Vuer, VuerSession
from vuer.schemas import Box, DefaultScene, PointCloud, Sphere

port = int(sys.argv[1])
app = Vuer(host="127.0.0.1", port=port)

# A 40 x 40 grid of points, a metre wide, standing upright behind the box.
xs, ys = np.meshgrid(np.linspace(-2.5, -1.5, 40), np.linspace(0, 1, 40))
vertices = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, -0.5)], axis=1)
colors = np.tile(np.array([[0, 255, 0]], dtype=np.uint8), (xs.size, 1))


@app.spawn(start=True)
async def main(sess: VuerSession):
  sess.set @ DefaultScene(
    Box(key="box", args=[1, 1, 1], position=[0, 0.5, 0], material=dict(color="red")),
    PointCloud(key="points", vertices=vertices, colors=colors, size=0.05),
  )
  await asyncio.sleep(0.3)
  sess.upsert @ Sphere(key="ball", args=[0.4, 32, 16], position=[1.5, 0.4, 0], material=dict(color="#2266ff"))
  await asyncio.sleep(0.5)
  try:
    event = await sess.grab_render(key="DEFAULT", ttl=20)
    value = event.value or {}
    frame = value.get("frame") or b""
    print(f"GRAB_RENDER ok {len(frame)} bytes {value.get('width')}x{value.get('height')} key={event.key}", flush=True)
  except asyncio.TimeoutError:
    print("GRAB_RENDER timed out", flush=True)
  while True:
    await asyncio.sleep(1)
