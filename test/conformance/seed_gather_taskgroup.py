# Seed (python-async-taskgroups): gather gives results in argument order; a task group waits
# for every child; two failing children come out together.
import asyncio


async def slow(t):
    print(f"About to sleep for {t} seconds")
    await asyncio.sleep(t / 10)  # a tenth of the seed's seconds
    print(f"Slept for {t} seconds")
    return t


async def busted(s):
    raise RuntimeError(s)


async def main():
    print(await asyncio.gather(slow(3), slow(1), slow(2)))
    async with asyncio.TaskGroup() as tg:
        res1 = tg.create_task(slow(3))
        res2 = tg.create_task(slow(1))
        res3 = tg.create_task(slow(2))
    print(res1.result(), res2.result(), res3.result())
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(busted("First error"))
            tg.create_task(busted("Second error"))
    except* RuntimeError as error_group:
        print(error_group.exceptions)


asyncio.run(main())
