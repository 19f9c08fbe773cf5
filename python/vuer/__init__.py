"""vuer, as Scene Runner ships it: the same program-facing API (Vuer, VuerSession,
vuer.schemas, vuer.events), talking to the Scene Runner viewer instead of a web server.
Standard library only; numpy is used when the program passes numpy arrays."""
from .events import ClientEvent
from .server import RPCError, Vuer, VuerSession

__all__ = ["Vuer", "VuerSession", "ClientEvent", "RPCError"]
__version__ = "0.0.0+scene-runner"
