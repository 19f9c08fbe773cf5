"""Entry point the launcher runs: ``python -m scene_runner <program.py> [args...]``.

Exits 0 when the program finished, 1 when it failed, 130 when it was stopped.
Run by hand (no SCENE_RUNNER_CHANNEL_FD), the program runs the same, reporting nothing.
"""
import os
import sys
import threading

from . import MIN_PYTHON


def main(argv):
    if sys.version_info < MIN_PYTHON:
        sys.stderr.write("scene_runner: Python %d.%d or newer is needed, this is %s\n" % (MIN_PYTHON + (sys.version.split()[0],)))
        return 2
    if len(argv) < 1:
        sys.stderr.write("usage: python -m scene_runner <program.py> [args...]\n")
        return 2
    file = os.path.abspath(argv[0])
    if not os.path.isfile(file):
        sys.stderr.write("scene_runner: %s: no such file\n" % argv[0])
        return 2

    from .channel import Channel, NullChannel
    from .session import Session

    # Line-buffered output: the program's prints reach the viewer's log as they happen.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
    channel = Channel.from_env() or NullChannel()
    code = Session(channel, file).run(argv[1:])
    # The session is over. Threads the program left running must not keep the process
    # alive (as vuer's server would), but atexit handlers still get a moment to run.
    killer = threading.Timer(1.0, os._exit, args=(code,))
    killer.daemon = True
    killer.start()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
