"""Entry point the launcher runs: ``python -m scene_runner <program.py> [args...]``.

Exits with the program's own status, as ``python3 <program.py>`` would (0 when it
finished, 1 when it failed, its sys.exit code, death by SIGINT after an uncaught
KeyboardInterrupt), 2 on bad usage, contract.EXIT_STOPPED when the host stopped it.
Run by hand (no SCENE_RUNNER_CHANNEL_FD), the program runs the same, reporting nothing.
"""
import atexit
import os
import signal
import sys
import threading

from .contract import EXIT_USAGE, MIN_PYTHON, VUER_ENV


def main(argv):
    if sys.version_info < MIN_PYTHON:
        sys.stderr.write("scene_runner: Python %d.%d or newer is needed, this is %s\n" % (MIN_PYTHON + (sys.version.split()[0],)))
        return EXIT_USAGE
    if len(argv) < 1:
        sys.stderr.write("usage: python -m scene_runner <program.py> [args...]\n")
        return EXIT_USAGE
    file = os.path.abspath(argv[0])
    if not os.path.isfile(file):
        sys.stderr.write("scene_runner: %s: no such file\n" % argv[0])
        return EXIT_USAGE

    from . import watchdog
    from .channel import Channel, NullChannel
    from .session import Session, _flush_std

    watchdog.start()  # the supervisor gone (killed, crashed): end the session's processes and ourselves

    # Line-buffered output: the program's prints reach the viewer's log as they happen.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)
    channel = Channel.from_env() or NullChannel()
    session = Session(channel, file)
    # On the user's installed vuer (the launcher left our bundled one off the path): learn where
    # the program's own vuer server listens, for the host's vuer client. Not passed on to what
    # the program starts.
    if os.environ.pop(VUER_ENV, None) == "installed":
        from . import installed_vuer

        installed_vuer.install(session)
    # Registered before the program's own atexit handlers, so it runs after them (LIFO),
    # as python3 itself ends by SIGINT only once the interpreter is finalised.
    atexit.register(_end_by_signal, session, _flush_std)
    code = session.run(argv[1:])
    if session.exit_signal is not None:
        # Ends by that signal's default action (below), from whichever thread gets there first.
        signal.signal(session.exit_signal, signal.SIG_DFL)
    # The session is over. Threads the program left running must not keep the process
    # alive (as vuer's server would), but atexit handlers still get a moment to run.
    killer = threading.Timer(1.0, _end_now, args=(session, code, _flush_std))
    killer.daemon = True
    killer.start()
    return code


def _kill_self(sig, flush):
    flush()
    try:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {sig})
        os.kill(os.getpid(), sig)
    except (OSError, ValueError):
        pass
    os._exit(128 + sig)  # the signal did not end us (python3 does the same)


def _end_by_signal(session, flush):
    if session.exit_signal is not None:
        _kill_self(session.exit_signal, flush)


def _end_now(session, code, flush):
    if session.exit_signal is not None:
        _kill_self(session.exit_signal, flush)
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
