"""vuer.client: VuerClient, the Python client of a vuer server. Under Scene Runner the
program is the server and the viewer is the only client; there is no websocket to connect
to, so a VuerClient is made fine and fails when it connects, with the reason.
get_client_info() works: it is what a Python client says in its INIT."""
import asyncio
import os
import platform
import time

from .events import ClientEvent

_NO_SERVER = "VuerClient connects to a vuer server over a websocket; under Scene Runner there is no vuer server to connect to (the viewer is the program's only client)"


def get_client_info():
    """The INIT value of a Python client: client, clientVersion, timezone, platform, ..."""
    from . import __version__

    try:
        offset = -time.localtime().tm_gmtoff // 60
    except AttributeError:
        offset = None
    return {
        "client": "python",
        "clientVersion": __version__,
        "timezone": time.tzname[0] if time.tzname else None,
        "timezoneOffset": offset,
        "pythonVersion": platform.python_version(),
        "platform": platform.system(),
        "platformVersion": platform.release(),
        "machine": platform.machine(),
    }


class AsyncAt:
    """``client.send @ event`` (fire and forget) and ``await client.send(event)``."""

    def __init__(self, coro_fn):
        self._coro_fn = coro_fn

    async def _fire_and_forget(self, event):
        try:
            await self._coro_fn(event)
        except Exception:  # noqa: B902 - fire and forget, as vuer's
            pass

    def __matmul__(self, event):
        asyncio.ensure_future(self._fire_and_forget(event))

    def __call__(self, event):
        return self._coro_fn(event)


class VuerClient:
    """Made with vuer's arguments; connecting raises ConnectionError naming why."""

    def __init__(self, uri=None, max_size=None, ssl_verify=None, **kwargs):
        self.uri = uri or os.environ.get("VUER_CLIENT_URI", "ws://localhost:8012")
        self.websocket_max_size = max_size or 2**28
        self.ssl_verify = True if ssl_verify is None else ssl_verify
        self._kwargs = kwargs

    @property
    def connected(self):
        return False

    async def connect(self):
        raise ConnectionError("%s (%s)" % (_NO_SERVER, self.uri))

    async def close(self):
        return None

    async def __aenter__(self):
        return await self.connect()

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        await self.close()

    def __aiter__(self):
        return self

    async def __anext__(self):
        await self.connect()

    async def _send(self, event):
        if not isinstance(event, ClientEvent):
            raise TypeError("VuerClient.send takes a ClientEvent, got %s" % type(event).__name__)
        await self.connect()

    @property
    def send(self):
        return AsyncAt(self._send)

    async def recv(self, timeout=None):
        await self.connect()
