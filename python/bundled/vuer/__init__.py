"""vuer, as Scene Runner ships it: the same program-facing API (Vuer, VuerSession,
vuer.schemas, vuer.events, vuer.workspace, ...), talking to the Scene Runner viewer instead of a
web server. Standard library only; numpy is used when the program passes numpy arrays."""
__version__ = "0.1.6+scene-runner"  # the vuer release whose API this follows

from .client import VuerClient
from .events import ClientEvent
from .server import RPCError, Vuer, VuerSession
from .webrtc import WebRTCStream
from .workspace import Blob, Workspace

__all__ = ["Vuer", "VuerSession", "VuerClient", "Workspace", "Blob", "WebRTCStream", "ClientEvent", "RPCError"]
