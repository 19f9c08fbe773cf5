# scheduler.spawn: N tasks, each awaiting one zero sleep, all awaited.
# The same program as spawn.ts, on CPython's asyncio. Prints one JSON line {"n", "ms", "cpuMs"}.
import asyncio
import json
import os
import time

N = int(os.environ.get("BENCH_N", "100000"))


async def worker():
    await asyncio.sleep(0)


async def main():
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    tasks = [asyncio.create_task(worker()) for _ in range(N)]
    await asyncio.gather(*tasks)
    ms = (time.perf_counter() - t0) * 1000
    cpu_ms = (time.process_time() - cpu0) * 1000
    finished = sum(1 for t in tasks if t.done() and not t.cancelled())
    print(json.dumps({"n": N, "finished": finished, "ms": ms, "cpuMs": cpu_ms}), flush=True)


asyncio.run(main())
