# main cancels itself: python3 prints the CancelledError traceback and exits 1.
import asyncio


async def main():
    asyncio.current_task().cancel()
    await asyncio.sleep(0)


asyncio.run(main())
