# sys.exit(3) inside a task: the process exits 3, as under python3.
import asyncio
import sys


async def quitter():
    sys.exit(3)


async def main():
    await asyncio.create_task(quitter())


asyncio.run(main())
