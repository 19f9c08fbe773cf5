# A program that ignores SIGINT is still stopped by the host: stop requests are not SIGINT.
import asyncio
import signal
import time

signal.signal(signal.SIGINT, signal.SIG_IGN)


async def main():
    try:
        await asyncio.create_task(asyncio.sleep(0), name="ready")
        time.sleep(3600)  # only the stop escalation can break this
    finally:
        print("finally ran")


asyncio.run(main())
