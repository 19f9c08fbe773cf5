# Issue 11, item 1: a task that once swallowed a cancel (cancelling() stays 1) still gets
# TimeoutError from a later timeout: the count is compared with the one at entry.
# conformance: requires python 3.12 (3.11's Timeout compares with 0)
import asyncio


async def main():
    waiting = asyncio.Event()

    async def body():
        try:
            waiting.set()
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            print(f"swallowed {type(e).__name__}")
        print(f"cancelling = {asyncio.current_task().cancelling()}")
        try:
            async with asyncio.timeout(0.02):
                await asyncio.sleep(10)
        except (TimeoutError, asyncio.CancelledError) as e:
            print(f"later timeout: {type(e).__name__}")
        print(f"cancelling = {asyncio.current_task().cancelling()}")

    t = asyncio.create_task(body())
    await waiting.wait()
    t.cancel()
    await t


asyncio.run(main())
