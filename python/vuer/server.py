"""Vuer and VuerSession as a scene program sees them, running under Scene Runner.

There is no web server here: the supervisor is the "client". ``app.start()`` runs
the one session at once: the @app.spawn function is main, scene operations go to the
host as protocol messages, viewer events come back to @app.add_handler handlers and
``sess.till``. When main returns the remaining tasks are cancelled and ``start()``
returns, so the process can end (vuer would keep serving; the session is over).
"""
import array
import asyncio
import inspect
import struct
import sys
import time
import uuid
from collections import defaultdict, deque

from scene_runner.contract import rpc_response_type
from scene_runner.frames import DTYPES, Blob, encode_frame
from scene_runner.session import NoMainError, current

from .events import Add, ClientEvent, Remove, ServerEvent, Set, Update, Upsert


class RPCError(RuntimeError):
    """A request to the viewer (grab_render) that could not be answered."""


def _send(message):
    host = current()
    if host is None:
        encode_frame(message)  # imported outside Scene Runner: still reject what could not be sent
        return False
    return host.send(message)


def _hide(coro):
    host = current()
    return host.tracker.hide(coro) if host else coro


def _site(coro, fn):
    host = current()
    return host.tracker.site(coro, fn) if host else coro


class At:
    """``sess.upsert @ node`` and ``sess.upsert(node, to="parent")`` both call fn."""

    __slots__ = ("_fn",)

    def __init__(self, fn):
        self._fn = fn

    def __matmul__(self, arg):
        return self._fn(arg)

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)


class VuerSession:
    def __init__(self, app, loop):
        self.app = app
        self.loop = loop
        self.downlink_queue = deque(maxlen=app.queue_len)

    # -- scene operations: sent to the host at once (no queue to flush) -------------

    def send(self, event):
        if not isinstance(event, ServerEvent):
            raise TypeError("sess @ ... takes a vuer event (Set, Upsert, ...), got %s" % type(event).__name__)
        _send(event._serialize())
        return event

    __matmul__ = send

    @property
    def set(self):
        return At(lambda scene: self.send(Set(scene)))

    @property
    def upsert(self):
        return At(lambda *nodes, to=None, strict=False: self.send(Upsert(*nodes, to=to, strict=strict)))

    @property
    def add(self):
        return At(lambda *nodes, to=None: self.send(Add(*nodes, to=to)))

    @property
    def update(self):
        return At(lambda *nodes, strict=False: self.send(Update(*nodes, strict=strict)))

    @property
    def remove(self):
        return At(lambda *keys: self.send(Remove(*keys)))

    # -- tasks and events --------------------------------------------------------------

    def spawn_task(self, coro, name=None):
        """Like asyncio.create_task; the task shows in the task tree under its creator."""
        return asyncio.get_running_loop().create_task(coro, name=name)

    async def till(self, etype, timeout=None):
        """Waits for the next event of this etype from the viewer and returns it."""
        fut = self.app._wait_for_event(etype)
        try:
            return await (asyncio.wait_for(fut, timeout) if timeout is not None else fut)
        finally:
            self.app._forget_waiter(etype, fut)

    async def forever(self):
        await asyncio.get_running_loop().create_future()

    async def grab_render(self, ttl=2.0, key="DEFAULT", **kwargs):
        """Asks the viewer for a rendered frame; returns its ClientEvent (value["frame"]: bytes).
        Raises RPCError if no viewer can answer, asyncio.TimeoutError after ttl seconds."""
        host = current()
        if host is None or host.channel.closed:
            raise RPCError("grab_render needs a viewer: run this program with Scene Runner (scene-runner run or VS Code)")
        rid = str(uuid.uuid4())
        rtype = rpc_response_type("GRAB_RENDER", rid)
        data = {"key": key}
        data.update(kwargs)
        fut = self.app._wait_for_event(rtype)
        try:
            _send({"etype": "GRAB_RENDER", "ts": _now_ms(), "uuid": rid, "rtype": rtype, "data": data})
            event = await asyncio.wait_for(fut, ttl)
        finally:
            self.app._forget_waiter(rtype, fut)
        if getattr(event, "error", None):
            raise RPCError("grab_render: %s" % event.error)
        return event

    # -- the downlink queue (events received, newest last) ----------------------------

    def popleft(self):
        return self.downlink_queue.popleft()

    def pop(self):
        return self.downlink_queue.pop()

    def clear(self):
        self.downlink_queue.clear()


def _now_ms():
    return int(time.time() * 1000)


class Vuer:
    """The app. Constructor arguments are kept as attributes (most mean nothing here:
    there is no port to listen on), so programs written for vuer construct it unchanged."""

    def __init__(self, domain="https://vuer.ai", port=8012, host="localhost", queries=None, queue_len=100, **kwargs):
        self.domain = domain
        self.port = port
        self.host = host
        self.queries = dict(queries or {})
        self.queue_len = queue_len
        self.__dict__.update(kwargs)
        self.handlers = defaultdict(dict)  # etype -> {id: (fn, once)}
        self._spawn_fn = None
        self._waiters = defaultdict(list)  # etype -> futures from till()/grab_render()
        self._session = None
        self._state = "idle"  # idle -> running -> over

    def get_url(self, host=None):
        query = "".join("&%s=%s" % (k, v) for k, v in self.queries.items())
        return "%s?ws=ws://%s:%s%s" % (self.domain, host or self.host, self.port, query)

    # -- registration -------------------------------------------------------------------

    def spawn(self, fn=None, start=False, **filters):
        """``@app.spawn``, ``@app.spawn()``, ``@app.spawn(start=True)``: registers main."""

        def register(fn):
            if not inspect.iscoroutinefunction(fn):
                raise TypeError("@app.spawn needs an `async def` function, got %r" % (fn,))
            if self._spawn_fn is None:  # like vuer: only the first spawn handler runs
                self._spawn_fn = fn
            if start:
                self.start()
            return fn

        return register(fn) if fn is not None else register

    def add_handler(self, etype, fn=None, once=False):
        """``@app.add_handler("CLICK")`` or ``app.add_handler("CLICK", fn)`` (returns a
        function that removes the handler). Handlers are called as fn(event, session)."""

        def register(fn):
            hid = uuid.uuid4().hex
            self.handlers[etype][hid] = (fn, once)
            return lambda: self.handlers[etype].pop(hid, None)

        if fn is not None:
            return register(fn)

        def decorator(fn):
            register(fn)
            return fn

        return decorator

    # -- running --------------------------------------------------------------------------

    def start(self, **_ignored):
        """Runs the session to its end. Called again (``app.run()`` after
        ``@app.spawn(start=True)``) it does nothing: the session is over."""
        if self._state != "idle":
            return None
        self._state = "running"
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:  # already inside a loop (a notebook, or an async program)
            task = loop.create_task(_hide(self._serve()))
            task.add_done_callback(lambda _t: setattr(self, "_state", "over"))
            return task
        try:
            asyncio.run(_hide(self._serve()))
        finally:
            self._state = "over"
        return None

    run = start

    async def _serve(self):
        loop = asyncio.get_running_loop()
        # Tasks that existed before (the caller awaiting app.start(), a notebook's own) are not ours to cancel.
        before = asyncio.all_tasks(loop)
        self._session = session = VuerSession(self, loop)
        host = current()
        remove_sink = host.add_event_sink(loop, self._on_event) if host else (lambda: None)
        try:
            if self._spawn_fn is not None:
                main = loop.create_task(_site(self._spawn_fn(session), self._spawn_fn))
                await main
            elif any(self.handlers.values()):
                await session.forever()  # handlers only: serve events until stopped, like vuer
            else:
                raise NoMainError("app.run(): nothing to run; decorate `async def main(session)` with @app.spawn")
        finally:
            remove_sink()
            await _cancel_the_rest(loop, before)

    # -- events from the viewer (on the loop thread) ------------------------------------

    def _wait_for_event(self, etype):
        fut = asyncio.get_running_loop().create_future()
        self._waiters[etype].append(fut)
        return fut

    def _forget_waiter(self, etype, fut):
        waiting = self._waiters.get(etype)
        if waiting and fut in waiting:
            waiting.remove(fut)
            if not waiting:
                del self._waiters[etype]

    def _on_event(self, message):
        fields = {k: _program_value(v) for k, v in message.items() if isinstance(k, str)}
        event = ClientEvent(**fields)
        session = self._session
        session.downlink_queue.append(event)
        for fut in self._waiters.pop(event.etype, []):
            if not fut.done():
                fut.set_result(event)
        for hid, (fn, once) in list(self.handlers.get(event.etype, {}).items()):
            if once:
                self.handlers[event.etype].pop(hid, None)
            result = fn(event, session)
            if inspect.iscoroutine(result):
                session.loop.create_task(_site(result, fn))


_ARRAY_CODES = {"float32": "f", "float64": "d", "uint16": "H", "uint32": "I", "int8": "b", "int16": "h", "int32": "i"}


def _program_value(x):
    """A host value as a vuer program gets it: binary data (the channel's Blob) becomes
    bytes (uint8: image frames) or an array.array of its numbers, never our transport type."""
    if isinstance(x, Blob):
        if x.dtype == "uint8":
            return bytes(x.data)
        code = _ARRAY_CODES[x.dtype]
        out = array.array(code)
        if out.itemsize == DTYPES[x.dtype][1]:
            out.frombytes(bytes(x.data))
            if sys.byteorder == "big":
                out.byteswap()  # the wire is little-endian
        else:  # a platform whose C type has another size: go through the numbers
            out.extend(struct.unpack("<%d%s" % (len(x), code), bytes(x.data)))
        return out
    if isinstance(x, dict):
        return {k: _program_value(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_program_value(v) for v in x]
    return x


async def _cancel_the_rest(loop, keep):
    """Main is over: cancel what it left running (and let their finally blocks run), except
    the tasks in `keep`, which were there before the session started."""
    me = asyncio.current_task()
    rest = [t for t in asyncio.all_tasks(loop) if t is not me and t not in keep and not t.done()]
    for t in rest:
        t.cancel()
    if rest:
        await asyncio.gather(*rest, return_exceptions=True)
