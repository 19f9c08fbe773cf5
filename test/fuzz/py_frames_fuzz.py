"""Fuzzing python/scene_runner/frames.py from inside Python (run by python-frames.test.mjs).

  py_frames_fuzz.py echo <seed>          frames on stdin -> decoded in random chunks -> re-encoded on stdout
  py_frames_fuzz.py mutate <seed> <ms>   damaged, forged and deep frames; prints counts as JSON

Only FrameError may come out of decode_body; nothing may come out of FrameReader.push.
"""
import json
import random
import struct
import sys
import time

from scene_runner.frames import MAX_DEPTH, Blob, FrameError, FrameReader, decode_body, encode_frame


def echo(seed):
    rnd = random.Random(seed)
    data = sys.stdin.buffer.read()
    errors = []
    reader = FrameReader(errors.append)
    out = []
    at = 0
    while at < len(data):
        n = len(data) - at if rnd.random() < 0.3 else rnd.randint(1, 64)
        for m in reader.push(data[at:at + n]):
            out.append(b"".join(bytes(p) for p in encode_frame(m)))
        at += n
    if errors:
        sys.stderr.write("reader errors: %r\n" % errors[:3])
        return 1
    sys.stdout.buffer.write(b"".join(out))
    return 0


def frame(text, blob_bytes=0):
    body = text.encode("utf-8")
    pad = ((4 + len(body) + 7) & ~7) - 4 - len(body)
    return struct.pack("<I", 4 + len(body) + pad + blob_bytes) + struct.pack("<I", len(body)) + body + bytes(pad) + bytes(blob_bytes)


WEIRD = ["__proto__", "constructor", "toString", "children", "$bin", "dtype", "", "\u00e9", "k1"]


def value(rnd, depth=3):
    k = rnd.randrange(8 if depth > 0 else 5)
    if k == 0:
        return None
    if k == 1:
        return rnd.random() < 0.5
    if k == 2:
        return rnd.choice([0, 1, -5, 1.5, 1e21, 2 ** 53 - 1])
    if k in (3, 4):
        return rnd.choice(WEIRD)
    if k in (5, 6):
        return [value(rnd, depth - 1) for _ in range(rnd.randrange(4))]
    return {rnd.choice(WEIRD): value(rnd, depth - 1) for _ in range(rnd.randrange(4))}


def message(rnd):
    m = {"etype": rnd.choice(["UPSERT", "CLICK", "STOP", "TASK_CANCEL"]), "ts": rnd.randrange(10 ** 6), "value": value(rnd)}
    if rnd.random() < 0.3:
        m["blob"] = Blob(rnd.choice(["uint8", "float32", "int16"]), bytes(rnd.randrange(3) * 4))
    return m


def damage(rnd, buf):
    b = bytearray(buf)
    k = rnd.randrange(6)
    if k == 0 and b:
        for _ in range(rnd.randint(1, 4)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif k == 1:
        b = b[:rnd.randrange(len(b) + 1)]
    elif k == 2:
        i = rnd.randrange(len(b) + 1)
        b = b[:i] + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 12))) + b[i:]
    elif k == 3 and len(b) >= 8:
        struct.pack_into("<I", b, 4, rnd.randrange(len(b) * 2))
    elif k == 4 and len(b) >= 4:
        struct.pack_into("<I", b, 0, max(0, len(b) - 4 - rnd.randrange(8)))
    return bytes(b)


def forged(rnd):
    ref = rnd.choice([[0, 4], [-8, 8], [0.5, 4], [3, 4], ["0", "4"], [0], [0, 4, 8], [2 ** 53, 8], [None, None], [True, 4], [1e300, 1], [0, -4]])
    dtype = rnd.choice(["float32", "uint8", "toString", "__proto__", "constructor", "float16", "", "int32", "__class__"])
    leaf = {"$bin": ref, "dtype": dtype}
    return frame(json.dumps({"etype": "UPSERT", "ts": 1, "data": {"v": leaf, "w": [leaf, {"d": leaf}]}}), 64)


def deep(rnd):
    d = rnd.randint(1, 3 * MAX_DEPTH)
    opens = ["[" if rnd.random() < 0.5 else '{"a":' for _ in range(d)]
    closes = ["]" if o == "[" else "}" for o in reversed(opens)]
    return frame('{"v":' + "".join(opens) + "1" + "".join(closes) + "}"), d + 1


def mutate(seed, ms):
    rnd = random.Random(seed)
    deadline = time.monotonic() + ms / 1000.0
    counts = {"cases": 0, "decoded": 0, "refused": 0, "escaped": 0, "deep_accepted_past_limit": 0}
    escaped = []

    def on_error(e):
        if not isinstance(e, FrameError):
            escaped.append(repr(e))

    while time.monotonic() < deadline:
        counts["cases"] += 1
        kind = rnd.randrange(3)
        depth = None
        if kind == 0:
            buf = damage(rnd, b"".join(bytes(p) for p in encode_frame(message(rnd))))
        elif kind == 1:
            buf = forged(rnd)
        else:
            buf, depth = deep(rnd)
        if len(buf) >= 4:
            try:
                decode_body(buf[4:])
                counts["decoded"] += 1
                if depth is not None and depth > MAX_DEPTH:
                    counts["deep_accepted_past_limit"] += 1
            except FrameError:
                counts["refused"] += 1
            except BaseException as e:  # noqa: B902 - counting what escapes is the point
                escaped.append("decode_body: %r" % e)
        try:
            reader = FrameReader(on_error)
            reader.push(buf)
            reader.push(b"".join(bytes(p) for p in encode_frame({"etype": "STOP", "ts": 1})))
        except BaseException as e:  # noqa: B902
            escaped.append("push: %r" % e)
    counts["escaped"] = len(escaped)
    counts["examples"] = escaped[:5]
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        sys.exit(echo(int(sys.argv[2])))
    sys.exit(mutate(int(sys.argv[2]), int(sys.argv[3])))
