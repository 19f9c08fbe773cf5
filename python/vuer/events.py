"""vuer's event types: ClientEvent (viewer -> program) and the server events a program
sends (Set, Upsert, Update, Add, Remove), as the runner protocol's scene messages."""
import time

from .schemas.base import Element, to_wire


def _now_ms():
    return int(time.time() * 1000)


class ClientEvent:
    """An event from the viewer: etype, ts, key, value (and error on a failed RPC)."""

    def __init__(self, etype=None, ts=None, key=None, value=None, **extra):
        self.etype = etype
        self.ts = ts if ts is not None else _now_ms()
        self.key = key
        self.value = value
        self.__dict__.update(extra)

    def __repr__(self):
        return "ClientEvent(etype=%r, key=%r, value=%r)" % (self.etype, self.key, self.value)


class ServerEvent:
    etype = "NOOP"

    def _serialize(self):
        raise NotImplementedError  # every concrete event below defines its data

    def serialize(self):
        return self._serialize()


def _nodes(elements):
    """Accepts nodes given one by one or as one list (vuer allows both)."""
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

    def __init__(self, data):
        if not (isinstance(data, Element) and data.tag == "Scene"):
            raise TypeError("sess.set takes a Scene(...) root, got %r" % (data,))
        self.data = data

    def _serialize(self):
        return {"etype": self.etype, "ts": _now_ms(), "data": self.data._serialize()}


class Upsert(ServerEvent):
    etype = "UPSERT"

    def __init__(self, *elements, to=None, strict=False):
        self.nodes = _nodes(elements)  # serialised now: later changes to the objects are not sent
        self.to = to
        self.strict = strict

    def _serialize(self):
        return {"etype": self.etype, "ts": _now_ms(), "data": {"nodes": self.nodes, "to": self.to}}


class Add(Upsert):
    etype = "ADD"


class Update(ServerEvent):
    etype = "UPDATE"

    def __init__(self, *elements, strict=False):
        self.nodes = _nodes(elements)
        self.strict = strict

    def _serialize(self):
        return {"etype": self.etype, "ts": _now_ms(), "data": {"nodes": self.nodes}}


class Remove(ServerEvent):
    etype = "REMOVE"

    def __init__(self, *keys):
        if len(keys) == 1 and isinstance(keys[0], (list, tuple)):
            keys = keys[0]
        keys = [k.key if isinstance(k, Element) else k for k in keys]
        bad = [k for k in keys if not isinstance(k, str)]
        if bad:
            raise TypeError("sess.remove takes node keys (strings), got %r" % (bad[0],))
        self.keys = list(keys)

    def _serialize(self):
        return {"etype": self.etype, "ts": _now_ms(), "data": {"keys": self.keys}}
