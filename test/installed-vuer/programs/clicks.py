"""An ordinary vuer program, run by installed-vuer-e2e.test.mjs on the REAL vuer through
`scene-runner run --vuer installed`: its own Vuer() server, bound to 127.0.0.1 on VUER_PORT
(vuer reads it itself). A red box (unlit: plain red pixels) and a blue sphere; a background
task that ticks, a CLICK handler that prints the key and spawns a task of its own, and a
`finally` that says when the session's main was cancelled (the host's Stop)."""

import asyncio

from vuer import Vuer, VuerSession
from vuer.schemas import Box, DefaultScene, Sphere

app = Vuer(host="127.0.0.1")


async def ticker():
  n = 0
  while True:
    n += 1
    await asyncio.sleep(0.5)


async def flash(sess: VuerSession):
  sess.upsert @ Sphere(key="ball", args=[0.3, 32, 16], position=[1.4, 0.3, 0], materialType="basic", color="#00ff00")
  await asyncio.sleep(0)


@app.add_handler("CLICK")
async def on_click(event, sess):
  print(f"clicked {event.key}", flush=True)
  sess.spawn_task(flash(sess), name="flash")


@app.spawn(start=True)
async def main(sess: VuerSession):
  sess.set @ DefaultScene(
    Box(key="box", args=[1, 1, 1], position=[0, 0.5, 0], materialType="basic", color="#ff0000"),
    Sphere(key="ball", args=[0.3, 32, 16], position=[1.4, 0.3, 0], materialType="basic", color="#2244ff"),
  )
  sess.spawn_task(ticker(), name="ticker")
  print("main started", flush=True)
  try:
    while True:
      await asyncio.sleep(1)
  finally:
    print("main finally", flush=True)
