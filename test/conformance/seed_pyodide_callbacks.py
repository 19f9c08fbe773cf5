# Seed (asyncio in Pyodide): gather of three up_down coroutines, then a countdown driven by
# call_soon/call_later (the timer.py example), and a cancelled handle that never runs.
import asyncio


async def up_down():
    print("What goes up")
    await asyncio.sleep(0.1)
    print("Must come down")


async def main():
    await asyncio.gather(up_down(), up_down(), up_down())
    loop = asyncio.get_running_loop()
    done = asyncio.Event()

    def finish_in(seconds):
        if seconds <= 0:
            print("DONE!")
            done.set()
        else:
            print(seconds)
            loop.call_later(0.01, finish_in, seconds - 1)

    loop.call_soon(finish_in, 3)
    dropped = loop.call_later(0.005, print, "never printed")
    dropped.cancel()
    await done.wait()
    print(f"handle cancelled: {'yes' if dropped.cancelled() else 'no'}")


asyncio.run(main())
