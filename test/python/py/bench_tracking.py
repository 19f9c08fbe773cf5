"""Cost of task tracking: N trivial tasks with plain asyncio, then with the tracker and a
real socket drained by another process (as the supervisor would). Not a unit test:

    python3 test/python/py/bench_tracking.py [N]
"""
import asyncio
import socket
import subprocess
import sys
import time

import host  # noqa: F401 - puts python/ on sys.path
from scene_runner.channel import Channel
from scene_runner.session import Session

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


async def leaf(i):
    await asyncio.sleep(0)
    return i


async def many():
    return sum(await asyncio.gather(*[asyncio.create_task(leaf(i)) for i in range(N)]))


def best_of(runs=3):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        asyncio.run(many())
        times.append(time.perf_counter() - t0)
    return min(times)


plain = best_of()
ours, theirs = socket.socketpair()
drain = subprocess.Popen(["cat"], stdin=theirs, stdout=subprocess.DEVNULL)
session = Session(Channel(ours), "bench")
session.tracker.install()
session.channel.install_batching()
tracked = best_of()
print("%d tasks: plain %.3fs, tracked %.3fs: +%.1f us per task (%.2fx)" % (N, plain, tracked, (tracked - plain) / N * 1e6, tracked / plain))
