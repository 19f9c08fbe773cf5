# A sys.stdout whose flush() raises when main returns: the runner still ends the session.
import asyncio
import sys


class Broken:
    def write(self, text):
        return len(text)

    def __repr__(self):
        return "<Broken stdout>"

    def flush(self):
        raise OSError("this stdout cannot flush")


async def main():
    print("before", flush=True)
    sys.stdout = Broken()


asyncio.run(main())
