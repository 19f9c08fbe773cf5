# scheduler.cancel: N tasks sleeping for an hour, all cancelled, all settled.
# The same program as cancel.ts, on CPython's asyncio. Prints one JSON line {"n", "cancelled", "ms", "cpuMs"}.
import asyncio
import json
import os
import time

N = int(os.environ.get("BENCH_N", "100000"))
HOUR = 3600


async def sleeper():
    await asyncio.sleep(HOUR)


async def main():
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    tasks = [asyncio.create_task(sleeper()) for _ in range(N)]
    await asyncio.sleep(0)  # every task starts and goes to sleep
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    ms = (time.perf_counter() - t0) * 1000
    cpu_ms = (time.process_time() - cpu0) * 1000
    cancelled = sum(1 for t in tasks if t.cancelled())
    print(json.dumps({"n": N, "cancelled": cancelled, "ms": ms, "cpuMs": cpu_ms}), flush=True)


asyncio.run(main())
