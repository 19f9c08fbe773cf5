"""vuer.types: the small types vuer programs import (Url, Euler, ...), with vuer's behaviour."""
from math import pi
from typing import Callable, Coroutine, NamedTuple, Union
from uuid import UUID


class Url(str):
    """A URL string that joins with / and +: ``app.localhost_prefix / "robot.urdf"``."""

    def __truediv__(self, other):
        return Url("%s/%s" % (self.rstrip("/"), str(other).lstrip("/")))

    def __add__(self, other):
        return Url("%s%s" % (self, other))

    def __radd__(self, other):
        return Url("%s%s" % (other, self))


IDType = Union[UUID, str]
CoroutineFn = Callable[[], Coroutine]
EventHandler = Callable[["ClientEvent", "VuerSession"], None]
SocketHandler = Callable[["VuerSession"], Coroutine]


class Vector3(NamedTuple):
    x: float
    y: float
    z: float


class Euler(NamedTuple):
    x: float
    y: float
    z: float
    order: str = "XYZ"


class EulerDeg(Euler):
    unit = "deg"

    def to_rad(self):
        return Euler(*[v / 180 * pi for v in self[:3]], order=self.order)


class Body(NamedTuple):
    position: Vector3
    rotation: Euler
    scale: float
