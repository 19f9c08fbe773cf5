"""vuer's event types, with vuer's names and behaviour: ClientEvent (viewer -> program) and
the server events a program sends (Set, Upsert, Update, Add, Remove, the RPCs), written as
the runner protocol's messages. An event compares equal to its etype
(``event == "CAMERA_MOVE"``), as vuer's do."""
import time
from uuid import uuid4

from .schemas.base import Element, to_wire


def _now_ms():
    return int(time.time() * 1000)


class Event:
    """Any vuer event. ``event == "CLICK"`` compares its etype, as vuer's Event does."""

    etype = "EVENT"

    def __eq__(self, other):
        if isinstance(other, Event):
            return self is other
        return self.etype == other

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = object.__hash__  # vuer's events are not hashable; ours stay usable in sets


class ClientEvent(Event):
    """An event from the viewer: etype, ts (milliseconds), key, value; every other field
    the viewer sent is an attribute too (``error`` on an RPC that could not be answered)."""

    etype = None
    key = None
    value = None

    def __init__(self, ts=None, **kwargs):
        self.ts = ts if ts is not None else _now_ms()
        self.__dict__.update(kwargs)

    @classmethod
    def _deserialize(cls, *, etype, ts=None, **kwargs):
        return ClientEvent(etype=etype, ts=ts, **kwargs)

    def _serialize(self):
        return {**self.__dict__, "etype": self.etype, "value": to_wire(self.value)}

    def __repr__(self):
        return "client<%s>(%r)" % (self.etype, self.value)


class InitEvent(ClientEvent):
    # vuer's own spelling for the placeholder it puts first in a session's downlink queue
    etype = "Init"


INIT = InitEvent()


class NullEvent(ClientEvent):
    etype = "NULL"


NULL = NullEvent()


class ServerEvent(Event):
    """An event a program sends. ``_serialize()`` gives the runner-protocol message."""

    etype = "NOOP"

    def __init__(self, data=None, ts=None, **kwargs):
        self.ts = ts
        self.data = data
        self.__dict__.update(kwargs)

    def _stamp(self):
        # vuer stamps float seconds and sends milliseconds; the wire here is milliseconds
        ts = self.ts
        if isinstance(ts, float):
            return int(ts * 1000)
        return ts if isinstance(ts, int) else _now_ms()

    def _serialize(self):
        out = {k: to_wire(v) for k, v in self.__dict__.items() if not k.startswith("_")}
        out.update(etype=self.etype, ts=self._stamp())
        return out

    def serialize(self):
        return self._serialize()


class Noop(ServerEvent):
    etype = "NOOP"

    def __init__(self, **kwargs):
        super().__init__(None, **kwargs)


NOOP = Noop()


def _nodes(elements):
    """Nodes given one by one or as one list (vuer allows both), serialised now: later
    changes to the objects are not sent."""
    if len(elements) == 1 and isinstance(elements[0], (list, tuple)):
        elements = elements[0]
    out = []
    for e in elements:
        if isinstance(e, Element):
            out.append(e._serialize())
        elif isinstance(e, dict) and "key" in e:
            out.append(to_wire(e))
        else:
            raise TypeError("expected a vuer.schemas node (or a dict with a key), got %s" % type(e).__name__)
    return out


class Set(ServerEvent):
    etype = "SET"

    def __init__(self, data, **kwargs):
        if not (isinstance(data, Element) and data.tag == "Scene"):
            raise TypeError("sess.set takes a Scene(...) root, got %r" % (data,))
        super().__init__(data, **kwargs)

    def _serialize(self):
        return {"etype": self.etype, "ts": self._stamp(), "data": self.data._serialize()}


class Upsert(ServerEvent):
    etype = "UPSERT"

    def __init__(self, *elements, to=None, strict=False, **kwargs):
        super().__init__(None, **kwargs)
        self.nodes = _nodes(elements)
        self.to = to
        self.strict = strict  # vuer keeps it but does not send it with an UPSERT

    def _serialize(self):
        return {"etype": self.etype, "ts": self._stamp(), "data": {"nodes": self.nodes, "to": self.to}}


class Add(Upsert):
    etype = "ADD"

    def __init__(self, *elements, to=None, **kwargs):
        super().__init__(*elements, to=to, **kwargs)


class Update(ServerEvent):
    etype = "UPDATE"

    def __init__(self, *elements, strict=False, **kwargs):
        super().__init__(None, **kwargs)
        self.nodes = _nodes(elements)
        self.strict = strict

    def _serialize(self):
        # vuer sends strict beside data (not inside it)
        return {"etype": self.etype, "ts": self._stamp(), "data": {"nodes": self.nodes}, "strict": bool(self.strict)}


class Remove(ServerEvent):
    etype = "REMOVE"

    def __init__(self, *keys, **kwargs):
        super().__init__(None, **kwargs)
        if len(keys) == 1 and isinstance(keys[0], (list, tuple)):
            keys = keys[0]
        keys = [k.key if isinstance(k, Element) else k for k in keys]
        bad = [k for k in keys if not isinstance(k, str)]
        if bad:
            raise TypeError("sess.remove takes node keys (strings), got %r" % (bad[0],))
        self.keys = list(keys)

    def _serialize(self):
        return {"etype": self.etype, "ts": self._stamp(), "data": {"keys": self.keys}}


class HapticActuatorPulse(ServerEvent):
    """Haptic feedback for XR controllers: there is no headset here, so sending it does nothing."""

    etype = "HAPTIC_ACTUATOR_PULSE"

    def __init__(self, left=None, right=None, **kwargs):
        super().__init__({"left": left, "right": right}, **kwargs)


class Frame(ServerEvent):
    """vuer's frame macro for @app.bind generators: its data is sent, then a pause of 1/frame_rate."""

    etype = "FRAME"

    def __init__(self, data, frame_rate=60.0, **kwargs):
        super().__init__(data, **kwargs)
        self.frame_rate = frame_rate


class End(ServerEvent):
    etype = "TERMINATE"

    def __init__(self, **kwargs):
        super().__init__(None, **kwargs)


END = End()


class ServerRPC(ServerEvent):
    """A request the viewer answers with a ClientEvent whose etype is ``rtype``."""

    etype = "RPC"
    rtype = "RPC_RESPONSE@{uuid}"

    def __init__(self, data, uuid=None, **kwargs):
        self.uuid = uuid or str(uuid4())
        super().__init__(data, **kwargs)
        self.rtype = "%s_RESPONSE@%s" % (self.etype, self.uuid)

    def _serialize(self):
        data = dict(self.data or {})
        if getattr(self, "key", None) is not None:
            data.setdefault("key", self.key)  # the runner protocol carries the key in data
        return {"etype": self.etype, "ts": self._stamp(), "uuid": self.uuid, "rtype": self.rtype, "data": to_wire(data)}


class GrabRender(ServerRPC):
    etype = "GRAB_RENDER"

    def __init__(self, *, key="DEFAULT", **kwargs):
        super().__init__(kwargs)
        self.key = key


class MjStep(ServerRPC):
    etype = "MJ_STEP"

    def __init__(self, *, key="DEFAULT", **kwargs):
        super().__init__(kwargs)
        self.key = key


class MjRender(ServerRPC):
    etype = "MJ_RENDER"

    def __init__(self, *, key="DEFAULT", **kwargs):
        super().__init__(kwargs)
        self.key = key


class GetWebXRMesh(ServerRPC):
    etype = "GET_WEBXR_MESH"

    def __init__(self, *, key="webxr-mesh", **kwargs):
        super().__init__(kwargs)
        self.key = key
