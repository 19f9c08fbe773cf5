"""Scene nodes: a component is a tag plus props; serialised as {tag, key, **props}.

Props are plain instance attributes (as in vuer), so a program can change
``box.position`` and upsert the same object again. Attributes starting with "_" are
private and never sent.
"""
import itertools
import threading

_keys = itertools.count()
_keys_lock = threading.Lock()


def _next_key():
    with _keys_lock:
        return str(next(_keys))


def to_wire(value):
    """Nodes inside props/children become dicts; everything else is left for the frame
    encoder (which turns numpy values into numbers/lists and Blobs into binary)."""
    if isinstance(value, Element):
        return value._serialize()
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    return value


class Element:
    """Any vuer component. Positional arguments are children."""

    tag = "div"  # vuer's base tag

    def __init__(self, *children, key=None, **props):
        # As vuer: a key that is missing or empty gets the next number ("0", "1", ...).
        self.key = str(key) if key else _next_key()
        if children:
            self.children = list(children)
        self.__dict__.update(props)

    def _serialize(self):
        out = {"tag": self.tag, "key": self.key}
        for name, value in self.__dict__.items():
            if name == "key" or name.startswith("_"):
                continue
            if name == "children" and not value:
                continue  # vuer leaves an empty (or None) child list out
            out[name] = to_wire(value)
        return out

    def serialize(self):
        return self._serialize()

    def __repr__(self):
        return "%s(key=%r)" % (type(self).__name__, self.key)


class BlockElement(Element):
    """An element that holds children (vuer's name for it)."""


class SceneElement(BlockElement):
    """An element that lives in the 3D scene."""
