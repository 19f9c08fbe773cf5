"""The Python runner's parent watchdog: a daemon thread that checks every POLL_S whether
the process that started the runner (the supervisor: the CLI or VS Code's extension host)
is still its parent. When the supervisor dies (SIGKILL, a closed terminal, a crash), the
runner is re-parented; the watchdog then kills what the session started (the processes
carrying the session's marker, SCENE_RUNNER_SESSION, which includes those that left the
process group) and the runner's own process group, itself last.

A thread, not the event loop: it gets its turn (the interpreter switches threads every
few milliseconds) while the program's code busy-loops on the main thread. The twin of
src/runner/node/watchdog.ts; see docs/process-contract.md.
"""
import os
import signal
import threading

POLL_S = 0.2
from .contract import MARKER_ENV  # src/runner/process-tree.ts SESSION_MARKER_ENV

_started = False


def _kill_marked(marker):
    needle = ("\0%s=%s\0" % (MARKER_ENV, marker)).encode()
    me = os.getpid()
    try:
        names = os.listdir("/proc")
    except OSError:
        return
    for name in names:
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as f:
                env = b"\0" + f.read() + b"\0"
            if needle in env:
                os.kill(int(name), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def _end_session(marker):
    try:
        if marker:
            _kill_marked(marker)
    except Exception:  # noqa: BLE001 - whatever happens, the runner still ends below
        pass
    me = os.getpid()
    try:
        if os.getpgid(0) == me:  # the supervisor makes the runner lead its own group
            os.killpg(me, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    os.kill(me, signal.SIGKILL)


def _watch(parent, marker):
    stop = threading.Event()
    while not stop.wait(POLL_S):
        if os.getppid() != parent:
            _end_session(marker)


def start():
    """Starts the watchdog once, when a supervisor started this process (its marker is set)."""
    global _started
    marker = os.environ.get(MARKER_ENV)
    parent = os.getppid()
    if _started or not marker or parent <= 1 or not hasattr(os, "getppid") or not hasattr(signal, "SIGKILL"):
        return
    _started = True
    threading.Thread(target=_watch, args=(parent, marker), name="scene-runner-watchdog", daemon=True).start()
