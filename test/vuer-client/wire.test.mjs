// vuer's wire format: MessagePack envelopes with float32 numbers, uint64 millisecond timestamps and
// bin fields, decoded as our client decodes them; what our client packs, as vuer's server unpacks it
// (the real Python msgpack, when python3 has it).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { Encoder } from "@msgpack/msgpack";
import { loadClient } from "./load.mjs";

const { decodeEnvelope, encodeEnvelope, WireError } = await loadClient("src/vuer-client/wire.ts");
// Packed the way vuer's server packs (use_single_float=True, use_bin_type=True).
const vuerPack = new Encoder({ forceFloat32: true });

test("a server envelope decodes with its uint64 ms timestamp, float32 numbers and bin fields", () => {
  const ts = 1796134965874; // > 2^32: a uint64 on the wire
  const vertices = new Uint8Array(new Uint16Array([0x3c00, 0x4000, 0x4200]).buffer); // float16 bytes, as vuer sends them
  const frame = vuerPack.encode({ etype: "UPSERT", ts, data: { nodes: [{ tag: "PointCloud", key: "pc", vertices, position: [0.1, 2, -3.5] }], to: null } });
  const u64 = Buffer.alloc(9);
  u64[0] = 0xcf;
  u64.writeBigUInt64BE(BigInt(ts), 1);
  assert.ok(Buffer.from(frame).includes(u64), "the timestamp went out as a msgpack uint64");
  const m = decodeEnvelope(frame);
  assert.equal(m.etype, "UPSERT");
  assert.equal(m.ts, ts);
  const node = m.data.nodes[0];
  assert.deepEqual(node.position, [Math.fround(0.1), 2, -3.5], "float32 precision, as vuer sends it");
  assert.ok(node.vertices instanceof Uint8Array);
  assert.deepEqual([...node.vertices], [...vertices]);
  // Its own buffer: not a view into the frame, which may be a slice of a pooled socket buffer.
  assert.equal(node.vertices.byteOffset, 0);
  assert.equal(node.vertices.buffer.byteLength, vertices.byteLength);
  assert.equal(m.data.to, null);
});

test("binary fields inside arrays and nested objects are copied out of the frame too", () => {
  const frame = vuerPack.encode({ etype: "SET", ts: 1, data: { tag: "Scene", key: "s", children: [{ tag: "ImageBackground", key: "img", src: new Uint8Array([1, 2, 3]), extra: { more: [new Uint8Array([9])] } }] } });
  const m = decodeEnvelope(frame);
  const img = m.data.children[0];
  assert.equal(img.src.buffer.byteLength, 3);
  assert.equal(img.extra.more[0].buffer.byteLength, 1);
});

test("what is not a vuer envelope is a one-line WireError, not a crash", () => {
  const cases = [
    [new Uint8Array([0xc1]), /not MessagePack/],
    [vuerPack.encode([1, 2, 3]), /an array of 3, not a vuer envelope/],
    [vuerPack.encode("hello"), /a string, not a vuer envelope/],
    [vuerPack.encode({ ts: 1, data: {} }), /no etype \(keys: ts, data\)/],
    [new Uint8Array([0x85]), /not MessagePack/], // a truncated map
  ];
  for (const [bytes, re] of cases) {
    assert.throws(() => decodeEnvelope(bytes), (e) => e instanceof WireError && re.test(e.message) && !e.message.includes("\n"), String(re));
  }
});

test("our events pack without undefined fields, with binary values as bin and round-trip", () => {
  const frame = encodeEnvelope({ etype: "GRAB_RENDER_RESPONSE@u1", ts: 1796134965874, key: "DEFAULT", value: { frame: new Uint8Array([137, 80, 78, 71]), width: undefined } });
  const back = decodeEnvelope(frame);
  assert.deepEqual(Object.keys(back.value), ["frame"], "undefined is left out (msgpackr's undefined reaches Python as an ExtType)");
  assert.deepEqual([...back.value.frame], [137, 80, 78, 71]);
  assert.equal(back.ts, 1796134965874);
});

// The first Python with msgpack: PATH's python3 (perhaps a pyenv one), else Debian's.
const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import msgpack"]).status === 0);
const pythonMsgpack = python !== undefined;

test("vuer's server side (Python msgpack) packs what we decode and unpacks what we send", { skip: !pythonMsgpack && "python3 has no msgpack module (Debian: python3-msgpack)" }, () => {
  const init = encodeEnvelope({ etype: "INIT", ts: 1796134965874, value: { client: "browser", screenWidth: 800, devicePixelRatio: 1 } });
  // The Python half: unpack our INIT as vuer's downlink does (unpackb raw=False), then answer with
  // an UPSERT packed as vuer's send() packs it (ts float seconds -> int ms, use_single_float).
  const py = `
import sys, msgpack
init = msgpack.unpackb(sys.stdin.buffer.read(), raw=False)
assert init["etype"] == "INIT" and isinstance(init["ts"], int) and init["ts"] == 1796134965874, init
assert init["value"] == {"client": "browser", "screenWidth": 800, "devicePixelRatio": 1}, init
event = {"etype": "UPSERT", "ts": 1796134965.874, "data": {"nodes": [{"tag": "Box", "key": "b", "args": [0.1, 0.2, 0.3], "blob": b"\\x00\\x01"}], "to": None}}
event["ts"] = int(event["ts"] * 1000)
sys.stdout.buffer.write(msgpack.packb(event, use_single_float=True, use_bin_type=True))
`;
  const r = spawnSync(python, ["-c", py], { input: Buffer.from(init) });
  assert.equal(r.status, 0, r.stderr.toString());
  const m = decodeEnvelope(new Uint8Array(r.stdout));
  assert.equal(m.ts, 1796134965874);
  assert.deepEqual(m.data.nodes[0].args, [0.1, 0.2, 0.3].map(Math.fround));
  assert.deepEqual([...m.data.nodes[0].blob], [0, 1]);
});
