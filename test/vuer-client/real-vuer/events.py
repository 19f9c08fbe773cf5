"""A vuer program for the real vuer server that reports the events it gets: a clickable red box
(unlit, so its pixels are plain red), and handlers for CLICK, KeyDown and CAMERA_MOVE that print
one line each (CAMERA_MOVE once), and a slider-style SET. Run by real-vuer.test.mjs as:
python3 events.py <port>."""

import asyncio
import json
import sys

from vuer import Vuer, VuerSession
from vuer.schemas import Box, DefaultScene

port = int(sys.argv[1])
app = Vuer(host="127.0.0.1", port=port)
seen_camera = False


def report(kind, event):
  print(json.dumps({"kind": kind, "etype": event.etype, "key": getattr(event, "key", None), "value": event.value}, default=str), flush=True)


@app.add_handler("CLICK")
async def on_click(event, session):
  report("click", event)


@app.add_handler("KeyDown")
async def on_key(event, session):
  report("key", event)


@app.add_handler("CAMERA_MOVE")
async def on_camera(event, session):
  global seen_camera
  if not seen_camera:
    seen_camera = True
    report("camera", event)


@app.spawn(start=True)
async def main(sess: VuerSession):
  sess.set @ DefaultScene(Box(key="box", args=[1, 1, 1], position=[0, 0.5, 0], materialType="basic", color="#ff0000"))
  print(json.dumps({"kind": "ready"}), flush=True)
  while True:
    await asyncio.sleep(1)
