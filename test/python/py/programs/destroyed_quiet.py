# A pending task whose "destroyed" log asyncio itself turned off (gather made it from a
# coroutine) is collected: nothing is logged, as under plain python3, and its end is reported.
import asyncio
import gc


async def forgotten(fut):
    await fut


def handler(loop, context):
    print("handler:", context["message"])


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    fut = loop.create_future()
    outer = asyncio.gather(forgotten(fut))
    await asyncio.sleep(0)  # the child now waits on a future only it references
    del outer, fut
    gc.collect()
    print("tasks left:", sorted(t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task()))


asyncio.run(main())
