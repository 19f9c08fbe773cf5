"""A minimal supervisor for the Python unit tests: runs `python -m scene_runner <file>`
with a socket pair as its channel, records every message, and can send host messages
(TASK_CANCEL, STOP, client events). The real supervisor is src/runner/supervisor.ts."""
import os
import queue
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PYTHON_DIR = os.path.join(ROOT, "python")
# The runner's path for a bundled run: our tracker and, apart from it, our bundled vuer.
BUNDLED_PATH = os.pathsep.join([os.path.join(PYTHON_DIR, "bundled"), PYTHON_DIR])
sys.path[:0] = BUNDLED_PATH.split(os.pathsep)

from scene_runner.contract import TASK_BATCH_SPAWN, TASK_STATES  # noqa: E402
from scene_runner.frames import FrameReader, encode_frame  # noqa: E402


END_STATES = ("done", "cancelled", "failed")


def expanded(messages):
    """messages with every TASK_BATCH replaced by the reports it stands for."""
    return [r for m in messages for r in (expand_task_batch(m) if m.get("etype") == "TASK_BATCH" else (m,))]


def expand_task_batch(b):
    """The TASK_SPAWN/TASK_STATE messages a TASK_BATCH stands for, in order, as the real
    supervisor expands it (src/protocol/task-batch.ts expandTaskBatch)."""
    out = []
    s = c = 0
    for i, kind in enumerate(b["kind"]):
        ts = b["ts"] + b["dt"][i]
        if kind == TASK_BATCH_SPAWN:
            task = {"id": b["id"][i], "name": b["strings"][b["name"][s]], "parent": b["parent"][s]}
            if b["file"][s] >= 0:
                task["file"] = b["strings"][b["file"][s]]
            if b["line"][s] > 0:
                task["line"] = b["line"][s]
            if b["column"][s] > 0:
                task["column"] = b["column"][s]
            out.append({"etype": "TASK_SPAWN", "ts": ts, "task": task})
            s += 1
        else:
            out.append({"etype": "TASK_STATE", "ts": ts, "task": {"id": b["id"][i], "state": TASK_STATES[b["state"][c]]}})
            c += 1
    return out


class Child:
    def __init__(self, program, python=None, env=None, init=True):
        self.messages = []
        self._new = queue.Queue()
        self._closed = threading.Event()
        ours, theirs = socket.socketpair()
        self.sock = ours
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env["PYTHONPATH"] = BUNDLED_PATH + (os.pathsep + full_env["PYTHONPATH"] if full_env.get("PYTHONPATH") else "")
        full_env["SCENE_RUNNER_CHANNEL_FD"] = str(theirs.fileno())
        self.proc = subprocess.Popen(
            [python or sys.executable, "-m", "scene_runner", program],
            pass_fds=(theirs.fileno(),),
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        theirs.close()
        threading.Thread(target=self._read, daemon=True).start()
        if init:  # a viewer is there from the start, as the real hosts say at launch
            try:
                self.send({"etype": "INIT", "value": {"client": "browser", "viewer": "test"}})
            except BrokenPipeError:  # the program already ended (a crash at start, on a busy machine)
                pass

    def _read(self):
        reader = FrameReader(lambda e: self._new.put(("error", e)))
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                self._new.put(None)
                self._closed.set()
                return
            for frame in reader.push(chunk):
                for m in expand_task_batch(frame) if frame.get("etype") == "TASK_BATCH" else (frame,):
                    self.messages.append(m)
                    self._new.put(m)

    def send(self, message):
        message.setdefault("ts", int(time.time() * 1000))
        for part in encode_frame(message):
            self.sock.sendall(part)

    def wait_for(self, predicate, timeout=5.0):
        """Returns the first message (already seen or new) matching predicate."""
        for m in list(self.messages):
            if predicate(m):
                return m
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching message within %.1fs; got %r" % (timeout, self.messages))
            try:
                m = self._new.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise AssertionError("channel closed before a matching message; got %r" % (self.messages,))
            if isinstance(m, dict) and predicate(m):
                return m

    def task(self, name):
        """The TASK_SPAWN info of the task with this name (waits for it)."""
        return self.wait_for(lambda m: m.get("etype") == "TASK_SPAWN" and m["task"]["name"] == name)["task"]

    def end_state(self, tid, timeout=5.0):
        """The TASK_STATE that ended this task (not a "cancelling" or "running" on the way)."""
        return self.wait_for(lambda m: m.get("etype") == "TASK_STATE" and m["task"]["id"] == tid and m["task"]["state"] in END_STATES, timeout)["task"]

    def states(self, tid=None):
        """Every state reported so far, in order (of one task, or of all as (id, state))."""
        out = [(m["task"]["id"], m["task"]["state"]) for m in self.messages if m.get("etype") == "TASK_STATE"]
        return [s for i, s in out if i == tid] if tid is not None else out

    def finish(self, timeout=10.0):
        """Waits for exit and for the channel's end: (exit code, stdout, stderr)."""
        out, err = self.proc.communicate(timeout=timeout)
        self._closed.wait(timeout)  # every message the child sent is in self.messages now
        return self.proc.returncode, out.decode(), err.decode()

    def close_channel(self):
        self.sock.shutdown(socket.SHUT_WR)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()
        self.sock.close()


def etypes(messages):
    return [m["etype"] for m in messages]
