# Issue 11, item 7: when main raises, the remaining tasks are cancelled and their finally
# blocks run before the run ends with status 1.
import asyncio


async def worker():
    try:
        await asyncio.sleep(60)
    finally:
        print("worker finally")


async def main():
    asyncio.create_task(worker())
    await asyncio.sleep(0.02)
    print("main raises")
    raise RuntimeError("main failed")


asyncio.run(main())
