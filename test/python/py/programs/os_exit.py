import asyncio
import os


async def main():
    print("bye", flush=True)
    os._exit(5)


asyncio.run(main())
