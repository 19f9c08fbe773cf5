"""The duplex channel to the supervisor: fd 3, a Unix socket (see src/runner/launch.ts).

Writes come from the program's thread (scene messages, task reports) and from the
stop watchdog, so they are serialised by a lock. Frames sent while an event loop runs
are batched and written once at the end of that loop iteration (see install_batching):
a system call per message made task reports cost more than the tasks themselves.
This keeps vuer's own semantics, where messages go out once the coroutine yields.
Task reports are not messages here but records the tracker keeps (add_source): they are
encoded when the channel writes, ahead of whatever it writes then, so they keep their
order with every other message.
Reads happen on a daemon thread that hands each message to a callback; end of stream
is reported once, as ``None``.
"""
import os
import socket
import signal
import threading
import time
from asyncio import base_events, events

from .contract import CHANNEL_ENV
from .frames import FrameReader, encode_frame

# The signal the stop escalation sends the main thread (session.py): a real-time signal,
# so SIGINT and the other classic signals stay the program's. SIGUSR2 where there is none.
STOP_SIGNAL = getattr(signal, "SIGRTMAX", None) or getattr(signal, "SIGUSR2", None)
FLUSH_BYTES = 1 << 18  # a batch this big is written at once: bounded memory, backpressure
# The socket's send buffer: as much as the system allows up to this, so a burst of reports
# (100,000 tasks spawned at once are 12 MB) waits in the kernel while the host reads, instead
# of stopping the program in sendall. Linux caps it at net.core.wmem_max.
SEND_BUFFER = 8 << 20
BIG_PART = 1 << 16  # parts this big (blobs) are written on their own rather than copied into a batch


_HELD_SIGNALS = (
    {s for s in (getattr(signal, "SIGINT", None), STOP_SIGNAL) if s is not None} if hasattr(signal, "pthread_sigmask") else set()
)


def now_ms():
    return int(time.time() * 1000)


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._lock = threading.Lock()
        self._pending = []
        self._pending_bytes = 0
        self._batching = False
        self._records = ()  # the tracker's records (add_source): taken into each write, first
        self._frames = None
        self.closed = False
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        """In a child made by os.fork() (multiprocessing's default on Linux): the channel is
        the parent's. The child must not write into its stream (it would interleave frames)
        nor hold it open, and the lock may have been held by a thread the child lacks."""
        self._lock = threading.Lock()
        self._pending, self._pending_bytes = [], 0
        self.closed = True
        try:
            self._sock.close()
        except OSError:
            pass

    def add_source(self, records, frames):
        """records: a list another part appends to; frames(): encodes and removes them,
        returning bytes. Called under the lock, before any message is queued or written."""
        self._records = records
        self._frames = frames

    def batches(self, loop):
        """True if what is sent while loop runs goes out at the end of its iteration;
        False if it must be written at once (another kind of loop)."""
        return self._batching and isinstance(loop, base_events.BaseEventLoop)

    def _take_records(self):
        if self.closed:
            del self._records[:]  # nobody reads them (a forked child, a closed pipe): not kept
            return
        data = self._frames()
        if data:
            self._pending.append(data)
            self._pending_bytes += len(data)

    @classmethod
    def from_env(cls):
        """The channel named by SCENE_RUNNER_CHANNEL_FD, or None when run by hand."""
        value = os.environ.pop(CHANNEL_ENV, None)  # popped: the program's own subprocesses must not inherit it
        if not value:
            return None
        try:
            fd = int(value)
            os.set_inheritable(fd, False)
            sock = socket.socket(fileno=fd)
        except (ValueError, OSError) as e:
            raise SystemExit("scene_runner: %s=%r is not a usable socket fd (%s)" % (CHANNEL_ENV, value, e))
        sock.setblocking(True)
        try:
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) < SEND_BUFFER:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        except OSError:  # a socket that takes no such option: the default buffer it is
            pass
        return cls(sock)

    def send(self, message, timeout=None):
        """Queues one message, writing it now unless a loop iteration will. Returns False
        if the channel is gone or, with a timeout, if another writer holds the lock that long."""
        parts = encode_frame(message)  # encode outside the lock: it may raise on bad input
        if self.closed:
            return False
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            if self._records:
                self._take_records()
            self._pending.extend(parts)
            self._pending_bytes += sum(len(p) for p in parts)
            loop = events._get_running_loop()
            # Only BaseEventLoop iterations flush (install_batching): any other loop, or none, writes now.
            if not self._batching or self._pending_bytes >= FLUSH_BYTES or not isinstance(loop, base_events.BaseEventLoop):
                self._write_pending()
            return not self.closed
        finally:
            self._lock.release()

    def flush(self, timeout=None):
        if not (self._pending or self._records) or not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            return
        try:
            if self._records:
                self._take_records()
            self._write_pending()
        finally:
            self._lock.release()

    def _write_pending(self):
        pending = self._pending
        self._pending, self._pending_bytes = [], 0
        if self.closed or not pending:
            return
        # A signal whose handler raises (our stop escalation's, the program's SIGINT) arriving
        # inside sendall would leave half a frame on the pipe and every later message
        # (SESSION_END too) unreadable. Held for the length of the write, it arrives right after.
        masked = _HELD_SIGNALS and threading.current_thread() is threading.main_thread()
        if masked:
            old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
        try:
            self._send_parts(pending)
        finally:
            if masked:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def _send_parts(self, pending):
        try:
            small = []
            for part in pending:
                if len(part) < BIG_PART:
                    small.append(part)
                    continue
                if small:
                    self._sock.sendall(b"".join(small))
                    small = []
                self._sock.sendall(part)  # a big blob is written as it is, not copied
            if small:
                self._sock.sendall(b"".join(small))  # usually the whole batch: one system call
        except OSError:
            self.closed = True

    def install_batching(self):
        """Flushes at the end of every event-loop iteration, on every loop."""
        self._batching = _flush_every_iteration(self)

    def start_reader(self, on_message, on_error):
        """Starts the reader thread: on_message(msg) per message, on_message(None) at EOF."""

        def run():
            reader = FrameReader(on_error)
            while True:
                try:
                    chunk = self._sock.recv(1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    on_message(None)
                    return
                for message in reader.push(chunk):
                    try:
                        on_message(message)
                    except Exception as e:  # one bad message must not end STOP handling
                        on_error(e)

        thread = threading.Thread(target=run, name="scene-runner-channel", daemon=True)
        thread.start()
        return thread


def _flush_every_iteration(channel):
    """Wraps BaseEventLoop._run_once (every loop's) to flush channel at the end of each iteration.
    False where asyncio has no _run_once: then every message is written at once."""
    run_once = getattr(base_events.BaseEventLoop, "_run_once", None)
    if run_once is None:
        return False

    def _run_once(loop):
        # Also before: what was made outside any iteration (a task created before the loop
        # runs) goes out before this iteration's callbacks run, which may block for long.
        if channel._pending or channel._records:
            channel.flush()
        try:
            run_once(loop)
        finally:
            if channel._pending or channel._records:
                channel.flush()

    base_events.BaseEventLoop._run_once = _run_once
    return True


class NullChannel:
    """Stand-in when the program runs without a supervisor: messages go nowhere
    (and task records are dropped once a loop iteration ends)."""

    closed = True
    _pending = ()
    _records = ()

    def send(self, message, timeout=None):
        encode_frame(message)  # still validate, so a bad scene message fails the same way
        self.flush()
        return False

    def add_source(self, records, frames):
        self._records = records

    def batches(self, loop):
        return False  # nothing flushes but flush() itself: drop records as they come

    def flush(self, timeout=None):
        if self._records:
            del self._records[:]

    def install_batching(self):
        _flush_every_iteration(self)

    def start_reader(self, on_message, on_error):
        return None
