"""Task tracking: every asyncio task the program creates is reported to the host.

All the ways a program makes a task (asyncio.create_task, loop.create_task,
ensure_future, gather, TaskGroup, asyncio.run, vuer's spawn_task) end in
``BaseEventLoop.create_task``, so that one method is wrapped, on every loop at once:
no event-loop policy or task factory is replaced, so a program that installs its own
task factory is still tracked.

Per task we send TASK_SPAWN at creation (name, parent, creation file:line) and one
TASK_STATE when it ends (done | cancelled | failed, with the error).
"""
import asyncio
import os
import sys
import weakref
from asyncio import base_events, tasks

from .where import error_info, format_exception, user_caller

_BASE_EVENTS_FILE = os.path.abspath(base_events.__file__)
_MISSING = object()

# Python 3.9-3.12 call loop.create_task(coro) and set the program's name afterwards
# (tasks._set_task_name): for calls from these functions, read `name` from their frame.
_NAMING_CALLERS = {tasks.create_task.__code__}
try:
    from asyncio import taskgroups

    _NAMING_CALLERS.add(taskgroups.TaskGroup.create_task.__code__)
except ImportError:  # Python < 3.11 has no TaskGroup
    pass


def _coro_code(coro):
    return getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)


class Tracker:
    def __init__(self, emit, now_ms):
        self._emit = emit
        self._now = now_ms
        self._count = 0
        self._ids = {}  # running task -> (id, reported name)
        self.live = {}  # id -> running task (strong: the host may cancel it)
        self._hidden = {}  # running hidden task -> id of its nearest visible ancestor
        self._to_hide = set()  # coroutines our package runs for itself
        self._sites = {}  # coroutine -> (file, line) to report instead of the caller's
        self._failed = weakref.WeakKeyDictionary()  # failed task -> reported name
        self.loops = weakref.WeakSet()
        self.stopping = False
        self._original = None

    # -- installation -------------------------------------------------------------

    def install(self):
        original = base_events.BaseEventLoop.create_task
        tracker = self

        def create_task(loop, coro, **kwargs):
            parent = asyncio.current_task(loop)
            task = original(loop, coro, **kwargs)
            name = kwargs.get("name")
            if name is None:
                caller = sys._getframe(1)
                if caller.f_code in _NAMING_CALLERS:
                    name = caller.f_locals.get("name")
            tracker._created(loop, task, coro, name, parent)
            return task

        create_task.__wrapped__ = original
        create_task.__doc__ = original.__doc__
        self._original = original
        base_events.BaseEventLoop.create_task = create_task

    def uninstall(self):
        if self._original is not None:
            base_events.BaseEventLoop.create_task = self._original
            self._original = None

    # -- hints from our own package --------------------------------------------------

    def hide(self, coro):
        """The task that will run this coroutine is ours: keep it out of the task tree."""
        self._to_hide.add(coro)
        return coro

    def site(self, coro, fn):
        """Report the task running this coroutine as created where fn is defined
        (for main and event handlers, which our package starts on the program's behalf)."""
        code = getattr(fn, "__code__", None)
        if code is not None:
            self._sites[coro] = (code.co_filename, code.co_firstlineno)
        return coro

    # -- task lifecycle ----------------------------------------------------------------

    def _parent_id(self, parent):
        if parent is None:
            return None
        entry = self._ids.get(parent)
        return entry[0] if entry is not None else self._hidden.get(parent)

    def _created(self, loop, task, coro, name, parent):
        if loop not in self.loops:
            self.loops.add(loop)
        parent_id = self._parent_id(parent)
        if coro in self._to_hide or self._is_loop_housekeeping(coro):
            self._to_hide.discard(coro)
            self._hidden[task] = parent_id
            task.add_done_callback(self._hidden_done)
            return
        self._count += 1
        tid = "t%d" % self._count
        name = str(name) if name is not None else getattr(coro, "__qualname__", None) or task.get_name()
        self._ids[task] = (tid, name)
        self.live[tid] = task
        site = self._sites.pop(coro, None)
        file, line = site if site else user_caller(3)
        info = {"id": tid, "name": name, "parent": parent_id}
        if file is not None:
            info["file"] = file
            info["line"] = line
        self._emit({"etype": "TASK_SPAWN", "ts": self._now(), "task": info})
        task.add_done_callback(self._done)

    @staticmethod
    def _is_loop_housekeeping(coro):
        # asyncio.run's shutdown_asyncgens / shutdown_default_executor: not the program's tasks.
        code = _coro_code(coro)
        return code is not None and code.co_filename == _BASE_EVENTS_FILE

    def _hidden_done(self, task):
        self._hidden.pop(task, None)

    def _done(self, task):
        entry = self._ids.pop(task, None)
        if entry is None:
            return
        self.live.pop(entry[0], None)
        self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": self._end_state(entry, task)})

    def _end_state(self, entry, task):
        tid = entry[0]
        if task.cancelled():
            return {"id": tid, "state": "cancelled"}
        # Read the exception without marking it retrieved, so asyncio (and our end-of-session
        # check) can still say when nobody ever looked at it.
        exc = getattr(task, "_exception", _MISSING)
        if exc is _MISSING:
            exc = task.exception()
        if exc is None:
            return {"id": tid, "state": "done"}
        if self.stopping and isinstance(exc, KeyboardInterrupt):
            return {"id": tid, "state": "cancelled"}  # our stop escalation interrupted it
        self._failed[task] = entry[1]
        return {"id": tid, "state": "failed", "error": error_info(exc)}

    # -- requests from the host --------------------------------------------------------

    def cancel(self, tid):
        """Cancels one task from another thread, as task.cancel() would. False if unknown."""
        task = self.live.get(tid)
        if task is None:
            return False
        try:
            task.get_loop().call_soon_threadsafe(task.cancel)
        except RuntimeError:  # its loop is closed: the task can never run again
            return False
        return True

    def cancel_all(self):
        """Cancels every task (ours too) on every running loop. Thread-safe.
        Returns True if at least one running loop was asked."""
        asked = False
        for loop in list(self.loops):
            if loop.is_closed() or not loop.is_running():
                continue
            try:
                loop.call_soon_threadsafe(_cancel_loop_tasks, loop)
                asked = True
            except RuntimeError:
                pass
        return asked

    # -- end of session ------------------------------------------------------------------

    def abandon_live(self):
        """Tasks still registered when the program is over never run again: report them
        cancelled so every TASK_SPAWN has its end."""
        for tid in list(self.live):
            task = self.live.pop(tid, None)
            if task is not None:
                self._ids.pop(task, None)
                self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": {"id": tid, "state": "cancelled"}})

    def unretrieved_reports(self):
        """Tracebacks of failed tasks whose exception nobody awaited or asked for.
        Marks them retrieved so asyncio does not print them a second time."""
        out = []
        for task, name in list(self._failed.items()):
            if getattr(task, "_log_traceback", False):
                task._log_traceback = False
                exc = getattr(task, "_exception", None)
                if exc is not None:
                    out.append("Task exception was never retrieved (task %r)\n%s" % (name, format_exception(exc)))
        return out


def _cancel_loop_tasks(loop):
    for task in asyncio.all_tasks(loop):
        task.cancel()
