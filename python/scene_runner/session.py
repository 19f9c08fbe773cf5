"""One run of a user's program: SESSION_START, the program, SESSION_END.

Stopping (STOP from the host, or the channel closing; both read by the channel's reader
thread) escalates in steps so that `finally` blocks get their chance but a stuck program
still ends quickly:

  1. every task on every running loop is cancelled (what asyncio.run does on exit),
     on each loop's own thread (loop.call_soon_threadsafe wakes it);
  2. after STEP_S, STOP_SIGNAL goes to the main thread and our handler raises
     KeyboardInterrupt there: that breaks time.sleep() and Python busy loops;
  3. after another STEP_S the same again (for programs that swallowed the first one);
  4. after another STEP_S the process reports SESSION_END and exits on the spot.

So a stuck program ends within about 3 * STEP_S (1.2 s) of the request.

SIGINT stays the program's: the runner installs no SIGINT handler, so asyncio.Runner
installs its own, and signal.raise_signal(SIGINT), _thread.interrupt_main() or a
Ctrl-C in a terminal (when run by hand) give the program KeyboardInterrupt as under
plain python. The escalation uses a real-time signal nobody else uses (SIGRTMAX),
whose handler does nothing unless a stop is under way.

Exit status: the program's own, as plain python3 would give it (sys.exit(n), an
uncaught exception 1, an uncaught KeyboardInterrupt kills the process with SIGINT,
os._exit and fatal signals are the process's own doing); EXIT_STOPPED when the host
stopped it (src/runner/exit-codes.ts, via contract.py).
"""
import asyncio
import os
import runpy
import signal
import sys
import threading

from .channel import STOP_SIGNAL, now_ms
from .contract import EXIT_CODES, EXIT_USAGE
from .tracking import Tracker
from .where import error_info, format_exception, safe_str, wire_text

STEP_S = 0.4


#: How long a stop with no task to cancel waits for the program's tasks to appear before it interrupts.
SETTLE_S = 0.25

#: Viewer events kept while no app listens yet; past this many, later ones are dropped.
MAX_EARLY_EVENTS = 1000


class NoMainError(RuntimeError):
    """The program asked to run an app that has nothing to run (exit status 2)."""

_current = None


def current():
    """The running session, or None when vuer is imported outside scene_runner."""
    return _current


class Session:
    def __init__(self, channel, file):
        global _current
        self.channel = channel
        self.file = file
        self.tracker = Tracker()
        channel.add_source(self.tracker.records, self.tracker.frames)  # task reports go out with the channel's writes
        self.tracker.attach(channel.flush, channel.batches)
        self.stopping = False
        self.program_over = False
        self._ended = threading.Event()
        self._end_lock = threading.Lock()
        self._stop_lock = threading.Lock()
        self._main_thread = threading.main_thread().ident
        self._stop_signal_ready = False  # set by run(): whether the escalation's signal is ours
        self._event_sinks = []  # (loop, callback) of running vuer apps
        # Viewer events that came before any app listens (a click while the program still
        # imports): kept in order for the first app, as its client's early events (bounded).
        self._early_events = []
        self._sinks_lock = threading.Lock()
        # The viewer's INIT (vuer's handshake): held here because it may arrive before the
        # program has made its app; a vuer session starts only once it is here.
        self.viewer_init = None
        self._init_waiters = []  # (loop, callback) of apps waiting for a viewer
        self._init_lock = threading.Lock()
        self._send_timeout = None  # set when the watchdog ends the process: never block then
        self.exit_signal = None  # the signal the process must end by (an uncaught KeyboardInterrupt: SIGINT)
        _current = self

    # -- outgoing ----------------------------------------------------------------------

    def send(self, message):
        return self.channel.send(message, timeout=self._send_timeout)

    def log(self, text):
        """A runner diagnostic for the host (not the program's stderr, which stays the program's)."""
        try:
            self.channel.send({"etype": "LOG", "ts": now_ms(), "stream": "stderr", "text": wire_text(text)})
        except Exception:  # noqa: B902 - a diagnostic must not fail its caller
            pass

    # -- incoming (reader thread) ------------------------------------------------------

    def on_host_message(self, message):
        if message is None:
            self.request_stop()
            return
        etype = message.get("etype") if isinstance(message, dict) else None
        if not isinstance(etype, str):
            self.log("scene_runner: ignored a host message without an etype")
        elif etype == "STOP":
            self.request_stop()
        elif etype == "TASK_CANCEL":
            if not self.tracker.cancel(message.get("id")):
                self.log("scene_runner: TASK_CANCEL for %r: no such running task" % (message.get("id"),))
        elif etype == "INIT":
            self._viewer_connected(message)
        else:
            with self._sinks_lock:
                sinks = list(self._event_sinks)
                if not sinks:
                    if len(self._early_events) < MAX_EARLY_EVENTS:
                        self._early_events.append(message)
                    return
            for loop, callback in sinks:
                try:
                    loop.call_soon_threadsafe(callback, message)
                except RuntimeError:  # that app's loop has closed
                    pass

    def on_frame_error(self, error):
        self.log("scene_runner: dropped a bad frame from the host: %s" % error)

    def _viewer_connected(self, message):
        """The first INIT is the run's viewer; one run is one vuer session, so a later INIT
        (a host that reconnected) starts nothing new and is not passed on."""
        with self._init_lock:
            if self.viewer_init is not None:
                return
            self.viewer_init = message
            waiters, self._init_waiters = self._init_waiters, []
        for loop, callback in waiters:
            try:
                loop.call_soon_threadsafe(callback, message)
            except RuntimeError:  # that app's loop has closed
                pass

    def on_viewer(self, loop, callback):
        """Calls callback(init_message) on `loop` once the viewer's INIT is here (at once,
        on the loop's next turn, when it already is). Without a host (the program run by
        hand, no channel) nobody will ever connect: an INIT is made up at once, as the
        headless `scene-runner run` does."""
        if self.channel.closed and self.viewer_init is None:
            self._viewer_connected({"etype": "INIT", "ts": now_ms(), "value": {"client": "browser", "viewer": "none"}})
        with self._init_lock:
            message = self.viewer_init
            if message is None:
                self._init_waiters.append((loop, callback))
                return
        loop.call_soon(callback, message)

    def add_event_sink(self, loop, callback):
        entry = (loop, callback)
        with self._sinks_lock:
            self._event_sinks.append(entry)
            early, self._early_events = self._early_events, []
            # Queued under the lock: an event arriving meanwhile is queued after them.
            for message in early:
                loop.call_soon(callback, message)
        return lambda: self._event_sinks.remove(entry) if entry in self._event_sinks else None

    # -- stopping ----------------------------------------------------------------------

    def request_stop(self):
        with self._stop_lock:
            if self.stopping or self.program_over:
                return
            self.stopping = True
            self.tracker.stopping = True
        asked = self.tracker.cancel_all()
        threading.Thread(target=self._escalate, args=(STEP_S if asked else 0.0,), name="scene-runner-stop", daemon=True).start()

    def _escalate(self, first_wait):
        if not first_wait:
            # Nothing to cancel yet: the program may be between its loops (module code, an
            # app about to start its own). A moment later its tasks can be cancelled cleanly;
            # an interrupt now would land wherever the program is, even inside a loop that is
            # half made (CPython 3.9 then prints a loop's __del__ error at exit).
            if self._ended.wait(SETTLE_S):
                return
            if self.tracker.cancel_all():
                first_wait = STEP_S
        if self._ended.wait(first_wait):
            return
        for _ in range(2 if self._stop_signal_ready else 0):
            if self.program_over:
                return
            try:
                signal.pthread_kill(self._main_thread, STOP_SIGNAL)
            except (OSError, ValueError, AttributeError, TypeError):  # no pthread_kill or no such signal: go straight to the end
                break
            if self._ended.wait(STEP_S):
                return
        self.end("stopped", None, hard=True)

    def _on_stop_signal(self, signum, frame):
        # Only our escalation sends this signal; anyone else's is ignored.
        if self.stopping and not self.program_over:
            raise KeyboardInterrupt

    def _install_stop_signal(self):
        """Our handler for the escalation's signal; False where the signal cannot be had
        (some sandboxes and valgrind reserve SIGRTMAX): Stop then skips steps 2 and 3, since
        that signal's default action would kill the process before it reports its end."""
        if STOP_SIGNAL is None:
            return False
        try:
            signal.signal(STOP_SIGNAL, self._on_stop_signal)
            return True
        except (OSError, ValueError, RuntimeError) as e:
            sys.stderr.write("scene-runner: the stop signal %s is not available here (%s): Stop cancels the program's tasks, "
                             "then ends it without interrupting a busy loop\n" % (getattr(STOP_SIGNAL, "name", STOP_SIGNAL), e))
            return False

    # -- the run ---------------------------------------------------------------------------

    def run(self, argv):
        """Runs the program file as __main__; returns the process exit code."""
        self._stop_signal_ready = self._install_stop_signal()
        self.tracker.install()
        self.channel.install_batching()
        self.channel.start_reader(self.on_host_message, self.on_frame_error)
        self.send({"etype": "SESSION_START", "ts": now_ms(), "file": self.file, "runtime": "python", "pid": os.getpid()})
        sys.argv = [self.file] + list(argv)
        sys.path[0] = os.path.dirname(self.file)  # as `python file.py` would: sibling modules import
        status, error, code = "done", None, None
        try:
            runpy.run_path(self.file, run_name="__main__")
        except SystemExit as e:
            self.program_over = True
            status, error, code = self._exit_status(e)
        except BaseException as e:  # noqa: B902 - the program's outcome, whatever it raised
            self.program_over = True
            status, error = self._failure_status(e)
            if isinstance(e, NoMainError):
                code = EXIT_USAGE
        self.program_over = True
        end_code = self.end(status, error)
        return end_code if code is None else code

    def _exit_status(self, e):
        """sys.exit(code): the process exits as python3 would (None/0 -> 0, an int -> that
        int, anything else is printed to stderr and gives 1)."""
        code = e.code
        if code is None or code is False or (isinstance(code, int) and code == 0):
            return "done", None, 0
        if not isinstance(code, int):
            _write_stderr(safe_str(code) + "\n")  # what Python does with sys.exit("message")
            code = 1
        return "failed", {"name": "SystemExit", "message": wire_text(safe_str(e.code))}, int(code)

    def _failure_status(self, e):
        if self.stopping and isinstance(e, (asyncio.CancelledError, KeyboardInterrupt)):
            return "stopped", None
        # Not a stop: what python3 prints and does (a main that ended cancelled is a
        # CancelledError traceback and status 1; KeyboardInterrupt ends by SIGINT).
        info = error_info(e)
        if isinstance(e, NoMainError):  # a usage problem: one line, no traceback
            where = info.get("location") or {"file": self.file, "line": 0}
            _write_stderr("%s:%d: %s\n" % (where["file"], where["line"], safe_str(e)))
        else:
            _write_stderr(format_exception(e))
        if isinstance(e, KeyboardInterrupt) and hasattr(signal, "SIGINT"):
            self.exit_signal = signal.SIGINT
        return "failed", info

    def end(self, status, error, hard=False):
        """Reports the end once (from the main thread, or the watchdog when hard)."""
        if not self._end_lock.acquire(timeout=STEP_S if hard else -1):
            return EXIT_CODES[status]
        try:
            if self._ended.is_set():
                return EXIT_CODES[status]
            if hard:
                self._send_timeout = STEP_S
            else:
                try:
                    for text in self.tracker.unretrieved_reports():
                        _write_stderr(text)
                except Exception:  # noqa: B902 - the end report matters more
                    pass
            try:
                self.tracker.abandon_live()
            except Exception:  # noqa: B902
                pass
            _flush_std()
            message = {"etype": "SESSION_END", "ts": now_ms(), "status": status}
            if error:
                message["error"] = error
            try:
                self.send(message)
            except Exception:  # noqa: B902 - e.g. an error that cannot be encoded: the end itself must arrive
                self.send({"etype": "SESSION_END", "ts": message["ts"], "status": status})
            self.channel.flush(timeout=self._send_timeout)
            self._ended.set()
        finally:
            self._end_lock.release()
        if hard:
            os._exit(EXIT_CODES[status])
        return EXIT_CODES[status]


def _flush_std():
    """Flushes the program's stdout and stderr, whatever they are: the program may have
    replaced them with objects whose flush() raises; that is never our failure."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: B902
            pass


def _write_stderr(text):
    """Writes a report to the program's sys.stderr, falling back to the process's own."""
    for stream in (sys.stderr, sys.__stderr__):
        try:
            stream.write(text)
            return
        except Exception:  # noqa: B902 - a replaced sys.stderr may be anything
            continue
