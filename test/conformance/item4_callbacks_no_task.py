# Issue 11, item 4: call_soon/call_later and done callbacks run as no task (asyncio:
# current_task() is None there), even when scheduled from inside a task.
import asyncio


def where():
    t = asyncio.current_task()
    return f"task {t.get_name()}" if t else "no task"


async def main():
    loop = asyncio.get_running_loop()
    done = asyncio.Event()

    def later():
        print(f"callLater from the worker: {where()}")
        done.set()

    async def worker():
        print(f"worker runs as {where()}")
        loop.call_soon(lambda: print(f"callSoon from the worker: {where()}"))
        loop.call_later(0.01, later)

    w = asyncio.create_task(worker(), name="worker")
    w.add_done_callback(lambda _: print(f"done callback: {where()}"))
    await done.wait()


asyncio.run(main())
