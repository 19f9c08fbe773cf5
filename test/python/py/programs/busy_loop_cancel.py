# The loop is stuck in a blocking call when the host cancels a task: it shows as cancelling at once.
import asyncio
import time


async def main():
    worker = asyncio.create_task(asyncio.sleep(3600), name="worker")
    await asyncio.create_task(asyncio.sleep(0), name="ready")
    try:
        time.sleep(3600)  # the host's cancel cannot run here; its STOP escalation ends this
    finally:
        print("worker done:", worker.done())


asyncio.run(main())
