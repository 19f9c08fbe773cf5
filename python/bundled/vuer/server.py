"""Vuer and VuerSession as a scene program sees them, running under Scene Runner.

There is no web server here: the host (the VS Code panel's scene pipeline, or the CLI) is
the one client. As in vuer, nothing happens until that client's INIT arrives: then the
first @app.spawn handler whose filters match the INIT's value starts, and the INIT goes to
the @app.add_handler("INIT") handlers and to ``sess.till("INIT")`` once main has taken its
first step. One run is one session: a panel opened or reopened later is shown the scene the
host keeps, and starts no second session. When main returns the remaining tasks are
cancelled and ``start()`` returns, so the process can end (vuer would keep serving).
"""
import array
import asyncio
import inspect
import os
import socket as _socket
import struct
import sys
from collections import defaultdict, deque
from fnmatch import fnmatch
from uuid import uuid4

from scene_runner.frames import DTYPES, Blob as _WireBlob, encode_frame
from scene_runner.session import NoMainError, current

from .events import INIT, Add, ClientEvent, Frame, GetWebXRMesh, GrabRender, HapticActuatorPulse, Remove, ServerEvent, ServerRPC, Set, Update, Upsert
from .types import Url
from .workspace import Workspace, workspace_from_config

DEFAULT_PORT = 8012
DEFAULT_CORS = "https://vuer.ai,https://staging.vuer.ai,https://dash.ml,http://localhost:8000,http://127.0.0.1:8000,*"
# What the host's messages can carry; anything else a program sends is refused at once.
_SENDABLE = ("SET", "ADD", "UPSERT", "UPDATE", "REMOVE")


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

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def __matmul__(self, arg):
        return self.fn(arg)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)


class SceneOps:
    """The scene operations (set, update, add, upsert, remove) over ``self @ event``."""

    @property
    def set(self):
        return At(lambda scene: self @ Set(scene))

    @property
    def upsert(self):
        return At(lambda *nodes, to=None, strict=False: self @ Upsert(*nodes, to=to, strict=strict))

    @property
    def add(self):
        return At(lambda *nodes, to=None: self @ Add(*nodes, to=to))

    @property
    def update(self):
        return At(lambda *nodes, strict=False: self @ Update(*nodes, strict=strict))

    @property
    def remove(self):
        return At(lambda *keys: self @ Remove(*keys))


class VuerSession(SceneOps):
    def __init__(self, vuer, ws_id=None, queue_len=100, loop=None):
        self.vuer = vuer
        self.CURRENT_WS_ID = ws_id
        self.loop = loop
        self.downlink_queue = deque(maxlen=queue_len)
        self.uplink_queue = deque(maxlen=queue_len)  # vuer's outbox; here messages go out at once
        self.init = None  # the viewer's INIT, once main has been handed it

    @property
    def app(self):
        return self.vuer

    @property
    def socket(self):
        raise RuntimeError("sess.socket: there is no websocket under Scene Runner (the viewer is the host's); end the session by returning from main")

    # -- scene operations: sent to the host at once ------------------------------------

    def send(self, event):
        if not isinstance(event, ServerEvent):
            raise TypeError("sess @ ... takes a vuer event (Set, Upsert, ...), got %s" % type(event).__name__)
        if isinstance(event, Frame):
            raise TypeError("Frame is for @app.bind generators; send its data with sess @ event")
        if isinstance(event, HapticActuatorPulse):
            return None  # XR controllers only: nothing to pulse here
        message = event._serialize()
        if message.get("etype") not in _SENDABLE:
            raise TypeError("sess @ %s: Scene Runner's viewer takes scene events (%s); RPCs go through sess.rpc" % (event.etype, ", ".join(_SENDABLE)))
        _send(message)
        return None

    def __matmul__(self, event):
        return self.send(event)

    # -- tasks and events --------------------------------------------------------------

    def spawn_task(self, task, name=None):
        """Like asyncio.create_task; the task shows in the task tree under its creator."""
        return asyncio.get_running_loop().create_task(task, name=name)

    async def till(self, event, timeout=None):
        """Waits for the next event of this etype from the viewer and returns it. The one
        INIT of a session is returned even when it came before the wait began."""
        if event == "INIT" and self.init is not None:
            return self.init
        fut = self.vuer._wait_for_event(event)
        try:
            return await (asyncio.wait_for(fut, timeout) if timeout is not None else fut)
        finally:
            self.vuer._forget_waiter(event, fut)

    async def forever(self):
        await asyncio.get_running_loop().create_future()

    async def rpc(self, event, ttl=2.0):
        """Sends a ServerRPC and returns the viewer's answer (a ClientEvent). Raises RPCError
        when the viewer cannot answer, asyncio.TimeoutError after ttl seconds."""
        if not isinstance(event, ServerRPC):
            raise TypeError("sess.rpc takes a ServerRPC event (GrabRender, ...), got %s" % type(event).__name__)
        if not isinstance(event, GrabRender):
            raise RPCError("%s: Scene Runner's viewer answers GRAB_RENDER only" % event.etype)
        host = current()
        if host is None or host.channel.closed:
            raise RPCError("%s needs a viewer: run this program with Scene Runner (scene-runner snapshot or VS Code)" % event.etype)
        fut = self.vuer._wait_for_event(event.rtype)
        try:
            _send(event._serialize())
            answer = await asyncio.wait_for(fut, ttl)
        finally:
            self.vuer._forget_waiter(event.rtype, fut)
        if getattr(answer, "error", None):
            raise RPCError("%s: %s" % (event.etype.lower(), answer.error))
        return answer

    async def grab_render(self, ttl=2.0, **kwargs):
        """A rendered frame from the viewer: a ClientEvent whose value["frame"] is the image
        file's bytes (and whatever else the viewer answered), as vuer returns it."""
        return await self.rpc(GrabRender(**kwargs), ttl=ttl)

    async def get_webxr_mesh(self, key="webxr-mesh", ttl=2.0):
        raise RPCError("get_webxr_mesh: WebXR meshes exist only in a headset; Scene Runner's viewer has none")

    # -- the downlink queue (events received, newest last) ----------------------------

    def popleft(self):
        return self.downlink_queue.popleft() if self.downlink_queue else None

    def pop(self):
        return self.downlink_queue.pop() if self.downlink_queue else None

    def clear(self):
        self.downlink_queue.clear()

    def stream(self):
        yield from self.downlink_queue


class _SpawnWrapper:
    """What ``@app.spawn(...)`` returns in vuer: calling it registers the handler, and
    ``main.start()`` starts the app later."""

    def __init__(self, vuer, filters, start=False):
        self.vuer = vuer
        self.filters = filters
        self.auto_start = start
        self.fn = None

    def __call__(self, fn):
        self.fn = self.vuer._register_spawn(fn, self.filters)
        if self.auto_start:
            self.vuer.start()
        return self

    def start(self, **kwargs):
        return self.vuer.start(**kwargs)


class _BoundFn:
    def __init__(self, vuer, start=False):
        self.vuer = vuer
        self.auto_start = start

    def __call__(self, fn):
        self.vuer.bound_fn = fn
        if self.auto_start:
            self.vuer.start()
        return self

    def start(self, **kwargs):
        return self.vuer.start(**kwargs)


def _match_filters(info, filters):
    for name, pattern in filters.items():
        value = info.get(name)
        if value is None or not fnmatch(str(value), str(pattern)):
            return False
    return True


def _env(name, default, kind=str):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ValueError("%s=%r is not a valid %s" % (name, value, kind.__name__)) from None


class Vuer:
    """The app. vuer's options are accepted with vuer's defaults (and VUER_* environment
    variables). What they mean here: `workspace` / `static_root` name the program's asset
    folders and `port` / `cert` shape `localhost_prefix`, the URL prefix of those files;
    `host`, `cors`, `free_port`, `key`, `ca_cert` and `client_root` concern a web server,
    which there is none of: they are kept, and do nothing."""

    def __init__(
        self,
        domain=None,
        port=None,
        host=None,
        queries=None,
        queue_len=100,
        workspace=None,
        static_root=None,
        free_port=False,
        cert=None,
        key=None,
        ca_cert=None,
        cors=None,
        client_url=None,
        web_port=None,
        workspace_path="",
        client_root=None,
        verbose=False,
        **kwargs
    ):
        self.domain = domain if domain is not None else _env("VUER_DOMAIN", "https://vuer.ai")
        self.port = port if port is not None else _env("VUER_PORT", DEFAULT_PORT, int)
        self.host = host if host is not None else _env("VUER_HOST", "localhost")
        self.cors = cors if cors is not None else _env("VUER_CORS", DEFAULT_CORS)
        self.cert = cert if cert is not None else _env("VUER_SSL_CERT", None)
        self.key = key if key is not None else _env("VUER_SSL_KEY", None)
        self.ca_cert = ca_cert if ca_cert is not None else _env("VUER_SSL_CA_CERT", None)
        self.queries = queries
        self.queue_len = queue_len
        self.free_port = free_port
        self.client_url = client_url
        self.web_port = web_port
        self.workspace_path = workspace_path
        self.client_root = client_root
        self.verbose = verbose
        self.static_root = static_root
        self.__dict__.update(kwargs)
        if static_root is not None:  # vuer's older name for the workspace (it warns; we do not)
            self.workspace = workspace_from_config(static_root)
        else:
            self.workspace = workspace_from_config(workspace if workspace is not None else _env("VUER_WORKSPACE", "."))
        self.handlers = defaultdict(dict)  # etype -> {id: fn}
        self.spawn_handlers = []  # [{"fn": fn, "filters": {...}}], first match runs
        self.routes = []  # add_route's (path, fn, method, content_type): kept; nothing serves them
        self.ws = {}
        self._waiters = defaultdict(list)  # etype -> futures from till()/rpc()
        self._session = None
        self._pending = None
        self._state = "idle"  # idle -> running -> over

    # -- URLs ---------------------------------------------------------------------------

    @property
    def ssl(self):
        return "s" if self.cert else ""

    @property
    def local_ip(self):
        """The LAN address, found as vuer finds it (a UDP socket's local end; nothing is sent)."""
        try:
            s = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
            try:
                s.connect(("8.8.8.8", 80))
                return s.getsockname()[0]
            finally:
                s.close()
        except OSError:
            return "127.0.0.1"

    @property
    def localhost_prefix(self):
        """vuer's URL prefix of the workspace files: http://localhost:<port>/workspace."""
        return Url("http%s://localhost:%s/workspace" % (self.ssl, self.port))

    @property
    def workspace_prefix(self):
        return Url("http%s://%s:%s/workspace" % (self.ssl, self.local_ip, self.port))

    def get_url(self, host="localhost"):
        base = self.client_url or self.domain
        uri = "ws%s://%s:%s" % (self.ssl, host, self.port)
        if self.queries:
            return "%s?ws=%s&" % (base, uri) + "&".join("%s=%s" % (k, v) for k, v in self.queries.items())
        return "%s?ws=%s" % (base, uri)

    # -- registration -------------------------------------------------------------------

    def _register_spawn(self, fn, filters):
        if not inspect.iscoroutinefunction(fn):
            raise TypeError("@app.spawn needs an `async def` function, got %r" % (fn,))
        self.spawn_handlers.append({"fn": fn, "filters": dict(filters)})
        return fn

    def spawn(self, fn=None, start=False, **filters):
        """``@app.spawn`` (returns fn), ``@app.spawn()``, ``@app.spawn(start=True)``,
        ``@app.spawn(client="browser")``: registers a session handler, as vuer does."""
        if callable(fn) and not start and not filters:
            return self._register_spawn(fn, {})
        wrapper = _SpawnWrapper(self, filters, start=start)
        return wrapper if fn is None else wrapper(fn)

    def bind(self, fn=None, start=False):
        wrapper = _BoundFn(self, start=start)
        return wrapper if fn is None else wrapper(fn)

    def add_handler(self, event_type, fn=None, once=False):
        """``@app.add_handler("CLICK")`` or ``app.add_handler("CLICK", fn)`` (returns a
        function that removes the handler). Handlers are called as fn(event, session)."""
        if fn is None:

            def decorator(fn):
                self.add_handler(event_type, fn, once=once)
                return fn

            return decorator
        hid = uuid4()
        handlers = self.handlers[event_type]

        def cleanup():
            handlers.pop(hid, None)

        if once:

            def fn_once(*args, **kwargs):
                cleanup()
                return fn(*args, **kwargs)

            handlers[hid] = fn_once
        else:
            handlers[hid] = fn
        return cleanup

    def add_route(self, path, fn, method="GET", content_type="text/html"):
        """Kept for programs that call it; there is no web server to serve the route."""
        self.routes.append((path, fn, method, content_type))

    def create_webrtc_stream(self, stream_id, track=None, **kwargs):
        raise RuntimeError("create_webrtc_stream(%r): WebRTC needs vuer's web server; Scene Runner's viewer has none" % (stream_id,))

    # -- running --------------------------------------------------------------------------

    def run(self, free_port=None, *args, **kwargs):
        # vuer 0.1.6 warns that run() is deprecated; not repeated here (it is a server's concern).
        return self.start(free_port=free_port, *args, **kwargs)

    def start(self, free_port=None, *args, **kwargs):
        """Runs the session to its end. Called again (``main.start()`` after
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

    async def _viewer(self, loop):
        """The viewer's INIT: vuer starts a session only once its client has said hello."""
        host = current()
        if host is None:  # vuer imported without scene_runner: no viewer will come
            return {"etype": "INIT", "value": {"client": "browser", "viewer": "none"}}
        arrived = loop.create_future()
        host.on_viewer(loop, lambda m: arrived.done() or arrived.set_result(m))
        return await arrived

    async def _serve(self):
        loop = asyncio.get_running_loop()
        # Tasks that existed before (the caller awaiting app.start(), a notebook's own) are not ours to cancel.
        before = asyncio.all_tasks(loop)
        host = current()
        if not self.spawn_handlers and not any(self.handlers.values()) and getattr(self, "bound_fn", None) is None:
            raise NoMainError("app.run(): nothing to run; decorate `async def main(session)` with @app.spawn")
        self._session = session = VuerSession(self, "scene-runner", self.queue_len, loop)
        session.downlink_queue.append(INIT)  # vuer's placeholder, first in every session's queue
        pending = []  # events that arrive before the INIT has been handed over wait in order
        self._pending = pending
        remove_sink = host.add_event_sink(loop, self._on_event) if host else (lambda: None)
        try:
            init = _client_event(await self._viewer(loop))
            info = init.value if isinstance(init.value, dict) else {}
            matching = [h for h in self.spawn_handlers if _match_filters(info, h["filters"])]
            if len(matching) > 1:
                names = [h["fn"].__name__ for h in matching]
                sys.stderr.write("vuer: multiple spawn handlers match %s: %s; only the first (%s) runs\n" % (info, names, names[0]))
            main = None
            if matching:
                fn = matching[0]["fn"]
                main = loop.create_task(_site(fn(session), fn))
            elif self.spawn_handlers:
                filters = [h["filters"] for h in self.spawn_handlers]
                sys.stderr.write("vuer: no @app.spawn handler matches this viewer (INIT %s; filters %s): only the event handlers run\n" % (info, filters))
            # Handed over after main's first step, so `await sess.till("INIT")` at its top sees it.
            loop.call_soon(self._deliver_init, init)
            if main is not None:
                await main
            else:
                await session.forever()  # handlers only: serve events until stopped, like vuer
        finally:
            remove_sink()
            await _cancel_the_rest(loop, before)

    # -- events from the viewer (on the loop thread) ------------------------------------

    def _deliver_init(self, init):
        session = self._session
        session.init = init
        pending, self._pending = self._pending, None
        self._dispatch(init)
        for event in pending or ():
            self._dispatch(event)

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
        event = _client_event(message)
        if self._pending is not None:  # the session has not seen its INIT yet
            self._pending.append(event)
            return
        self._dispatch(event)

    def _dispatch(self, event):
        session = self._session
        session.downlink_queue.append(event)
        for alias in _aliases(event):
            self._dispatch(alias)
        for fut in self._waiters.pop(event.etype, []):
            if not fut.done():
                fut.set_result(event)
        for fn in list(self.handlers.get(event.etype, {}).values()):
            result = fn(event, session)
            if inspect.iscoroutine(result):
                session.loop.create_task(_site(result, fn))


# Our viewer's key events, as vuer's KeyboardMonitor names them (and its field names).
_KEY_ALIASES = {"KEY_DOWN": "KeyDown", "KEY_UP": "KeyUp"}
_KEY_FIELDS = (("shift", "shiftKey"), ("ctrl", "ctrlKey"), ("alt", "altKey"), ("meta", "metaKey"))


def _aliases(event):
    """vuer programs listen for "KeyDown"/"KeyUp" with value {key, code, shiftKey, ...}:
    each KEY_DOWN/KEY_UP from our viewer is also delivered under vuer's name."""
    name = _KEY_ALIASES.get(event.etype)
    if name is None:
        return ()
    value = dict(event.value) if isinstance(event.value, dict) else {}
    for ours, theirs in _KEY_FIELDS:
        if ours in value:
            value.setdefault(theirs, value[ours])
    value.setdefault("repeat", False)
    value.setdefault("isComposing", False)
    fields = {k: v for k, v in event.__dict__.items() if k not in ("etype", "value")}
    return (ClientEvent(etype=name, value=value, **fields),)


def _client_event(message):
    fields = {k: _program_value(v) for k, v in message.items() if isinstance(k, str)}
    return ClientEvent(**fields)


_ARRAY_CODES = {"float32": "f", "float64": "d", "uint16": "H", "uint32": "I", "int8": "b", "int16": "h", "int32": "i"}


def _program_value(x):
    """A host value as a vuer program gets it: binary data (the channel's Blob) becomes
    bytes (uint8: image frames) or an array.array of its numbers, never our transport type."""
    if isinstance(x, _WireBlob):
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


__all__ = ["Vuer", "VuerSession", "At", "SceneOps", "RPCError", "DEFAULT_PORT", "DEFAULT_CORS", "GetWebXRMesh", "Workspace"]
