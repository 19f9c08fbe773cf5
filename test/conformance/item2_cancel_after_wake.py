# Issue 11, item 2: cancel() of a task that was just woken (ev.set(); t.cancel() in one step)
# is delivered at its wait: its finally runs before `await t` returns.
import asyncio


async def main():
    ev = asyncio.Event()

    async def body():
        try:
            await ev.wait()
            print("woke normally")
        except asyncio.CancelledError as e:
            print(f"t sees {type(e).__name__} at the wait")
            raise
        finally:
            print("t finally")

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    ev.set()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError as e:
        print(f"await t: {type(e).__name__}")
    print(f"t cancelled: {'yes' if t.cancelled() else 'no'}")


asyncio.run(main())
