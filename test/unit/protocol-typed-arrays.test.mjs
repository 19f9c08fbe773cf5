// The one typed-array codec: every dtype survives the text form (JSON lines, saved scenes, the
// headless bridge) and the runner pipe's frames, under the same names; forged names and
// truncated bytes are ProtocolErrors, never a crash or a wrong array.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const ta = await loadTs("src/protocol/typed-arrays.ts");
const { toJsonLine, fromJsonLine } = await loadTs("src/protocol/jsonl.ts");
const { encodeFrame, FrameReader } = await loadTs("src/protocol/frames.ts");

const samples = () => [
  new Float32Array([1.5, -2, 3e8]),
  new Float64Array([Math.PI, -0, 1e-300]),
  new Uint8Array([0, 255, 7]),
  new Uint16Array([65535, 1]),
  new Uint32Array([4294967295, 0]),
  new Int8Array([-128, 127]),
  new Int16Array([-32768, 32767]),
  new Int32Array([-2147483648, 2147483647]),
];

test("every dtype round-trips through the text form with its type and values", () => {
  for (const a of samples()) {
    const back = ta.typedFromText(JSON.parse(JSON.stringify(ta.typedToText(a))));
    assert.equal(back.constructor, a.constructor, a.constructor.name);
    assert.deepEqual([...back], [...a]);
  }
  const message = { etype: "UPSERT", ts: 1, data: { nodes: samples().map((a, i) => ({ tag: "PointCloud", key: `p${i}`, vertices: a })), to: null } };
  assert.deepEqual(fromJsonLine(toJsonLine(message)), message);
  assert.deepEqual(ta.typedArraysFromText(JSON.parse(JSON.stringify(ta.typedArraysToText(message)))), message);
});

test("the runner pipe carries the same dtypes under the same names", () => {
  const message = { etype: "UPSERT", ts: 1, data: { nodes: samples().map((a, i) => ({ tag: "PointCloud", key: `p${i}`, vertices: a })), to: null } };
  const got = [];
  const reader = new FrameReader((m) => got.push(m), (e) => assert.fail(e));
  for (const b of encodeFrame(message)) reader.push(b);
  assert.equal(got.length, 1);
  assert.deepEqual(got[0], message);
});

test("a clamped byte array travels as bytes", () => {
  const back = ta.typedFromText(ta.typedToText(new Uint8ClampedArray([1, 300, -5])));
  assert.ok(back instanceof Uint8Array);
  assert.deepEqual([...back], [1, 255, 0]);
});

test("forged dtype names and truncated bytes are protocol errors", () => {
  for (const name of ["toString", "__proto__", "constructor", "float16", 3]) {
    assert.throws(() => ta.typedFromText({ $typed: name, base64: "AAAA" }), (e) => e.name === "ProtocolError", String(name));
  }
  assert.throws(() => ta.typedFromText({ $typed: "float32", base64: Buffer.from([1, 2, 3]).toString("base64") }), /not a whole number of float32/);
  assert.equal(ta.typedFromText({ base64: "AAAA" }), undefined, "not a typed array at all");
});
