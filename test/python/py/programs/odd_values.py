# What a program may legally do to the tracker: names with lone surrogates, names whose
# __str__ raises, exceptions with such messages or a __str__ that raises.
import asyncio


class BadStr:
    def __str__(self):
        raise RuntimeError("no str for you")


class Unprintable(Exception):
    def __str__(self):
        raise ValueError("cannot print me")


async def fail(exc):
    raise exc


async def main():
    a = asyncio.create_task(asyncio.sleep(0, "fine"), name="lone \udc80 surrogate")
    print("a:", await a)
    for exc in (ValueError("bad \ud800 message"), Unprintable()):
        t = asyncio.create_task(fail(exc), name="failing")
        try:
            await t
        except Exception as e:
            print("caught", type(e).__name__)
    try:
        asyncio.create_task(asyncio.sleep(0), name=BadStr())
    except RuntimeError as e:  # asyncio's own str(name) raises on 3.11+; 3.9/3.10 raise it from set_name
        print("create_task raised", e)
    await asyncio.sleep(0)
    print("done")


asyncio.run(main())
