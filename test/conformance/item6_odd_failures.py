# Issue 11, item 6: a failure that cannot describe itself (JavaScript: a thrown object with no
# prototype; Python: an exception whose __str__ raises) fails the task, reaches its awaiter,
# and failing main ends the run with status 1 instead of hanging.
import asyncio


class Opaque(Exception):
    def __str__(self):
        raise RuntimeError("cannot describe myself")


async def main():
    async def body():
        await asyncio.sleep(0)
        raise Opaque()

    t = asyncio.create_task(body())
    try:
        await t
    except Opaque:
        print("awaiting the task raised its failure")
    print(f"task failed: {'yes' if not t.cancelled() and t.exception() is not None else 'no'}")
    print("main fails next")
    raise Opaque()


asyncio.run(main())
