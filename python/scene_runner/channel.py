"""The duplex channel to the supervisor: fd 3, a Unix socket (see src/runner/launch.ts).

Writes come from the program's thread (scene messages, task reports) and from the
stop watchdog, so they are serialised by a lock. Reads happen on a daemon thread that
hands each message to a callback; end of stream is reported once, as ``None``.
"""
import os
import socket
import threading
import time

from .frames import FrameReader, encode_frame

CHANNEL_ENV = "SCENE_RUNNER_CHANNEL_FD"


def now_ms():
    return int(time.time() * 1000)


class Channel:
    def __init__(self, sock):
        self._sock = sock
        self._lock = threading.Lock()
        self.closed = False

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
        return cls(sock)

    def send(self, message, timeout=None):
        """Sends one message; returns False if the channel is gone (the host stopped
        listening) or, with a timeout, if another writer holds the lock that long."""
        parts = encode_frame(message)  # encode outside the lock: it may raise on bad input
        if self.closed:
            return False
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            return False
        try:
            for part in parts:
                self._sock.sendall(part)
            return True
        except OSError:
            self.closed = True
            return False
        finally:
            self._lock.release()

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
                    on_message(message)

        thread = threading.Thread(target=run, name="scene-runner-channel", daemon=True)
        thread.start()
        return thread


class NullChannel:
    """Stand-in when the program runs without a supervisor: messages go nowhere."""

    closed = True

    def send(self, message, timeout=None):
        encode_frame(message)  # still validate, so a bad scene message fails the same way
        return False

    def start_reader(self, on_message, on_error):
        return None
