"""Binary framing of the runner pipe: the Python twin of src/protocol/frames.ts.

    frame = u32 LE bodyLength, body
    body  = u32 LE jsonLength, JSON (UTF-8), zero padding to 8 (from the body start), blob area

Bulk numbers (point clouds, meshes, image bytes) travel as ``Blob`` objects: they are
lifted out of the JSON into the 8-aligned blob area and replaced by
``{"$bin": [offset, byteLength], "dtype": "float32"}``, so the host gets typed arrays
without parsing number lists.
"""
import json
import math
import struct

# Dtype names, the frame size bound and the depth bound are the TypeScript reader's
# (contract.py is generated from it): a corrupt length must not make us allocate gigabytes,
# and deeper messages are refused, never a RecursionError in the reader thread.
from .contract import DTYPES, MAX_DEPTH, MAX_FRAME_BYTES  # noqa: E402,F401 (re-exported)

_U32 = struct.Struct("<I")
_HEAD = struct.Struct("<II")  # body length, JSON length


class FrameError(ValueError):
    """A frame that cannot be decoded; the message says why in one line."""


class Blob:
    """Little-endian bytes of a typed array, tagged with its protocol dtype."""

    __slots__ = ("dtype", "data")

    def __init__(self, dtype, data):
        if dtype not in DTYPES:
            raise ValueError("unsupported blob dtype %r (one of %s)" % (dtype, ", ".join(DTYPES)))
        data = memoryview(data).cast("B")
        if len(data) % DTYPES[dtype][1]:
            raise ValueError("%d bytes is not a whole number of %s items" % (len(data), dtype))
        self.dtype = dtype
        self.data = data

    def __len__(self):
        return len(self.data) // DTYPES[self.dtype][1]

    def __eq__(self, other):
        return isinstance(other, Blob) and other.dtype == self.dtype and bytes(other.data) == bytes(self.data)

    def __repr__(self):
        return "Blob(%s, %d items)" % (self.dtype, len(self))


def _pad8(n):
    return (n + 7) & ~7


def _plain(value):
    """Fallback for json.dumps: numpy scalars/arrays in ordinary props become numbers/lists."""
    tolist = getattr(value, "tolist", None)
    if tolist is not None:
        return tolist()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError("cannot send a %s in a scene message" % type(value).__name__)


# Most messages (task reports, small scene updates) hold no blobs: one shared encoder
# without a default hook encodes them; a TypeError sends the message down the full path.
_plain_encoder = json.JSONEncoder(allow_nan=False, separators=(",", ":"), ensure_ascii=False)


def _finite(value):
    """The message with NaN and infinities as null, as JavaScript's JSON.stringify writes them.

    Only on the rare message that holds one: a program's NaN position must not crash its
    upsert (vuer's msgpack would carry it); the viewer reports the null prop on that node."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, (Blob, bytes, bytearray, memoryview, str, int, bool)) or value is None:
        return value
    try:
        return _finite(_plain(value))
    except TypeError:
        return value  # left for the encoder to refuse with its own message


def _utf8(text):
    """JSON text as UTF-8; a lone surrogate (legal in a Python str) is written as a JSON escape,
    as JavaScript's JSON.stringify writes it, instead of failing the message."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=True).encode("ascii")


def encode_frame(message):
    """One message -> list of bytes-like parts to write in order (blobs are not copied)."""
    try:
        body_json = _utf8(_plain_encoder.encode(message))
    except TypeError:
        return _encode_with_blobs(message)
    except ValueError:
        return encode_frame(_finite(message))
    pad = _pad8(4 + len(body_json)) - 4 - len(body_json)
    return [_U32.pack(4 + len(body_json) + pad) + _U32.pack(len(body_json)) + body_json + bytes(pad)]


_heads = {}  # JSON length -> (frame head, zero padding) as latin-1 text (frame_head)


def frame_head(n):
    """(head, padding) of the frame of an ASCII JSON text of n characters, as latin-1 text:
    the runner's task reports (tracking.py) are framed as one string, encoded once."""
    pad = _pad8(4 + n) - 4 - n
    head = (_HEAD.pack(4 + n + pad, n).decode("latin-1"), "\0" * pad)
    if n < 4096:  # task reports have a few lengths; long texts (tracebacks) vary
        _heads[n] = head
    return head


def _encode_with_blobs(message):
    blobs = []
    offset = [0]

    def default(value):
        if isinstance(value, Blob):
            ref = {"$bin": [offset[0], len(value.data)], "dtype": value.dtype}
            blobs.append(value.data)
            offset[0] += _pad8(len(value.data))
            return ref
        if isinstance(value, (bytes, bytearray, memoryview)):
            return default(Blob("uint8", value))
        return _plain(value)

    try:
        text = json.dumps(message, default=default, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    except ValueError:
        # JSON has no NaN: written as null (see _finite); the blobs collected so far are dropped.
        return _encode_with_blobs(_finite(message))
    body_json = _utf8(text)
    json_padded = _pad8(4 + len(body_json)) - 4
    body_length = 4 + json_padded + offset[0]
    parts = [_U32.pack(body_length) + _U32.pack(len(body_json)), body_json]
    if json_padded > len(body_json):
        parts.append(bytes(json_padded - len(body_json)))
    for data in blobs:
        parts.append(data)
        pad = _pad8(len(data)) - len(data)
        if pad:
            parts.append(bytes(pad))
    return parts


def decode_body(body):
    """One frame body (without its length prefix) -> message, with Blob objects in place of refs."""
    body = memoryview(body)
    if len(body) < 4:
        raise FrameError("frame shorter than its header")
    (json_length,) = _U32.unpack_from(body, 0)
    if 4 + json_length > len(body):
        raise FrameError("frame JSON length exceeds the frame")
    area = body[_pad8(4 + json_length):]
    try:
        parsed = json.loads(bytes(body[4:4 + json_length]).decode("utf-8"))
    except RecursionError:
        raise FrameError("frame JSON is nested deeper than %d levels" % MAX_DEPTH) from None
    except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise FrameError("frame JSON is malformed: %s" % e) from None
    return _revive(parsed, area)


def _whole(n):
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def _blob(x, area):
    ref = x.get("$bin")
    if not isinstance(ref, list) or not isinstance(x.get("dtype"), str):
        return None
    dtype = x["dtype"]
    if (dtype not in DTYPES or len(ref) != 2 or not _whole(ref[0]) or not _whole(ref[1])
            or ref[0] + ref[1] > len(area) or ref[1] % DTYPES[dtype][1] or ref[0] % DTYPES[dtype][1]):
        raise FrameError("bad binary reference %s" % json.dumps(x)[:200])
    return Blob(dtype, bytes(area[ref[0]:ref[0] + ref[1]]))


def _revive(root, area):
    """Puts Blobs in place of binary references; iterative, refusing nesting past MAX_DEPTH."""
    if isinstance(root, dict):
        blob = _blob(root, area)
        if blob is not None:
            return blob
    elif not isinstance(root, list):
        return root
    stack = [(root, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FrameError("frame JSON is nested deeper than %d levels" % MAX_DEPTH)
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for k, v in list(items):
            if isinstance(v, dict):
                blob = _blob(v, area)
                if blob is not None:
                    container[k] = blob
                    continue
                stack.append((v, depth + 1))
            elif isinstance(v, list):
                stack.append((v, depth + 1))
    return root


class FrameReader:
    """Incremental reader: feed bytes as they arrive, get whole messages back.
    A malformed frame is handed to on_error and skipped; the stream goes on."""

    def __init__(self, on_error):
        self._buf = bytearray()
        self._on_error = on_error

    def push(self, chunk):
        self._buf += chunk
        out = []
        while len(self._buf) >= 4:
            (length,) = _U32.unpack_from(self._buf, 0)
            if length > MAX_FRAME_BYTES:
                self._buf.clear()
                self._on_error(FrameError("frame of %d bytes is larger than the %d limit; stream dropped" % (length, MAX_FRAME_BYTES)))
                break
            if len(self._buf) < 4 + length:
                break
            body = bytes(self._buf[4:4 + length])
            del self._buf[:4 + length]
            try:
                out.append(decode_body(body))
            except FrameError as e:
                self._on_error(e)
            except (RecursionError, TypeError, ValueError, OverflowError, MemoryError) as e:
                # Never let a frame end the reader thread: whatever it was, it is one bad frame.
                self._on_error(FrameError("frame cannot be decoded: %s: %s" % (type(e).__name__, e)))
        return out
