# Issue 11, item 3: a future's done callbacks and its awaiters' wake-ups run in one queue, in
# registration order. A callback registered before the awaiter cancels it at its wait; one
# registered after runs after the awaiter's step.
import asyncio


async def value_after_a_turn(v):
    await asyncio.sleep(0)
    return v


async def main():
    w = None
    inner = asyncio.create_task(value_after_a_turn(1))
    inner.add_done_callback(lambda _: print(f"callback first: cancel(W) accepted: {'yes' if w.cancel() else 'no'}"))

    async def waiter():
        try:
            print(f"W got {await inner}")
        except asyncio.CancelledError as e:
            print(f"W sees {type(e).__name__}")

    w = asyncio.create_task(waiter())
    await asyncio.gather(w, return_exceptions=True)

    inner2 = asyncio.create_task(value_after_a_turn(2))

    async def waiter2():
        print(f"W2 got {await inner2}")
        await asyncio.sleep(0)
        print("W2 one turn later")

    w2 = asyncio.create_task(waiter2())
    await asyncio.sleep(0)  # W2 now waits on inner2
    inner2.add_done_callback(lambda _: print("callback after W2's step"))
    await w2


asyncio.run(main())
