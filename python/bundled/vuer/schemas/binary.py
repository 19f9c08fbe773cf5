"""PointCloud and TriMesh: bulk arrays travel as binary blobs, never as JSON numbers.

vertices -> float32, colors -> uint8 (floats in 0..1 are scaled by 255 and truncated, as
vuer's astype(uint8) does; integers are taken as 0..255; an alpha channel is dropped, as vuer
does), faces -> uint32.
Inputs may be numpy arrays (numpy is never imported here: arrays are used through
their own methods) or (nested) Python sequences.
"""
import array
import sys

from scene_runner.frames import Blob

from .base import SceneElement

_TYPECODES = {"float32": "f", "uint8": "B", "uint32": "I"}
_NUMPY_DTYPES = {"float32": "<f4", "uint8": "u1", "uint32": "<u4"}


def _is_ndarray(x):
    return hasattr(x, "dtype") and hasattr(x, "astype") and hasattr(x, "shape")


def _rows(values, what):
    """Flattens a list of rows ([[x, y, z], ...]) or passes a flat list through."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError("%s must be a list or numpy array, not %s" % (what, type(values).__name__))
    if len(values) and hasattr(values[0], "__len__"):
        return [v for row in values for v in row], len(values[0])
    return list(values), None


def _check_width(count, width, per, what):
    if width is not None and width != per:
        raise ValueError("%s rows must have %d numbers, got %d" % (what, per, width))
    if count % per:
        raise ValueError("%s: %d numbers is not a whole number of %d-tuples" % (what, count, per))


def _from_list(flat, dtype, what):
    try:
        arr = array.array(_TYPECODES[dtype], flat)
    except (TypeError, OverflowError) as e:
        raise ValueError("%s: cannot store as %s (%s)" % (what, dtype, e)) from None
    if sys.byteorder != "little":
        arr.byteswap()
    return Blob(dtype, arr.tobytes())


def numbers_blob(values, dtype, per, what):
    """float32/uint32 blob from an ndarray or sequence of `per`-tuples."""
    if values is None or isinstance(values, Blob):
        return values
    if _is_ndarray(values):
        if values.size % per:
            raise ValueError("%s: %d numbers is not a whole number of %d-tuples" % (what, values.size, per))
        return Blob(dtype, values.astype(_NUMPY_DTYPES[dtype]).tobytes())
    flat, width = _rows(values, what)
    _check_width(len(flat), width, per, what)
    return _from_list(flat, dtype, what)


def colors_blob(values, what):
    """uint8 RGB blob from floats in 0..1 or integers in 0..255 (RGBA loses its alpha)."""
    if values is None or isinstance(values, Blob):
        return values
    if _is_ndarray(values):
        if values.ndim == 2 and values.shape[-1] == 4:
            values = values[:, :3]
        if values.size % 3:
            raise ValueError("%s: %d numbers is not a whole number of RGB triples" % (what, values.size))
        if values.dtype.kind == "f":
            values = (values * 255.0).clip(0, 255)  # truncated by astype below, as in vuer
        return Blob("uint8", values.astype("u1").tobytes())
    flat, width = _rows(values, what)
    if width == 4:
        flat = [v for i, v in enumerate(flat) if i % 4 != 3]
        width = 3
    _check_width(len(flat), width, 3, what)
    if any(isinstance(v, float) for v in flat):
        flat = [min(255, max(0, int(v * 255.0))) for v in flat]  # truncated, as vuer's astype(uint8)
    return _from_list(flat, "uint8", what)


class PointCloud(SceneElement):
    tag = "PointCloud"

    def _serialize(self):
        out = super()._serialize()
        name = "PointCloud %r" % self.key
        if getattr(self, "vertices", None) is not None:
            out["vertices"] = numbers_blob(self.vertices, "float32", 3, name + " vertices")
        if getattr(self, "colors", None) is not None:
            out["colors"] = colors_blob(self.colors, name + " colors")
        return out


class TriMesh(SceneElement):
    tag = "TriMesh"

    def _serialize(self):
        out = super()._serialize()
        name = "TriMesh %r" % self.key
        for prop, dtype in (("vertices", "float32"), ("faces", "uint32")):
            if getattr(self, prop, None) is not None:
                out[prop] = numbers_blob(getattr(self, prop), dtype, 3, "%s %s" % (name, prop))
        if getattr(self, "colors", None) is not None:
            out["colors"] = colors_blob(self.colors, name + " colors")
        if getattr(self, "uv", None) is not None:
            out["uv"] = numbers_blob(self.uv, "float32", 2, name + " uv")
        return out
