# The program's own SIGINT, three ways: it gets KeyboardInterrupt (or asyncio.Runner's
# cancel of main) exactly as under plain python3.
import _thread
import asyncio
import os
import signal
import sys


def wait_for_interrupt(how, send):
    try:
        send()
        while True:  # the signal may be handled by the main thread a few bytecodes later
            pass
    except KeyboardInterrupt:
        print(how, "-> KeyboardInterrupt")


wait_for_interrupt("raise_signal", lambda: signal.raise_signal(signal.SIGINT))
wait_for_interrupt("interrupt_main", _thread.interrupt_main)
wait_for_interrupt("os.kill", lambda: os.kill(os.getpid(), signal.SIGINT))
print("handler is default_int_handler:", signal.getsignal(signal.SIGINT) is signal.default_int_handler)


async def main():
    try:
        signal.raise_signal(signal.SIGINT)
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        print("main: cancelled by asyncio.Runner's SIGINT handler")
        raise


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("asyncio.run -> KeyboardInterrupt")
sys.stdout.flush()
signal.raise_signal(signal.SIGINT)  # uncaught: python3 prints the traceback and dies by SIGINT
