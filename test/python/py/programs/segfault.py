# Death by a signal: the process's status says so (no faulthandler output, as python3 without -X faulthandler).
import asyncio
import os
import signal


async def main():
    os.kill(os.getpid(), signal.SIGSEGV)


asyncio.run(main())
