# Issue 11, item 7: when main returns, the tasks it left running are cancelled, their finally
# blocks run (awaits in them included), and then the run ends.
import asyncio


async def ticker():
    try:
        i = 0
        while True:
            print(f"tick {i}")
            i += 1
            await asyncio.sleep(1)
    finally:
        print("ticker: cleaning up")
        await asyncio.sleep(0.01)
        print("ticker: cleaned up")


async def main():
    asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    print("main returns")


asyncio.run(main())
