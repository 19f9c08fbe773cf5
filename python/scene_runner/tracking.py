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

Reports are cheap to make because most of their cost is put off: each event appends six
items to ``records`` (no dictionary, no JSON, no lock on the common path) and the channel
turns them into frames when it writes (at the end of the loop iteration, before any other
message, and at the end of the session), in the order they were made: a run of reports of
one kind as one TASK_BATCH (columns, src/protocol/task-batch.ts; the host expands it into
the TASK_SPAWN/TASK_STATE messages it stands for), a failure as its own TASK_STATE. A name
given with set_name before the task's report is written (asyncio.create_task names its
task after loop.create_task returns) is the reported one.
"""
import asyncio
import collections
import itertools
import json
import math
import operator
import os
import sys
import threading
import time
import types
import weakref
from asyncio import base_events, events, tasks
from json.encoder import encode_basestring_ascii as _json_str

from .contract import TASK_BATCH_MAX, TASK_BATCH_SPAWN, TASK_BATCH_STATE, TASK_STATES
from .frames import _heads as _frame_heads, frame_head
from .where import error_info, format_exception, is_user, safe_str, wire_text

_BASE_EVENTS_FILE = os.path.abspath(base_events.__file__)
_MISSING = object()
_NO_CONTEXT = object()  # create_task called without a context
DESTROYED_PENDING = "Task was destroyed but it is pending!"

# Python 3.9-3.12 call loop.create_task(coro) and set the program's name afterwards
# (tasks._set_task_name): for calls from these functions the name is read once it is set.
_NAMING_CALLERS = {tasks.create_task.__code__}
try:
    from asyncio import taskgroups

    _NAMING_CALLERS.add(taskgroups.TaskGroup.create_task.__code__)
except ImportError:  # Python < 3.11 has no TaskGroup
    pass


def _coro_code(coro):
    return getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)


_THIS_FILE = _coro_code.__code__.co_filename  # as frames name this module (not always abspath(__file__))

# Records: Tracker.records is a flat list, six items per report (a list of tuples would keep
# one more object per report alive for the garbage collector to scan, and it showed).
_SPAWN = TASK_BATCH_SPAWN  # _SPAWN, task (or _Entry), parent tid or None, JSON of the creation file or None, line, time
_STATE = TASK_BATCH_STATE  # _STATE, task (or _Entry, or the tid of a destroyed task), the state's JSON members, time, is an end, None
_STRIDE = 6

_RUNNING = '"state":"running"'
_CANCELLING = '"state":"cancelling"'
_DONE = '"state":"done"'
_CANCELLED = '"state":"cancelled"'
# A state's index in TASK_BATCH's state column; a failure carries an error and goes out on its own.
_STATE_INDEX = {'"state":"%s"' % state: i for i, state in enumerate(TASK_STATES) if state != "failed"}
_DESTROYED = '"state":"failed","error":{"name":"RuntimeError","message":%s}' % _json_str(DESTROYED_PENDING)

#: Reports kept before a task creation writes them out: a loop iteration that creates
#: tasks without end (a busy loop) still reports them as it goes, with bounded memory.
MAX_RECORDS = 4096
MAX_NAMES = 4096  # task names whose JSON is kept for the next task of that name

_json_error = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode

_time = time.time
_active = None  # the installed Tracker, for TrackedTask


class TrackedTask(tasks.Task):
    """The task class loops create (``asyncio.tasks.Task`` while the tracker is installed):
    asyncio's own C task, which also carries what the tracker knows of it (no second object
    per task), reports cancel requests, and notices being destroyed while pending.
    ``asyncio.Task`` itself is untouched; isinstance checks hold."""

    __slots__ = (
        "_sr_tid",  # int ("t<tid>" on the wire); unset for tasks that are not reported (ours)
        "_sr_name",  # the name given to create_task, else the coroutine's __qualname__, else None
        "_sr_initial",  # None until its TASK_SPAWN is encoded, then _ENCODED (see set_name, _name_of)
        "_sr_cancelling",
        "_sr_ended",  # set once its end report is encoded: a later "cancelling"/"running" is dropped
        "_sr_quiet",  # True once the program set _log_destroy_pending false (see below)
    )

    # The base methods are called directly, not through super(): these run once per task.
    def cancel(self, msg=None):
        requested = _task_cancel(self, msg)
        if requested:
            tracker = _active
            # Not cancelling already: the first request is reported (Tracker._cancel_requested).
            if tracker is not None and getattr(self, "_sr_cancelling", True) is False:
                tracker._cancel_requested(self)
        return requested

    def set_name(self, value):
        # asyncio.create_task and TaskGroup.create_task (3.9-3.12) name the task after
        # loop.create_task returns: a name set before its TASK_SPAWN is encoded is the reported one.
        _task_set_name(self, value)
        if getattr(self, "_sr_initial", _ENCODED) is None:
            self._sr_name = self.get_name()

    if hasattr(tasks.Task, "uncancel"):  # 3.11+: asyncio.timeout and TaskGroup take a cancel back

        def uncancel(self):
            left = super().uncancel()
            tracker = _active
            if left == 0 and tracker is not None:
                tracker._uncancelled(self)
            return left

    # A pending task nobody references is collected as under plain asyncio, whose finalizer (C)
    # then calls its loop's call_exception_handler with "Task was destroyed but it is pending!":
    # the tracker hears of it there (_watch_destroyed), so TrackedTask needs no __del__ (a Python
    # finalizer per task cost 1.4k instructions). asyncio turns that call off for some tasks
    # (gather's own, run_until_complete's) with _log_destroy_pending; here the wish is kept in a
    # slot and the C flag stays on, so the tracker still hears, and says nothing where asyncio would not.
    @property
    def _log_destroy_pending(self):
        return not getattr(self, "_sr_quiet", False)

    @_log_destroy_pending.setter
    def _log_destroy_pending(self, value):
        self._sr_quiet = not value


_task_cancel = tasks.Task.cancel
_task_set_name = tasks.Task.set_name
_ENCODED = object()  # TrackedTask._sr_initial once the task's TASK_SPAWN is encoded
TrackedTask.__name__ = TrackedTask.__qualname__ = "Task"  # reprs read as asyncio's: <Task pending name=...>


class _Entry(weakref.ref):
    """What the tracker knows of a task of another class (a task factory's), with the same
    fields as a TrackedTask: a weak reference to it, whose callback notices it being
    destroyed while pending. Made with weakref's own constructor, its fields set after."""

    __slots__ = ("_sr_tid", "_sr_name", "_sr_initial", "_sr_cancelling", "_sr_ended")


def _name_of(obj):
    """The task's name: the one its creator gave (read once create_task has returned and
    asyncio.create_task or TaskGroup.create_task named it), else its coroutine's."""
    name = obj._sr_name
    initial = obj._sr_initial
    task = None
    if initial is not None and initial is not _ENCODED:
        task = obj if type(obj) is TrackedTask else obj()
        if task is not None:
            try:
                now = task.get_name()
            except Exception:  # noqa: B902 - a task factory's task may be anything
                now = initial
            if now is not initial:
                name = obj._sr_name = now
        obj._sr_initial = _ENCODED
    if name is None:  # no name given, and a coroutine without a qualified name
        if task is None:
            task = obj if type(obj) is TrackedTask else obj()
        name = obj._sr_name = safe_str(task.get_name()) if task is not None else "Task"
    return name


class _Columns:
    """The columns of the TASK_BATCH being built (src/protocol/task-batch.ts), as lists of
    ints (None for a spawn without parent); text() writes it and empties them."""

    __slots__ = ("lists",)

    def __init__(self):
        self.lists = ([], [], [], [], [], [], [], [])  # kind, id, dt, name, parent, file, line, state

    def text(self, t0, strings):
        kinds, ids, dts, names, parents, files, lines, states = self.lists
        text = _BATCH % (
            t0, ",".join(strings), ",".join(map(str, kinds)), '","t'.join(map(str, ids)), ",".join(map(str, dts)),
            ",".join(map(str, names)), ",".join(["null" if p is None else '"t%d"' % p for p in parents]),
            ",".join(map(str, files)), ",".join(map(str, lines)), ",".join(["0"] * len(names)), ",".join(map(str, states)))
        for column in self.lists:
            del column[:]
        return text


def _ints(xs):
    """A list of ints as JSON array items, in one %-format (faster than joining str() of each)."""
    return ("%d," * len(xs) % tuple(xs))[:-1]


def _zeros(n):
    return ("0," * n)[:-1]


def _repeat(value, n):
    """A column of n times the same int, as JSON array items."""
    return ("%d," % value * n)[:-1]


_get_tid = operator.attrgetter("_sr_tid")
_get_name = operator.attrgetter("_sr_name")
_get_initial = operator.attrgetter("_sr_initial")
_get_ended = operator.attrgetter("_sr_ended")
_floor = math.floor


_BATCH = ('{"etype":"TASK_BATCH","ts":%d,"strings":[%s],"kind":[%s],"id":["t%s"],"dt":[%s],"name":[%s],'
          '"parent":[%s],"file":[%s],"line":[%s],"column":[%s],"state":[%s]}')


def _frame(text):
    """The frame of an ASCII JSON text, as latin-1 text (head, text, zero padding)."""
    head = _frame_heads.get(len(text))
    if head is None:
        head = frame_head(len(text))
    return head[0] + text + head[1]


class Tracker:
    def __init__(self):
        #: Reports not yet encoded, in order (see _SPAWN): extended from any thread without a
        #: lock, taken by frames() (under the channel's lock) with a slice and a del, each atomic.
        self.records = []
        self._flush = _nothing  # the channel's flush, for reports made off the loop's thread
        self._batches = _always  # the channel's: does this loop's iteration end flush? (else: flush at once)
        # Loops whose iterations do not flush (not BaseEventLoops): reports are written at once.
        # A WeakSet's truth test is Python code: the plain flag beside it is what each task reads.
        self._eager = weakref.WeakSet()
        self._any_eager = False
        self._counter = itertools.count(1)  # next() is atomic: loops in several threads may create tasks
        # tids of the reported tasks that have not ended, as a dict of ints to None: the collector
        # never scans a dict that holds no containers (a set it scans whole at every full collection).
        self._live = {}
        self._foreign = weakref.WeakKeyDictionary()  # running task of another class (a task factory's) -> _Entry
        self._foreign_tids = {}  # tid -> _Entry of those
        self._on_collected = self._foreign_collected
        self._done_cb = self._done  # one bound method for every task, not one per task
        # Loops whose handles are not asyncio's own (see _watch_steps): their tasks' ends are
        # heard through a done callback instead.
        self._callback_loops = weakref.WeakSet()
        self._any_callback_loops = False
        self._unusual = False  # _any_eager or _any_callback_loops: the report's fast path is off
        self._original_run = None
        self._original_handler = None
        self._hidden = weakref.WeakKeyDictionary()  # running hidden task -> tid of its nearest visible ancestor
        self._special = {}  # coroutine -> _HIDE or (file, line): tasks our package starts (see hide, site)
        self._failed = weakref.WeakKeyDictionary()  # failed task -> its reported name
        self._user_code = {}  # code object -> JSON string of its file when the program's own, else False
        self._name_json = {}  # task name -> its JSON string (names repeat)
        self.loops = weakref.WeakSet()
        self._last_loop = None  # weak reference to the loop seen last: most tasks skip the WeakSet
        self.stopping = False
        self._original = None
        self._original_task = None
        # Held while a "cancelling"/"running" report is decided: a cancel may be requested from
        # the channel's reader thread (a request the busy loop cannot act on yet) as from the
        # loop, and is reported once. That one never follows the task's end report is decided
        # when the records are encoded, in order (frames()).
        self._state_lock = threading.Lock()
        if hasattr(os, "register_at_fork"):  # a forked child: another thread may have held it
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        self._state_lock = threading.Lock()

    def attach(self, flush, batches):
        """flush(): writes what is recorded now (the channel's), for reports made off the loop;
        batches(loop): whether the end of loop's iterations writes (else reports are written at once)."""
        self._flush = flush
        self._batches = batches

    # -- installation -------------------------------------------------------------

    def _fast_create_task(self, original):
        """BaseEventLoop.create_task for asyncio's own signatures (name on 3.9-3.10, name and
        context since 3.11), reporting the usual task (a TrackedTask of the loop seen last, a
        coroutine, a reported parent or none, nothing special pending) inline, with its state
        in locals; anything else goes to _created. This runs once per task the program makes:
        every operation counts (a call to a separate report function was ~5 % of it)."""
        created = self._created
        records = self.records
        extend = records.extend
        special = self._special
        sites = {}  # id(code) -> (code, JSON of its file if the program's own else False, {f_lasti: line})
        user_file = self._user_file
        next_tid = self._counter.__next__
        live = self._live
        base_file = _BASE_EVENTS_FILE
        limit = MAX_RECORDS * _STRIDE
        tracker = self
        current_task = asyncio.current_task
        getframe = sys._getframe
        coroutine = types.CoroutineType
        # The code that made the last task (a program's loop makes many in a row): compared by
        # identity before the site table, whose key is id(code), a new int each time.
        hot = [None, None]  # (the code of the program's frame, its site), the last non-user code seen
        skip = [None]
        hot_coro = [None]  # the code of the last coroutine reported here (not asyncio's own)

        def create_task(loop, coro, *, name=None, context=_NO_CONTEXT):
            parent = current_task(loop)
            if context is not _NO_CONTEXT:  # passed on as given (3.9 and 3.10 refuse one, as asyncio does)
                task = original(loop, coro, name=name, context=context)
            elif loop._task_factory is None and not loop._debug and not loop._closed:
                # What BaseEventLoop.create_task does here (3.9-3.13), without its two Python frames
                # (itself and _check_closed): a task factory, debug mode (which trims the task's
                # creation traceback) and a closed loop (which raises) take the original.
                task = tasks.Task(coro, loop=loop, name=name)
            else:
                task = original(loop, coro, name=name)
            try:
                last = tracker._last_loop
                if (type(task) is not TrackedTask or type(coro) is not coroutine or special or tracker._unusual
                        or len(records) >= limit or last is None or last() is not loop):
                    created(loop, task, coro, name, parent, getframe(1))
                    return task
                if parent is None:
                    parent_id = None
                else:
                    try:
                        parent_id = parent._sr_tid
                    except AttributeError:  # a task factory's task (another class)
                        parent_id = None
                    if parent_id is None:  # that, or a hidden task's child
                        created(loop, task, coro, name, parent, getframe(1))
                        return task
                code = coro.cr_code
                if code is not hot_coro[0]:  # compared once per coroutine function in a row
                    if code.co_filename == base_file:
                        created(loop, task, coro, name, parent, getframe(1))
                        return task
                    hot_coro[0] = code
                if task._source_traceback:  # debug mode
                    created(loop, task, coro, name, parent, getframe(1))
                    return task
                task._sr_tid = tid = next_tid()
                task._sr_initial = None
                task._sr_cancelling = task._sr_ended = False
                task._sr_name = name if name is not None else (coro.__qualname__ or None)
                live[tid] = None
                # The creation site: the innermost frame of the program's own code that asked.
                file = line = None
                frame = getframe(1)
                while frame is not None:
                    code = frame.f_code
                    if code is hot[0]:
                        site = hot[1]
                    elif code is skip[0]:
                        frame = frame.f_back
                        continue
                    else:
                        # Keyed by id: hashing a code object hashes its constants, every time. The
                        # entry holds the code, so no other object takes its id while it is there.
                        site = sites.get(id(code))
                        if site is None:
                            site = sites[id(code)] = (code, user_file(code), {})
                        if not site[1]:
                            skip[0] = code
                            frame = frame.f_back
                            continue
                        hot[0], hot[1] = code, site
                    file = site[1]
                    lines = site[2]
                    at = frame.f_lasti
                    line = lines.get(at)
                    if line is None:  # f_lineno decodes the line table; an instruction's line never changes
                        line = lines[at] = frame.f_lineno
                    break
                extend((_SPAWN, task, parent_id, file, line, _time()))
            except Exception as e:  # noqa: B902 - the program's create_task must never fail because of us
                _internal_error("reporting a new task", e)
            return task

        return create_task

    def install(self):
        global _active
        original = base_events.BaseEventLoop.create_task
        current_task = asyncio.current_task
        getframe = sys._getframe
        keywords = _keywords(original)

        if keywords in (("name", "context"), ("name",)):  # 3.11+; 3.9, 3.10
            create_task = self._fast_create_task(original)
        else:  # a newer asyncio with other options: passed on as they come
            created = self._created

            def create_task(loop, coro, **kwargs):
                parent = current_task(loop)
                task = original(loop, coro, **kwargs)
                try:
                    created(loop, task, coro, kwargs.get("name"), parent, getframe(1))
                except Exception as e:  # noqa: B902 - the program's create_task must never fail because of us
                    _internal_error("reporting a new task", e)
                return task

        create_task.__wrapped__ = original
        create_task.__doc__ = original.__doc__
        self._original = original
        base_events.BaseEventLoop.create_task = create_task
        self._original_task = tasks.Task
        tasks.Task = TrackedTask  # what BaseEventLoop.create_task instantiates (a task factory's choice stays its own)
        self._watch_steps()
        self._watch_destroyed()
        _active = self

    def _watch_destroyed(self):
        """Hears of a TrackedTask destroyed while pending from the call its finalizer makes."""
        original = base_events.BaseEventLoop.call_exception_handler
        tracker = self

        def call_exception_handler(loop, context):
            task = context.get("task") if type(context) is dict else None
            if type(task) is TrackedTask and context.get("message") == DESTROYED_PENDING and not task.done():
                try:
                    if _active is tracker:
                        tracker._destroyed_pending(getattr(task, "_sr_tid", None))
                except Exception as e:  # noqa: B902 - the program's handler still runs
                    _internal_error("reporting a destroyed task", e)
                if getattr(task, "_sr_quiet", False):
                    return None  # plain asyncio would not have called: nothing is logged
            return original(loop, context)

        call_exception_handler.__wrapped__ = original
        call_exception_handler.__doc__ = original.__doc__
        self._original_handler = original
        base_events.BaseEventLoop.call_exception_handler = call_exception_handler

    def _watch_steps(self):
        """A task ends only inside one of its steps, and on asyncio's own loops every step runs
        from a Handle (its __step, or its wakeup when what it awaits is done). So the end is
        seen right after the handle runs: cheaper than a done callback per task (a second
        Handle, a call_soon in Python and a turn of the loop each, about a sixth of what
        plain asyncio spends on a task that awaits once), and reported at the moment it ends."""
        run = events.Handle._run
        done = self._done
        tracker = self
        live = self._live
        extend = self.records.extend

        def _run(handle):
            try:
                run(handle)
            finally:
                # A task's step and its wakeup have the task as __self__ (the C task's
                # TaskStepMethWrapper, TaskWakeupMethWrapper on 3.9, a bound builtin method
                # later, the Python task's bound methods); other callbacks have none or another.
                task = getattr(handle._callback, "__self__", None)
                if type(task) is TrackedTask and task.done():
                    try:
                        tid = task._sr_tid
                    except AttributeError:  # made by calling tasks.Task itself, not create_task: not reported
                        tid = None
                    # The usual ends (done or cancelled, on a loop whose iterations write) are
                    # recorded here, as _done would, without a call; a failure goes to _done.
                    if tid is not None:
                        if tracker._unusual:
                            done(task)
                        elif task.cancelled():
                            if live.pop(tid, False) is None:
                                extend((_STATE, task, _CANCELLED, _time(), True, None))
                        elif task._exception is None:  # read without marking it retrieved
                            if live.pop(tid, False) is None:
                                extend((_STATE, task, _DONE, _time(), True, None))
                        else:
                            done(task)

        _run.__wrapped__ = run
        self._original_run = run
        events.Handle._run = _run

    def uninstall(self):
        global _active
        if self._original is not None:
            base_events.BaseEventLoop.create_task = self._original
            tasks.Task = self._original_task
            events.Handle._run = self._original_run
            base_events.BaseEventLoop.call_exception_handler = self._original_handler
            self._original = None
            if _active is self:
                _active = None

    # -- hints from our own package --------------------------------------------------

    def hide(self, coro):
        """The task that will run this coroutine is ours: keep it out of the task tree."""
        self._special[coro] = _HIDE
        return coro

    def site(self, coro, fn):
        """Report the task running this coroutine as created where fn is defined
        (for main and event handlers, which our package starts on the program's behalf)."""
        code = getattr(fn, "__code__", None)
        if code is not None:
            self._special[coro] = (code.co_filename, code.co_firstlineno)
        return coro

    # -- encoding -------------------------------------------------------------------

    def frames(self):
        """The frames of every report recorded so far, as one bytes (b"" if none), removing
        them. Called by the channel, under its lock, so by one thread at a time.

        The reports go out as TASK_BATCH frames (src/protocol/task-batch.ts: columns, expanded
        by the host into the TASK_SPAWN/TASK_STATE messages they stand for, in order), but a
        failure, which carries its error, as its own TASK_STATE between them. Every text is
        ASCII (names and files are JSON-escaped), so frames are built as one latin-1 string,
        encoded once."""
        records = self.records
        n = len(records)
        if not n:
            return b""
        batch = records[:n]
        del records[:n]
        parts = []
        kinds = batch[0::_STRIDE]
        start, count = 0, len(kinds)
        while start < count:  # runs of one kind (a burst of spawns, a burst of ends) in columns at once
            # At most TASK_BATCH_MAX reports a frame: the host expands one frame in one go. The
            # search for the run's end stops there too (searched to the list's end, a flush of
            # 100,000 ends cost 200 comparisons a report: the rest of the list was scanned once a frame).
            stop = min(count, start + TASK_BATCH_MAX)
            try:
                end = kinds.index(_STATE if kinds[start] == _SPAWN else _SPAWN, start, stop)
            except ValueError:
                end = stop
            run = batch[start * _STRIDE:end * _STRIDE]
            try:
                text = self._bulk(run, kinds[start])
            except Exception:  # noqa: B902 - something odd in the run: each report on its own below
                text = None
            if text is None:
                self._each(run, parts)
            else:
                parts.append(_frame(text))
            start = end
        return "".join(parts).encode("latin-1")

    def _bulk(self, run, kind):
        """The TASK_BATCH text of a run of reports of one kind, built column by column with
        slices, maps and one %-format per column (no Python code per report but a few list
        comprehensions); None when the run holds what only _each handles (a failure, a task
        whose name is read late, a change of state racing its end).

        Turning ints into decimal text was most of its cost, so a column whose values are all
        the same (one name, one file, one line, one parent, one state: a burst from one loop)
        is one value's text repeated, and the times are subtracted as floats (small ints, no
        big-int arithmetic)."""
        objs = run[1::_STRIDE]
        n = len(objs)
        ids = list(map(_get_tid, objs))  # an int (a destroyed task's tid) has none: _each
        strings = []
        if kind == _SPAWN:
            # A burst's names, files, parents and lines are mostly one object each: count() tests
            # identity first, cheaper than the string tables' hashing, which only mixed runs need.
            names = list(map(_get_name, objs))
            unique_names = {names[0]: None} if names.count(names[0]) == n else dict.fromkeys(names)
            if None in unique_names or list(map(_get_initial, objs)).count(None) != n:
                return None
            name_json = self._name_json
            for name in unique_names:
                js = name_json.get(name)
                strings.append(js if js is not None else self._name_text(name))
            if len(strings) == 1:
                name_col = _zeros(n)
            else:
                index = {name: i for i, name in enumerate(unique_names)}
                name_col = _ints(list(map(index.__getitem__, names)))
            files = run[3::_STRIDE]
            unique_files = None if files.count(files[0]) == n else dict.fromkeys(files)
            if unique_files is None:
                js = files[0]
                if js is None:
                    file_col = _repeat(-1, n)
                else:
                    file_col = _repeat(len(strings), n)
                    strings.append(js)
            else:
                file_index = {None: -1}
                for js in unique_files:
                    if js is not None:
                        file_index[js] = len(strings)
                        strings.append(js)
                file_col = _ints(list(map(file_index.__getitem__, files)))
            parents = run[2::_STRIDE]
            if parents.count(parents[0]) == n:
                parent = parents[0]
                parent_col = (("null," if parent is None else '"t%d",' % parent) * n)[:-1]
            else:
                parent_text = {p: "null" if p is None else '"t%d"' % p for p in dict.fromkeys(parents)}
                parent_col = ",".join(map(parent_text.__getitem__, parents))
            lines = run[4::_STRIDE]
            if lines.count(lines[0]) == n:
                line_col = _repeat(lines[0] or 0, n)
            else:
                line_col = _ints([x or 0 for x in lines])
            times = run[5::_STRIDE]
            spawn_cols = (name_col, parent_col, file_col, line_col, _zeros(n))
            state_col = ""
        else:
            ends = run[4::_STRIDE]
            if ends.count(ends[0]) != n or any(map(_get_ended, objs)):
                return None  # ends and changes mixed, or a change after its end: in order, one by one
            states = run[2::_STRIDE]
            if states.count(states[0]) == n:  # the same constant: one identity test each
                state = _STATE_INDEX.get(states[0])
                if state is None:
                    return None
                state_col = _repeat(state, n)
            else:
                states = list(map(_STATE_INDEX.get, states))
                if None in states:
                    return None
                state_col = _ints(states)
            times = run[3::_STRIDE]
            spawn_cols = ("", "", "", "", "")
        t0 = int(times[0] * 1000)
        # floor(t * 1000) - t0, exactly (the difference of two close floats is exact), as small ints.
        base = float(t0)
        dts = [_floor(t * 1000.0 - base) for t in times]
        dt_col = _repeat(dts[0], n) if dts.count(dts[0]) == n else _ints(dts)
        text = _BATCH % ((t0, ",".join(strings), _repeat(kind, n), ('%d","t' * n % tuple(ids))[:-4], dt_col) + spawn_cols + (state_col,))
        if kind == _SPAWN:
            for o in objs:
                o._sr_initial = _ENCODED  # a later set_name is not this report's
        elif ends[0]:
            for o in objs:
                o._sr_ended = True
        return text

    def _each(self, run, parts):
        """The frames of a run of reports, one report at a time (see _bulk), onto parts."""
        name_json = self._name_json
        state_index = _STATE_INDEX
        strings = {}  # JSON text of a name or file -> its index in the batch's strings
        cols = _Columns()
        kinds, ids, dts, names, parents, files, lines, states = cols.lists
        kind_add, id_add, dt_add, name_add = kinds.append, ids.append, dts.append, names.append
        parent_add, file_add, line_add, state_add = parents.append, files.append, lines.append, states.append
        t0 = 0
        it = iter(run)
        for kind, obj, a, b, c, d in zip(it, it, it, it, it, it):
            try:
                if kind == _SPAWN:  # a: parent, b: file, c: line, d: time
                    name = obj._sr_name
                    if name is None or obj._sr_initial is not None:
                        name = _name_of(obj)
                    obj._sr_initial = _ENCODED  # a later set_name is not this report's
                    js = name_json.get(name)
                    if js is None:
                        js = self._name_text(name)
                    ni = strings.get(js)
                    if ni is None:
                        ni = strings[js] = len(strings)
                    if b is None:
                        fi = -1
                    else:
                        fi = strings.get(b)
                        if fi is None:
                            fi = strings[b] = len(strings)
                    tid = obj._sr_tid
                    ms = int(d * 1000)
                    if not kinds:
                        t0 = ms
                    # Appended only once every value is known: the columns stay of one length.
                    name_add(ni)
                    file_add(fi)
                    parent_add(a)
                    line_add(c or 0)
                else:  # a: state, b: time, c: is an end
                    if type(obj) is int:  # a destroyed task: only its tid is left
                        tid = obj
                    else:
                        tid = obj._sr_tid
                        if c:
                            obj._sr_ended = True
                        elif obj._sr_ended:
                            continue  # a cancel requested from another thread as the task ended
                    si = state_index.get(a)
                    if si is None:  # a failure: its own message, after the reports made before it
                        if kinds:
                            parts.append(_frame(cols.text(t0, strings)))
                            strings = {}
                        parts.append(_frame('{"etype":"TASK_STATE","ts":%d,"task":{"id":"t%d",%s}}' % (b * 1000, tid, a)))
                        continue
                    ms = int(b * 1000)
                    if not kinds:
                        t0 = ms
                    state_add(si)
                kind_add(kind)
                id_add(tid)
                dt_add(ms - t0)
            except Exception as e:  # noqa: B902 - one report that cannot be made must not take the others
                _internal_error("encoding a task report", e)
        if kinds:
            parts.append(_frame(cols.text(t0, strings)))

    def _name_text(self, name):
        """The JSON string of a task name (kept for the next task of that name)."""
        js = _json_str(wire_text(safe_str(name)))
        if type(name) is str and len(self._name_json) < MAX_NAMES:
            self._name_json[name] = js
        return js

    def _user_file(self, code):
        """The JSON string of code's file if it is the program's own, else False (cached per code object)."""
        hit = self._user_code.get(code)
        if hit is None:
            file = code.co_filename
            hit = self._user_code[code] = _json_str(wire_text(file)) if is_user(file) else False
        return hit

    # -- task lifecycle ----------------------------------------------------------------

    def _holder(self, task):
        """What carries the tracker's fields for this task: itself, or its _Entry; None if not reported."""
        if type(task) is TrackedTask:
            return task if getattr(task, "_sr_tid", None) is not None else None
        return self._foreign.get(task)

    def _parent_id(self, parent):
        tid = getattr(parent, "_sr_tid", None)
        if tid is not None:
            return tid
        if type(parent) is not TrackedTask:
            entry = self._foreign.get(parent)
            if entry is not None:
                return entry._sr_tid
        return self._hidden.get(parent)

    def _created(self, loop, task, coro, name, parent, caller):
        records = self.records
        if len(records) >= MAX_RECORDS * _STRIDE:
            self._flush()  # before this task's record: every one recorded so far has its name
        last = self._last_loop
        if last is None or last() is not loop:
            self.loops.add(loop)
            self._last_loop = weakref.ref(loop)
            if not self._batches(loop):
                self._eager.add(loop)
                self._any_eager = self._unusual = True
            if not _asyncio_handles(loop):
                self._callback_loops.add(loop)
                self._any_callback_loops = self._unusual = True
        if getattr(task, "_source_traceback", None):
            _drop_our_frame(task)  # debug mode only
        parent_id = getattr(parent, "_sr_tid", None)  # a TrackedTask's; None for no parent
        if parent_id is None and parent is not None:
            parent_id = self._parent_id(parent)
        special = self._special.pop(coro, None) if self._special else None
        code = getattr(coro, "cr_code", None)
        if special is _HIDE or (code.co_filename == _BASE_EVENTS_FILE if code is not None else self._is_loop_housekeeping(coro)):
            self._hidden[task] = parent_id
            if type(task) is TrackedTask:
                task._sr_tid = None
            return
        if type(task) is TrackedTask:
            holder = task
        else:
            holder = _Entry(task, self._on_collected)
            self._foreign[task] = holder
        holder._sr_tid = tid = next(self._counter)
        # Every field set, even to its default: reading an unset slot raises inside, and
        # getattr's default then costs more than these stores.
        holder._sr_initial = None
        holder._sr_cancelling = holder._sr_ended = False
        if name is not None:
            holder._sr_name = name
        else:
            qualname = getattr(coro, "__qualname__", None)
            holder._sr_name = qualname if type(qualname) is str and qualname else None
            if caller.f_code in _NAMING_CALLERS:
                if self._any_eager and loop in self._eager:  # written now: the name is only in the caller's locals
                    given = caller.f_locals.get("name")
                    if given is not None:
                        holder._sr_name = given
                elif holder is not task:  # a TrackedTask hears its name in set_name
                    holder._sr_initial = task.get_name()
        if holder is not task:
            self._foreign_tids[tid] = holder
        self._live[tid] = None
        if special is not None:
            file, line = special
            file = _json_str(wire_text(file))
        else:  # the innermost frame of the program's own code that asked for this task
            file = line = None
            frame = caller
            user_code = self._user_code
            while frame is not None:
                code = frame.f_code
                hit = user_code.get(code)
                if hit is None:
                    hit = self._user_file(code)
                if hit:
                    file, line = hit, frame.f_lineno
                    break
                frame = frame.f_back
        records += (_SPAWN, holder, parent_id, file, line, _time())
        if holder is not task or (self._any_callback_loops and loop in self._callback_loops):
            task.add_done_callback(self._done_cb)  # else its end is seen after its last step (_watch_steps)
        if self._any_eager and loop in self._eager:
            self._flush()

    @staticmethod
    def _is_loop_housekeeping(coro):
        # asyncio.run's shutdown_asyncgens / shutdown_default_executor: not the program's tasks.
        code = _coro_code(coro)
        return code is not None and code.co_filename == _BASE_EVENTS_FILE

    def _cancel_requested(self, task):
        """A cancel was asked for (on any thread): "cancelling" once, unless the task has ended."""
        holder = self._holder(task)
        if holder is None or holder._sr_cancelling:
            return
        with self._state_lock:
            if holder._sr_cancelling or holder._sr_tid not in self._live or task.done():
                return
            holder._sr_cancelling = True
            self.records += (_STATE, holder, _CANCELLING, _time(), False, None)
        if self._any_eager and task.get_loop() in self._eager:
            self._flush()

    def _uncancelled(self, task):
        holder = self._holder(task)
        if holder is None or not holder._sr_cancelling:
            return
        with self._state_lock:
            if not holder._sr_cancelling or holder._sr_tid not in self._live or task.done():
                return
            holder._sr_cancelling = False
            self.records += (_STATE, holder, _RUNNING, _time(), False, None)
        if self._any_eager and task.get_loop() in self._eager:
            self._flush()

    def _done(self, task):
        if type(task) is TrackedTask:
            holder = task
        else:
            holder = self._foreign.pop(task, None)
            if holder is None:
                return
            self._foreign_tids.pop(holder._sr_tid, None)
        tid = holder._sr_tid
        if self._live.pop(tid, False) is not None:
            return  # already reported (abandon_live); one atomic pop, as another thread may report it
        if task.cancelled():
            state = _CANCELLED
        else:
            # Read the exception without marking it retrieved, so asyncio (and our end-of-session
            # check) can still say when nobody ever looked at it.
            exc = getattr(task, "_exception", _MISSING)
            if exc is _MISSING:
                exc = task.exception()
            state = _DONE if exc is None else self._failure(holder, task, exc)
        self.records += (_STATE, holder, state, _time(), True, None)
        if self._any_eager and task.get_loop() in self._eager:
            self._flush()

    def _failure(self, holder, task, exc):
        """The state members of a task that ended with exc."""
        if self.stopping and isinstance(exc, KeyboardInterrupt):
            return _CANCELLED  # our stop escalation interrupted it
        try:
            self._failed[task] = _name_of(holder)
            info = error_info(exc)
            try:
                text = _json_error(info)
            except ValueError:
                text = _json_error(_wire_safe(info))
            return '"state":"failed","error":' + text
        except Exception as e:  # noqa: B902 - whatever the task ended with, it gets its end report
            return '"state":"failed","error":%s' % _json_error({"name": wire_text(_type_name(e)), "message": "scene_runner could not describe this task's end: %s" % wire_text(safe_str(e))})

    def _destroyed_pending(self, tid):
        """A reported task was collected while pending (from its loop's call_exception_handler or an _Entry's
        callback: any thread, inside anything). Only its tid is kept: no reference to it."""
        if tid is not None and self._live.pop(tid, False) is None:
            self._foreign_tids.pop(tid, None)
            self.records += (_STATE, tid, _DESTROYED, _time(), True, None)

    def _foreign_collected(self, entry):
        self._destroyed_pending(getattr(entry, "_sr_tid", None))

    # -- requests from the host --------------------------------------------------------

    def running_task(self, tid):
        """The running task reported as tid ("t12"), or None. Looked up among each loop's
        tasks: a host's request is rare, a map kept per task would cost every task."""
        if not isinstance(tid, str) or not tid.startswith("t") or not tid[1:].isdigit():
            return None
        n = int(tid[1:])
        if n not in self._live:
            return None
        entry = self._foreign_tids.get(n)
        if entry is not None:
            return entry()
        for loop in list(self.loops):
            try:
                for task in asyncio.all_tasks(loop):
                    if getattr(task, "_sr_tid", None) == n:
                        return task
            except RuntimeError:  # a closed loop's tasks, changed while read: try the others
                continue
        return None

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
        self._flush()
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
            try:  # every task shows as cancelling at once
                running = list(asyncio.all_tasks(loop))
            except RuntimeError:
                running = ()
            for task in running:
                self._cancel_requested(task)
        self._flush()
        return asked

    def _cancel_loop_tasks(self, loop):
        for task in asyncio.all_tasks(loop):
            self._cancel_on_loop(task)

    # -- end of session ------------------------------------------------------------------

    def abandon_live(self):
        """Tasks still registered when the program is over never run again: report them
        cancelled so every TASK_SPAWN has its end."""
        for tid in sorted(self._live):
            if self._live.pop(tid, False) is None:
                self.records += (_STATE, tid, _CANCELLED, _time(), True, None)

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


_HIDE = object()  # in Tracker._special: the task is ours, not the program's


def _nothing():
    pass


def _always(loop):
    return True


def _asyncio_handles(loop):
    """Whether loop schedules callbacks as asyncio's own Handles (so _watch_steps sees every step)."""
    kind = type(loop)
    return (isinstance(loop, base_events.BaseEventLoop) and kind.call_soon is base_events.BaseEventLoop.call_soon
            and kind._call_soon is base_events.BaseEventLoop._call_soon and kind.call_at is base_events.BaseEventLoop.call_at)


def _keywords(fn):
    """The keyword-only parameters of fn, in order (asyncio's create_task differs by version)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    start = code.co_argcount
    return code.co_varnames[start:start + code.co_kwonlyargcount] if not code.co_flags & 0x08 else None  # 0x08: **kwargs


def _type_name(x):
    try:
        return type(x).__name__
    except Exception:  # noqa: B902
        return "object"


def _internal_error(doing, e):
    try:
        sys.__stderr__.write("scene_runner: internal error while %s: %s: %s\n" % (doing, type(e).__name__, safe_str(e)))
    except Exception:  # noqa: B902
        pass


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
    """A copy of a report whose every string can be encoded as JSON (no NaN, keys as text)."""
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
