# Seed (vuer's async tutorial, "Canceling Tasks"): a ticking task is cancelled after three
# ticks; its finally runs and awaiting it raises CancelledError. An event marks the third tick
# instead of a 2.5 s sleep, so no clock margin decides the trace.
import asyncio


async def main():
    third = asyncio.Event()

    async def long_task():
        try:
            for i in range(100):
                print(f"Tick {i}")
                if i == 2:
                    third.set()
                await asyncio.sleep(0.1)
        finally:
            print("cleanup")

    task = asyncio.create_task(long_task())
    await third.wait()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"awaiting it raises {type(e).__name__}")
    print(f"cancelled: {'yes' if task.cancelled() else 'no'}")


asyncio.run(main())
