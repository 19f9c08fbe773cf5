# Issue 11, item 8: tasks woken in the same turn run one whole step each, in wake-up order,
# even when a step awaits a finished task or a nested async function on the way (asyncio runs
# a step atomically; the runtime waits for each step to reach its next runtime await).
import asyncio


async def main():
    async def ready():
        return "ready"

    finished = asyncio.create_task(ready())
    await finished

    async def nested(name):
        print(f"{name}: nested")
        return name

    go = asyncio.Event()

    async def worker(name):
        await go.wait()
        print(f"{name}: woke")
        await finished  # already done: no suspension
        await nested(name)
        print(f"{name}: end of step")
        await asyncio.sleep(0)
        print(f"{name}: next step")

    g = asyncio.gather(worker("a"), worker("b"), worker("c"))
    await asyncio.sleep(0)  # every worker waits on the event
    go.set()  # all three wake in one turn
    await g
    h = asyncio.gather(asyncio.create_task(asyncio.sleep(60)))
    await asyncio.sleep(0)
    h.cancel()
    try:
        await h
    except asyncio.CancelledError as e:
        print(f"cancelled gather raises {type(e).__name__}")


asyncio.run(main())
