# A forked child (os.fork, multiprocessing's "fork") makes tasks of its own: they must not
# reach the parent's channel (the host would get interleaved frames).
import asyncio
import os


async def in_child():
    await asyncio.gather(*[asyncio.create_task(asyncio.sleep(0), name="child-task") for _ in range(100)])


async def main():
    await asyncio.create_task(asyncio.sleep(0), name="before")
    pid = os.fork()
    if pid == 0:
        asyncio.set_event_loop(None)
        try:
            loop = asyncio.new_event_loop()
            loop.run_until_complete(in_child())
            print("child done", flush=True)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    await asyncio.create_task(asyncio.sleep(0), name="after")
    print("child status", status)


asyncio.run(main())
