# Issue 11, item 5: a task waiting on something outside the runtime (here a plain promise on a
# Node timer; in Python a thread) when main returns: the session ends only after its body has
# exited, and the body still sees CancelledError.
import asyncio
import time


async def main():
    loop = asyncio.get_running_loop()

    async def worker():
        try:
            await loop.run_in_executor(None, time.sleep, 0.2)
            await asyncio.sleep(0)
            print("worker: not cancelled")
        except asyncio.CancelledError as e:
            print(f"worker: {type(e).__name__}")
        finally:
            print("worker finally")

    asyncio.create_task(worker())
    await asyncio.sleep(0.02)
    print("main returns")


asyncio.run(main())
