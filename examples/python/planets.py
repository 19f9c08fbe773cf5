"""Plain asyncio plus vuer nodes: one task per planet, grouped in a TaskGroup (Python 3.11+).

Every planet is its own task in the Scene view, under `main`. Click a
planet in the viewer to stop its orbit (its task is cancelled, the others go on), or
cancel a task from the Scene view. A point cloud of stars travels as binary; it is built
from plain lists, so numpy is not needed.
"""
import asyncio
import math
import random

from vuer import Vuer, VuerSession
from vuer.schemas import PointCloud, Scene, Sphere

app = Vuer()
PLANETS = [("mercury", 0.4, 0.04, "#b1adad", 4.0), ("venus", 0.7, 0.07, "#e3bb76", 1.6), ("earth", 1.0, 0.08, "#4f7cff", 1.0), ("mars", 1.4, 0.06, "#c1440e", 0.53)]
orbit_tasks = {}


async def orbit(sess, key, radius, size, color, speed):
    angle = random.uniform(0, 2 * math.pi)
    try:
        while True:
            angle += 0.02 * speed
            sess.upsert @ Sphere(args=[size, 24, 16], position=[radius * math.cos(angle), 0, radius * math.sin(angle)], color=color, key=key)
            await asyncio.sleep(1 / 60)
    finally:
        print(f"{key} stopped")


async def orbits(sess):
    async with asyncio.TaskGroup() as tg:
        for key, radius, size, color, speed in PLANETS:
            orbit_tasks[key] = tg.create_task(orbit(sess, key, radius, size, color, speed), name=f"orbit {key}")


@app.add_handler("CLICK")
async def on_click(event, sess):
    task = orbit_tasks.get(event.key)
    if task and not task.done():
        task.cancel()


@app.spawn(start=True)
async def main(sess: VuerSession):
    rng = random.Random(7)
    stars = [[rng.uniform(-5, 5), rng.uniform(-5, 5), rng.uniform(-5, 5)] for _ in range(2000)]
    sess.set @ Scene(
        Sphere(args=[0.2, 32, 16], color="#ffcc33", materialType="basic", key="sun"),
        PointCloud(vertices=stars, colors=[[1.0, 1.0, 1.0]] * len(stars), size=0.02, key="stars"),
    )
    await orbits(sess)  # returns when every orbit has been cancelled
    print("all planets stopped")


app.run()
