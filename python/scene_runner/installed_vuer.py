"""A run on the user's installed vuer (vuer-ai's, not our bundled package; SCENE_RUNNER_VUER is
"installed"): the program's own Vuer() server starts as usual, bound where the program says,
and the host connects to it as a vuer client. This module, without changing the program:

  - tells the host where the app listens: once a vuer app's aiohttp site has started, one
    VUER_SERVING message (src/protocol/runner.ts) with the address and port its socket is bound
    to (a port of 0 or a busy default shows as the port the system gave);
  - makes a host's stop end the program as a stop: vuer's server start swallows the
    KeyboardInterrupt that the stop's escalation raises (its loop then shuts down cleanly), and
    the program would go on after `app.start()` as if nothing happened; here it gets
    KeyboardInterrupt back once vuer's own cleanup is done, so the run ends "stopped". And once
    the stop's cancellation has ended the session's main, vuer's loop is stopped at once (its
    cleanup cancels and awaits what is left) instead of waiting for the escalation's interrupt;
  - counts vuer's own files as library code (where.py), so task creation sites and error
    locations point into the program even when vuer was imported from a source checkout;
  - keeps the task tree the program's, as on the bundled vuer: the task that runs a session's
    @app.spawn handler is named after it (`main`, not vuer's inner wrapper) and created where
    it is defined, event handlers too; the web stack's own tasks (aiohttp's connection and
    request tasks, the listener's accept, the runner's cleanup, vuer's uplink) are kept out of
    the tree (the tracker's hide: their children show under the nearest task that is shown).

vuer's server lives in vuer/base.py (Server.start builds an aiohttp AppRunner and TCPSite and
runs the loop); the hook wraps Server.start and aiohttp's TCPSite.start when vuer.base is first
imported, so a program that never imports vuer pays nothing.
"""
import asyncio
import functools
import importlib
import importlib.util
import inspect
import os
import socket
import sys
import types

from . import where
from .channel import now_ms

_session = None
_vuer_apps = []  # the aiohttp Applications of vuer servers that started

# Coroutine methods of vuer's web stack whose tasks are machinery, not the program's. Each is
# always started as a task of its own (a coroutine hidden but never made a task would stay in
# the tracker's table). Absent in another version: its tasks are simply shown.
_MACHINERY = (
    ("aiohttp.web_protocol", "RequestHandler", "start"),
    ("aiohttp.web_protocol", "RequestHandler", "_handle_request"),
    ("aiohttp.web_runner", "BaseRunner", "cleanup"),
    ("asyncio.selector_events", "BaseSelectorEventLoop", "_accept_connection2"),
)


def install(session):
    global _session
    _session = session
    sys.meta_path.insert(0, _VuerBaseFinder())


class _VuerBaseFinder:
    """Finds nothing itself: when vuer.base is imported, wraps the real loader's exec_module."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "vuer.base":
            return None
        sys.meta_path.remove(self)  # once; the real finders do the finding
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


def _patch(base):
    vuer_dir = os.path.dirname(os.path.abspath(base.__file__))
    where.add_library_root(vuer_dir)
    server = getattr(base, "Server", None)
    if server is None or not callable(getattr(server, "start", None)):
        _session.log("scene_runner: this vuer has no vuer.base.Server.start; the viewer cannot learn the program's port")
        return
    try:
        from aiohttp import web_runner
    except ImportError as e:
        _session.log("scene_runner: vuer's aiohttp does not import (%s); the viewer cannot learn the program's port" % e)
        return
    start = server.start

    def start_server(self, *args, **kwargs):
        app = getattr(self, "app", None)
        if app is not None and not any(a is app for a in _vuer_apps):
            _vuer_apps.append(app)
        # What vuer's start runs to completion on the loop itself (its server's setup) is vuer's.
        loop_class = asyncio.BaseEventLoop
        run_until_complete = loop_class.run_until_complete

        def run_vuer_step(loop, future):
            if _is_vuer_code(future, vuer_dir):
                _session.tracker.hide(future)
            return run_until_complete(loop, future)

        loop_class.run_until_complete = run_vuer_step
        try:
            result = start(self, *args, **kwargs)
        finally:
            loop_class.run_until_complete = run_until_complete
        if _session.stopping:
            raise KeyboardInterrupt  # the host's stop; vuer's cleanup has run
        return result

    server.start = start_server
    add_task = getattr(server, "_add_task", None)
    if callable(add_task):

        def add_program_task(self, fn, name=None, ws_id=None):
            handler = _spawn_handler(fn)
            if handler is not None:
                name = name or getattr(handler, "__name__", None)
                _session.tracker.site(fn, handler)
                task = add_task(self, fn, name=name, ws_id=ws_id)
                task.add_done_callback(_stop_loop_if_stopping)
                return task
            if _is_vuer_code(fn, vuer_dir):
                _session.tracker.hide(fn)  # the session's uplink and the like
            elif where.is_user(getattr(getattr(fn, "cr_code", None), "co_filename", "<none>")):
                _session.tracker.site(fn, types.SimpleNamespace(__code__=fn.cr_code))  # an event handler
            return add_task(self, fn, name=name, ws_id=ws_id)

        server._add_task = add_program_task
    for module, cls, method in _MACHINERY:
        _hide_tasks_of(module, cls, method)
    site_start = web_runner.TCPSite.start
    version = []  # looked up once, at the first report

    async def start_site(site):
        await site_start(site)
        app = getattr(getattr(site, "_runner", None), "app", None)
        if app is not None and any(a is app for a in _vuer_apps):
            if not version:
                from .probe_vuer import _version

                version.append(_version(vuer_dir))
            _report(site, vuer_dir, version[0])

    web_runner.TCPSite.start = start_site


def _stop_loop_if_stopping(task):
    if _session.stopping:
        task.get_loop().stop()


def _spawn_handler(coro):
    """The @app.spawn function that vuer's session wrapper coroutine will await (the wrapper's
    closure holds it as `matched_handler`), or None for any other coroutine."""
    try:
        if not getattr(coro, "__qualname__", "").endswith("spawn_matching_handler.<locals>.handler"):
            return None
        fn = coro.cr_frame.f_locals.get("matched_handler")
        return fn if isinstance(getattr(fn, "__name__", None), str) and hasattr(fn, "__code__") else None
    except Exception:  # noqa: B902 - a name is a nicety
        return None


def _is_vuer_code(coro, vuer_dir):
    code = getattr(coro, "cr_code", None)
    return code is not None and os.path.abspath(code.co_filename).startswith(vuer_dir + os.sep)


def _hide_tasks_of(module_name, class_name, method):
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return
    fn = cls.__dict__.get(method)
    if not inspect.iscoroutinefunction(fn):
        return

    @functools.wraps(fn)
    def starting(*args, **kwargs):
        return _session.tracker.hide(fn(*args, **kwargs))

    setattr(cls, method, starting)


def _report(site, vuer_dir, version):
    """One VUER_SERVING for the site: its IPv4 socket when it has one (what localhost reaches
    first from the host), else its first."""
    server = getattr(site, "_server", None)
    sockets = list(getattr(server, "sockets", None) or ())
    if not sockets:
        _session.log("scene_runner: the vuer server started but has no listening socket to report")
        return
    sockets.sort(key=lambda s: s.family != socket.AF_INET)
    name = sockets[0].getsockname()
    message = {
        "etype": "VUER_SERVING",
        "ts": now_ms(),
        "host": str(name[0]),
        "port": int(name[1]),
        "tls": getattr(site, "_ssl_context", None) is not None,
        "path": where.wire_text(vuer_dir),
    }
    if version:
        message["version"] = version
    _session.send(message)
