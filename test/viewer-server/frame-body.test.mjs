// The WebSocket between a browser viewer and the viewer server carries one frame body of the
// runner pipe's codec per message: the body the Node encoder writes and the Buffer-free one a
// page writes are the same bytes, and each reads back with every dtype as a typed array.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { encodeFrame, encodeFrameBody, decodeFrameBody } = await loadTs("src/protocol/frames.ts");

const arrays = {
  float32: new Float32Array([1.5, -2, 3]),
  float64: new Float64Array([Math.PI]),
  uint8: new Uint8Array([0, 255, 7]),
  uint16: new Uint16Array([65535]),
  uint32: new Uint32Array([4e9]),
  int8: new Int8Array([-128]),
  int16: new Int16Array([-3, 3]),
  int32: new Int32Array([-2e9]),
};
const message = { t: "scene", seq: 3, messages: [{ etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "PointCloud", key: "p", ...arrays, name: "é ✓" }], to: null } }] };

test("a page's frame body is the Node encoder's frame without its length prefix", () => {
  const body = encodeFrameBody(message);
  assert.ok(body instanceof Uint8Array && !Buffer.isBuffer(body), "no Buffer: a page writes it");
  const frame = Buffer.concat(encodeFrame(message));
  assert.deepEqual(Buffer.from(body), frame.subarray(4));
  assert.equal(frame.readUInt32LE(0), body.length);
});

test("a body decodes from a plain Uint8Array (a page's ArrayBuffer) and from a Buffer, typed arrays as views", () => {
  const body = encodeFrameBody(message);
  for (const input of [new Uint8Array(body), Buffer.from(body)]) {
    const back = decodeFrameBody(input, true);
    const node = back.messages[0].data.nodes[0];
    for (const [name, a] of Object.entries(arrays)) {
      assert.equal(node[name].constructor, a.constructor, name);
      assert.deepEqual([...node[name]], [...a], name);
    }
    assert.equal(node.name, "é ✓");
  }
  // A body of its own ArrayBuffer: the blob area is 8-aligned and read without a copy.
  const own = new Uint8Array(body.slice().buffer);
  const node = decodeFrameBody(own, true).messages[0].data.nodes[0];
  assert.equal(node.float64.buffer, own.buffer);
});

test("a truncated or forged body is a ProtocolError, not a crash", () => {
  const body = encodeFrameBody({ t: "ready" });
  assert.throws(() => decodeFrameBody(body.subarray(0, 3)), /shorter than its header/);
  const forged = new Uint8Array(body);
  forged[0] = 0xff;
  assert.throws(() => decodeFrameBody(forged), /exceeds the frame/);
});
