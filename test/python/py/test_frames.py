"""The Python frame codec: same layout as src/protocol/frames.ts."""
import json
import struct
import unittest

import host  # noqa: F401 - puts python/ on sys.path
from scene_runner.frames import Blob, FrameError, FrameReader, decode_body, encode_frame


def frame_bytes(message):
    return b"".join(bytes(p) for p in encode_frame(message))


class FramesTest(unittest.TestCase):
    def test_layout_json_then_padded_blobs(self):
        msg = {"etype": "UPSERT", "v": Blob("float32", struct.pack("<3f", 1, 2, 3)), "c": Blob("uint8", b"\x01\x02")}
        raw = frame_bytes(msg)
        body_len, json_len = struct.unpack_from("<II", raw)
        self.assertEqual(body_len, len(raw) - 4)
        text = json.loads(raw[8:8 + json_len])
        self.assertEqual(text["v"], {"$bin": [0, 12], "dtype": "float32"})
        self.assertEqual(text["c"], {"$bin": [16, 2], "dtype": "uint8"})  # 12 rounded up to 16
        blob_start = 4 + ((4 + json_len + 7) & ~7)
        self.assertEqual((blob_start - 4) % 8, 0)
        self.assertEqual(raw[blob_start:blob_start + 12], struct.pack("<3f", 1, 2, 3))
        self.assertEqual(len(raw) - blob_start, 24)

    def test_round_trip_through_the_reader_in_small_chunks(self):
        msgs = [{"etype": "A", "n": i, "s": "é✓", "b": Blob("uint32", struct.pack("<2I", i, 7))} for i in range(3)]
        raw = b"".join(frame_bytes(m) for m in msgs)
        reader = FrameReader(self.fail)
        got = []
        for i in range(0, len(raw), 5):
            got.extend(reader.push(raw[i:i + 5]))
        self.assertEqual(got, msgs)

    def test_bad_frame_is_reported_and_skipped(self):
        errors = []
        reader = FrameReader(errors.append)
        bad = struct.pack("<II", 8, 4) + b"{no}"
        got = reader.push(bad + frame_bytes({"etype": "OK"}))
        self.assertEqual(got, [{"etype": "OK"}])
        self.assertEqual(len(errors), 1)
        self.assertIn("frame JSON is malformed", str(errors[0]))

    def test_bad_blob_reference_is_refused(self):
        text = b'{"x":{"$bin":[0,64],"dtype":"uint8"}}'
        body = struct.pack("<I", len(text)) + text
        with self.assertRaisesRegex(FrameError, "bad binary reference"):
            decode_body(body)

    def test_nan_and_infinity_travel_as_null_as_in_javascript(self):
        # JSON.stringify writes null for them; the same program must not crash in Python
        # where it goes on in TypeScript (the viewer then reports the null prop).
        reader = FrameReader(self.fail)
        raw = b"".join(bytes(p) for p in encode_frame({"position": [float("nan"), 0, float("-inf")], "v": Blob("uint8", b"ab")}))
        self.assertEqual(reader.push(raw), [{"position": [None, 0, None], "v": Blob("uint8", b"ab")}])

    def test_a_lone_surrogate_is_a_json_escape_not_a_failure(self):
        reader = FrameReader(self.fail)
        raw = b"".join(bytes(p) for p in encode_frame({"etype": "LOG", "text": "x\udc80y"}))
        self.assertEqual(reader.push(raw), [{"etype": "LOG", "text": "x\udc80y"}])

    def test_bytes_travel_as_uint8_blobs(self):
        raw = frame_bytes({"src": b"\x89PNG"})
        reader = FrameReader(self.fail)
        self.assertEqual(reader.push(raw), [{"src": Blob("uint8", b"\x89PNG")}])

    def test_blob_rejects_partial_items(self):
        with self.assertRaisesRegex(ValueError, "not a whole number of float32 items"):
            Blob("float32", b"\x00" * 6)


if __name__ == "__main__":
    unittest.main()
