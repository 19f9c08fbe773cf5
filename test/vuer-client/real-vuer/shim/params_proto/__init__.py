"""A stand-in for params-proto (geyang/params-proto), only so that vuer's own server source
runs in this test suite: params-proto is not a Debian package and PyPI is out of reach here.

It covers exactly what vuer's server modules use at import and construction time:
`EnvVar @ "NAME" | default` for field defaults read from the environment, and
`@proto.prefix` turning a class's annotated fields (its bases' too) into keyword
arguments of its constructor, followed by `__post_init__`. Nothing else of params-proto
(CLI parsing, prefixes, sweeps) is here. This is test scaffolding, not part of Scene Runner.
"""

import os

__all__ = ["EnvVar", "proto"]


class _EnvVar:
  def __init__(self, name=None, default=None):
    self.name = name
    self.default = default

  def __matmul__(self, name):
    return _EnvVar(name, None)

  def __or__(self, default):
    return _EnvVar(self.name, default)

  def resolve(self, typ):
    raw = os.environ.get(self.name) if self.name else None
    if raw is None:
      return self.default
    if typ is int:
      return int(raw)
    if typ is float:
      return float(raw)
    if typ is bool:
      return raw.lower() in ("1", "true", "yes")
    return raw


EnvVar = _EnvVar()


def _fields(cls):
  fields = {}
  for klass in reversed(cls.__mro__):
    for name, typ in getattr(klass, "__annotations__", {}).items():
      if name in klass.__dict__:
        fields[name] = (typ, klass.__dict__[name])
  return fields


class proto:
  @staticmethod
  def prefix(cls):
    fields = _fields(cls)

    def __init__(self, **kwargs):
      for name, (typ, default) in fields.items():
        if name in kwargs:
          value = kwargs.pop(name)
        elif isinstance(default, _EnvVar):
          value = default.resolve(typ)
        else:
          value = default
        setattr(self, name, value)
      for name, value in kwargs.items():
        setattr(self, name, value)
      post = getattr(self, "__post_init__", None)
      if post is not None:
        post()

    cls.__init__ = __init__
    return cls

  @staticmethod
  def cli(*_args, **_kwargs):
    raise NotImplementedError("the test shim of params_proto has no CLI (vuer's `vuer` command is not used here)")
