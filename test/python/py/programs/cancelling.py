# Cancel requests show as "cancelling" until the task ends; a cancel taken back (asyncio.timeout) is "running" again.
import asyncio
import sys


async def slow_to_die(started):
    try:
        started.set_result(None)
        await asyncio.sleep(3600)
    finally:
        print("finally of", asyncio.current_task().get_name())
        await asyncio.sleep(0)  # still cancelling while its finally awaits


async def times_out():
    try:
        async with asyncio.timeout(0):
            await asyncio.sleep(3600)
    except TimeoutError:
        print("timed out, and still running")
    await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    started = loop.create_future()
    t = asyncio.create_task(slow_to_die(started), name="victim")
    await started
    t.cancel()
    t.cancel()  # a second request: still one "cancelling"
    try:
        await t
    except asyncio.CancelledError:
        print("victim cancelled")
    if sys.version_info >= (3, 11):
        await asyncio.create_task(times_out(), name="timeout")
    host_started = loop.create_future()
    target = asyncio.create_task(slow_to_die(host_started), name="host-target")
    await host_started
    await asyncio.create_task(asyncio.sleep(0), name="waiting for the host")  # the host's cue: target is in its sleep
    try:
        await target
    except asyncio.CancelledError:
        print("host-target cancelled")


asyncio.run(main())
