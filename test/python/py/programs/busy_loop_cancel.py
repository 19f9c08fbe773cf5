# The loop is stuck in a blocking call when the host cancels a task: it shows as cancelling at once.
import asyncio
import sys
import threading
import time

with open(__file__) as f:
    STUCK_LINE = next(i for i, line in enumerate(f, 1) if line.strip().startswith("time.sleep(3600)"))


async def ready():
    pass


def announce_when_stuck(main_thread):
    # Once main's frame is at the blocking line, its loop cannot run anything until it returns.
    while True:
        frame = sys._current_frames().get(main_thread)
        if frame is not None and frame.f_code is main.__code__ and frame.f_lineno == STUCK_LINE:
            break
        time.sleep(0.001)
    try:
        asyncio.run(ready())  # a task on a loop of its own: the host's cue
    except BaseException:  # the host's STOP may reach this loop too, as it closes
        pass


async def main():
    worker = asyncio.create_task(asyncio.sleep(3600), name="worker")
    threading.Thread(target=announce_when_stuck, args=(threading.get_ident(),), daemon=True).start()
    try:
        time.sleep(3600)  # the host's cancel cannot run here; its STOP escalation ends this
    finally:
        print("worker done:", worker.done())


asyncio.run(main())
