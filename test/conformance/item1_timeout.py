# Issue 11, item 1: timeout() converts only its own cancellation, and once its deadline has
# fired it withdraws its request on the way out, even when the body swallowed the cancel.
import asyncio


async def in_time():
    await asyncio.sleep(0.01)
    return 42


async def main():
    try:
        async with asyncio.timeout(0.02):
            await asyncio.sleep(10)
    except TimeoutError as e:
        print(f"expired: {type(e).__name__}")
    async with asyncio.timeout(10):
        v = await in_time()
    print(f"in time: {v}")
    async with asyncio.timeout(0.02):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError as e:
            print(f"body swallows {type(e).__name__}")
        value = "body's value"
    print(f"{value}, cancelling = {asyncio.current_task().cancelling()}")
    await asyncio.sleep(0)
    print("the next await is not cancelled")


asyncio.run(main())
