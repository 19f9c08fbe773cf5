"""Task tracking: every asyncio task the program creates is reported to the host.

All the ways a program makes a task (asyncio.create_task, loop.create_task,
ensure_future, gather, TaskGroup, asyncio.run, vuer's spawn_task) end in
``BaseEventLoop.create_task``, so that one method is wrapped, on every loop at once:
no event-loop policy or task factory is replaced, so a program that installs its own
task factory is still tracked.

Per task we send TASK_SPAWN at creation (name, parent, creation file:line), TASK_STATE
"cancelling" when a cancel is requested while it runs ("running" again if it uncancels
back to zero), and one TASK_STATE when it ends (done | cancelled | failed, with the error).

The tracker holds no strong reference to a task: a pending task nobody references is
collected (and asyncio logs "Task was destroyed but it is pending!") exactly as without
us; its end is then reported as failed with that message. Nothing a program can do to a
task (names with lone surrogates, exceptions whose __str__ raises) may break task
creation or the end report: every report is built defensively.
"""
import asyncio
import collections
import itertools
import os
import sys
import threading
import weakref
from asyncio import base_events, tasks

from .where import error_info, format_exception, safe_str, user_caller, wire_text

_BASE_EVENTS_FILE = os.path.abspath(base_events.__file__)
_MISSING = object()
DESTROYED_PENDING = "Task was destroyed but it is pending!"

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


_THIS_FILE = _coro_code.__code__.co_filename  # as frames name this module (not always abspath(__file__))


_active = None  # the installed Tracker, for TrackedTask


class TrackedTask(tasks.Task):
    """The task class loops create (``asyncio.tasks.Task`` while the tracker is installed):
    asyncio's own C task, told apart only by reporting cancel requests to the tracker.
    ``asyncio.Task`` itself is untouched; isinstance checks hold."""

    __slots__ = ("_sr_entry",)  # its _Entry (None for our own tasks): no dictionary lookups per task

    def cancel(self, *args, **kwargs):
        requested = super().cancel(*args, **kwargs)
        tracker = _active
        if requested and tracker is not None:
            tracker._cancel_requested(self)
        return requested

    if hasattr(tasks.Task, "uncancel"):  # 3.11+: asyncio.timeout and TaskGroup take a cancel back

        def uncancel(self):
            left = super().uncancel()
            tracker = _active
            if left == 0 and tracker is not None:
                tracker._uncancelled(self)
            return left


TrackedTask.__name__ = TrackedTask.__qualname__ = "Task"  # reprs read as asyncio's: <Task pending name=...>


class _Entry(weakref.ref):
    """What the tracker knows of one running task, and its only reference to it: a weak one,
    whose callback notices the task being destroyed while pending."""

    __slots__ = ("tid", "name", "cancelling")

    def __new__(cls, task, callback, tid, name):
        return super().__new__(cls, task, callback)

    def __init__(self, task, callback, tid, name):
        super().__init__(task, callback)
        self.tid = tid
        self.name = name
        self.cancelling = False


class Tracker:
    def __init__(self, emit, now_ms):
        self._emit_raw = emit
        self._now = now_ms
        self._counter = itertools.count(1)  # next() is atomic: loops in several threads may create tasks
        self._foreign = weakref.WeakKeyDictionary()  # running task of another class (a task factory's) -> _Entry
        self._refs = {}  # id -> _Entry of each running task
        self._destroyed = collections.deque()  # ids whose task was collected while pending (filled by weakref callbacks)
        destroyed = self._destroyed
        self._on_collected = lambda entry: destroyed.append(entry.tid)  # may run in any thread, inside anything: no locks
        self._hidden = weakref.WeakKeyDictionary()  # running hidden task -> id of its nearest visible ancestor
        self._to_hide = set()  # coroutines our package runs for itself
        self._sites = {}  # coroutine -> (file, line) to report instead of the caller's
        self._failed = weakref.WeakKeyDictionary()  # failed task -> reported name
        self.loops = weakref.WeakSet()
        self.stopping = False
        self._original = None
        self._original_task = None
        # Held while a task's state report is decided and sent: "cancelling" may be sent from
        # the channel's reader thread (a request the busy loop cannot act on yet) and must
        # never follow the task's end report.
        self._state_lock = threading.Lock()
        if hasattr(os, "register_at_fork"):  # a forked child: another thread may have held it
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        self._state_lock = threading.Lock()

    # -- installation -------------------------------------------------------------

    def install(self):
        global _active
        original = base_events.BaseEventLoop.create_task
        tracker = self

        def create_task(loop, coro, **kwargs):
            parent = asyncio.current_task(loop)
            task = original(loop, coro, **kwargs)
            try:
                name = kwargs.get("name")
                if name is None:
                    caller = sys._getframe(1)
                    if caller.f_code in _NAMING_CALLERS:
                        name = caller.f_locals.get("name")
                tracker._created(loop, task, coro, name, parent)
            except Exception as e:  # noqa: B902 - the program's create_task must not fail because of us
                tracker._internal_error("reporting a new task", e)
            return task

        create_task.__wrapped__ = original
        create_task.__doc__ = original.__doc__
        self._original = original
        base_events.BaseEventLoop.create_task = create_task
        self._original_task = tasks.Task
        tasks.Task = TrackedTask  # what BaseEventLoop.create_task instantiates (a task factory's choice stays its own)
        _active = self

    def uninstall(self):
        global _active
        if self._original is not None:
            base_events.BaseEventLoop.create_task = self._original
            tasks.Task = self._original_task
            self._original = None
            if _active is self:
                _active = None

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

    # -- sending --------------------------------------------------------------------

    def _emit(self, message):
        """Sends one report; a report that cannot be encoded is sent with its text made
        safe, and a failure to send never reaches the program."""
        try:
            self._emit_raw(message)
        except Exception as e:  # noqa: B902
            try:
                self._emit_raw(_wire_safe(message))
            except Exception:  # noqa: B902 - reporting the report's failure is all that is left
                self._internal_error("sending %s" % message.get("etype"), e)

    def _internal_error(self, doing, e):
        try:
            sys.__stderr__.write("scene_runner: internal error while %s: %s: %s\n" % (doing, type(e).__name__, safe_str(e)))
        except Exception:  # noqa: B902
            pass

    def _flush_destroyed(self):
        while self._destroyed:
            tid = self._destroyed.popleft()
            if self._refs.pop(tid, None) is not None:
                self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": {"id": tid, "state": "failed", "error": {"name": "RuntimeError", "message": DESTROYED_PENDING}}})

    # -- task lifecycle ----------------------------------------------------------------

    def _entry(self, task):
        entry = getattr(task, "_sr_entry", None)
        if entry is None and type(task) is not TrackedTask:
            entry = self._foreign.get(task)
        return entry

    def _parent_id(self, parent):
        if parent is None:
            return None
        entry = self._entry(parent)
        return entry.tid if entry is not None else self._hidden.get(parent)

    def _created(self, loop, task, coro, name, parent):
        if self._destroyed:
            self._flush_destroyed()
        if loop not in self.loops:
            self.loops.add(loop)
        _drop_our_frame(task)
        parent_id = self._parent_id(parent)
        mine = type(task) is TrackedTask
        if coro in self._to_hide or self._is_loop_housekeeping(coro):
            self._to_hide.discard(coro)
            self._hidden[task] = parent_id
            if mine:
                task._sr_entry = None
            return
        tid = "t%d" % next(self._counter)
        if name is not None:
            name = wire_text(safe_str(name))
        else:
            name = wire_text(getattr(coro, "__qualname__", None) or safe_str(task.get_name()))
        entry = _Entry(task, self._on_collected, tid, name)
        if mine:
            task._sr_entry = entry
        else:
            self._foreign[task] = entry
        self._refs[tid] = entry
        site = self._sites.pop(coro, None)
        file, line = site if site else user_caller(3)
        info = {"id": tid, "name": name, "parent": parent_id}
        if file is not None:
            info["file"] = wire_text(file)
            info["line"] = line
        self._emit({"etype": "TASK_SPAWN", "ts": self._now(), "task": info})
        task.add_done_callback(self._done)

    @staticmethod
    def _is_loop_housekeeping(coro):
        # asyncio.run's shutdown_asyncgens / shutdown_default_executor: not the program's tasks.
        code = _coro_code(coro)
        return code is not None and code.co_filename == _BASE_EVENTS_FILE

    def _cancel_requested(self, task):
        """A cancel was asked for (on any thread): "cancelling" once, unless the task has ended."""
        entry = self._entry(task)
        if entry is None or entry.cancelling:
            return
        with self._state_lock:
            if entry.cancelling or self._refs.get(entry.tid) is not entry or task.done():
                return
            entry.cancelling = True
            self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": {"id": entry.tid, "state": "cancelling"}})

    def _uncancelled(self, task):
        entry = self._entry(task)
        if entry is None or not entry.cancelling:
            return
        with self._state_lock:
            if not entry.cancelling or self._refs.get(entry.tid) is not entry or task.done():
                return
            entry.cancelling = False
            self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": {"id": entry.tid, "state": "running"}})

    def _done(self, task):
        with self._state_lock:
            entry = self._entry(task)
            if entry is None or self._refs.pop(entry.tid, None) is None:
                return
            if type(task) is TrackedTask:
                task._sr_entry = None
            else:
                self._foreign.pop(task, None)
            try:
                state = self._end_state(entry, task)
            except Exception as e:  # noqa: B902 - whatever the task ended with, it gets its end report
                state = {"id": entry.tid, "state": "failed", "error": {"name": type(e).__name__, "message": "scene_runner could not describe this task's end: %s" % safe_str(e)}}
            self._emit({"etype": "TASK_STATE", "ts": self._now(), "task": state})
        if self._destroyed:
            self._flush_destroyed()

    def _end_state(self, entry, task):
        tid = entry.tid
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
        self._failed[task] = entry.name
        return {"id": tid, "state": "failed", "error": error_info(exc)}

    # -- requests from the host --------------------------------------------------------

    def running_task(self, tid):
        ref = self._refs.get(tid) if isinstance(tid, str) else None
        return ref() if ref is not None else None

    def cancel(self, tid):
        """Cancels one task from another thread, as task.cancel() would. False if unknown.
        The task shows as cancelling at once, even while its loop is too busy to act."""
        task = self.running_task(tid)
        if task is None:
            return False
        try:
            task.get_loop().call_soon_threadsafe(self._cancel_on_loop, task)
        except RuntimeError:  # its loop is closed: the task can never run again
            return False
        self._cancel_requested(task)
        return True

    def _cancel_on_loop(self, task):
        if task.cancel() and not isinstance(task, TrackedTask):  # a task factory's task: report it here
            self._cancel_requested(task)

    def cancel_all(self):
        """Cancels every task (ours too) on every running loop. Thread-safe.
        Returns True if at least one running loop was asked."""
        asked = False
        for loop in list(self.loops):
            if loop.is_closed() or not loop.is_running():
                continue
            try:
                loop.call_soon_threadsafe(self._cancel_loop_tasks, loop)
                asked = True
            except RuntimeError:
                pass
        for ref in list(self._refs.values()):  # every task shows as cancelling at once
            task = ref()
            if task is not None:
                self._cancel_requested(task)
        return asked

    def _cancel_loop_tasks(self, loop):
        for task in asyncio.all_tasks(loop):
            self._cancel_on_loop(task)

    # -- end of session ------------------------------------------------------------------

    def abandon_live(self):
        """Tasks still registered when the program is over never run again: report them
        cancelled so every TASK_SPAWN has its end."""
        self._flush_destroyed()
        for tid in list(self._refs):
            ref = self._refs.pop(tid, None)
            if ref is not None:
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


def _drop_our_frame(task):
    """In debug mode a task records where it was created: our create_task wrapper is not
    part of that story (asyncio's own tests compare the frames)."""
    tb = getattr(task, "_source_traceback", None)
    if tb:
        for i in range(len(tb) - 1, -1, -1):
            if tb[i].filename == _THIS_FILE:
                del tb[i]
                break


def _wire_safe(x):
    """A copy of a report whose every string can be encoded as UTF-8 JSON."""
    if isinstance(x, str):
        return wire_text(x)
    if isinstance(x, dict):
        return {wire_text(safe_str(k)): _wire_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_wire_safe(v) for v in x]
    if x is None or isinstance(x, (bool, int)):
        return x
    if isinstance(x, float):
        return x if x == x and x not in (float("inf"), float("-inf")) else None
    return wire_text(safe_str(x))
