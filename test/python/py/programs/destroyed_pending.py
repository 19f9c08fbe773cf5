# A pending task nobody references is collected, and asyncio says so (the tracker holds no reference).
import asyncio
import gc


async def forgotten(fut):
    await fut


def handler(loop, context):
    print("handler:", context["message"])


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    loop.create_task(forgotten(loop.create_future()), name="forgotten")
    await asyncio.sleep(0)  # it now waits on a future only it references
    gc.collect()
    print("tasks left:", sorted(t.get_name() for t in asyncio.all_tasks()))


asyncio.run(main())
