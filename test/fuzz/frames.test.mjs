// Property tests of the TypeScript frame codec (src/protocol/frames.ts): random messages round
// trip through any chunking; damaged, forged and absurdly deep frames are reported as
// ProtocolError, never thrown raw, and never stop the reader. Seeded and time-bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";
import { BUDGET_MS, damage, forCases, forgedRefs, payload, protocolMessage, rawFrame, SEED } from "./gen.mjs";

const frames = await loadTs("src/protocol/frames.ts");
const isProtocolError = (e) => e instanceof Error && e.name === "ProtocolError";

function readAll(buffers, chunking) {
  const got = [];
  const errors = [];
  const reader = new frames.FrameReader((m) => got.push(m), (e) => errors.push(e));
  const all = Buffer.concat(buffers);
  for (let at = 0; at < all.length; ) {
    const n = Math.max(1, chunking(all.length - at));
    reader.push(all.subarray(at, at + n));
    at += n;
  }
  return { got, errors };
}

test("round trip: random messages with typed arrays, any chunking", (t) => {
  let messages = 0;
  const cases = forCases(SEED, (r) => {
    const sent = Array.from({ length: r.range(1, 5) }, () => ({ etype: "UPSERT", ts: r.int(1e6), data: payload(r) }));
    const { got, errors } = readAll(
      sent.map((m) => Buffer.concat(frames.encodeFrame(m))),
      (left) => (r.chance(0.3) ? left : r.range(1, 64)),
    );
    assert.deepEqual(errors, []);
    assert.equal(got.length, sent.length);
    for (let i = 0; i < sent.length; i++) assert.deepEqual(got[i], sent[i]);
    messages += sent.length;
  });
  t.diagnostic(`seed ${SEED}: ${cases} cases, ${messages} messages round-tripped`);
  assert.ok(cases > 0);
});

test("damaged frames: ProtocolError or a message, never a raw exception; the stream goes on", (t) => {
  let reported = 0;
  let decoded = 0;
  const cases = forCases(SEED + 1, (r) => {
    const m = protocolMessage(r);
    let enc;
    try {
      enc = Buffer.concat(frames.encodeFrame(m));
    } catch {
      return; // a message the encoder refuses (not the reader's business)
    }
    const bad = damage(r, enc);
    // decodeFrameBody alone
    if (bad.length >= 4) {
      try {
        frames.decodeFrameBody(bad.subarray(4));
        decoded++;
      } catch (e) {
        assert.ok(isProtocolError(e), `raw ${e?.name}: ${e?.message}`);
        reported++;
      }
    }
    // through a reader, followed by a good frame: the reader never throws
    const reader = new frames.FrameReader(
      () => {},
      (e) => assert.ok(isProtocolError(e), `reader reported a raw ${e?.name}: ${e?.message}`),
    );
    reader.push(bad);
    reader.push(Buffer.concat(frames.encodeFrame({ etype: "STOP", ts: 1 })));
  });
  t.diagnostic(`seed ${SEED + 1}: ${cases} cases (${decoded} decoded, ${reported} refused with ProtocolError), 0 escaped`);
});

test("forged $bin references (negative, unaligned, fractional, inherited dtype names) are ProtocolErrors", (t) => {
  let refused = 0;
  const cases = forCases(SEED + 2, (r) => {
    const text = JSON.stringify(forgedRefs(r));
    const frame = rawFrame(text, 64);
    try {
      const m = frames.decodeFrameBody(frame.subarray(4));
      // accepted: every revived value is a real typed array over the blob area
      const v = m.data.nodes[0].vertices;
      assert.ok(ArrayBuffer.isView(v) || (v && typeof v === "object"));
    } catch (e) {
      assert.ok(isProtocolError(e), `raw ${e?.name}: ${e?.message}`);
      refused++;
    }
  });
  t.diagnostic(`seed ${SEED + 2}: ${cases} cases, ${refused} refused`);
  for (const dtype of ["toString", "__proto__", "constructor"]) {
    assert.throws(() => frames.decodeFrameBody(rawFrame(JSON.stringify({ x: { $bin: [0, 8], dtype } }), 8).subarray(4)), isProtocolError);
  }
  assert.throws(() => frames.decodeFrameBody(rawFrame(JSON.stringify({ x: { $bin: [-8, 8], dtype: "uint8" } }), 8).subarray(4)), isProtocolError);
  assert.throws(() => frames.decodeFrameBody(rawFrame(JSON.stringify({ x: { $bin: [1, 4], dtype: "float32" } }), 8).subarray(4)), isProtocolError);
});

test("deep nesting: past MAX_DEPTH a frame is refused before parsing; up to it, decoded", (t) => {
  const { MAX_DEPTH } = frames;
  const at = (d) => rawFrame(`{"etype":"UPSERT","ts":1,"data":{"nodes":[{"tag":"Box","key":"k","args":${"[".repeat(d)}${"]".repeat(d)}}],"to":null}}`);
  assert.throws(() => frames.decodeFrameBody(at(200_000).subarray(4)), /nested deeper than 512 levels/);
  assert.throws(() => frames.decodeFrameBody(at(MAX_DEPTH).subarray(4)), isProtocolError);
  assert.doesNotThrow(() => frames.decodeFrameBody(at(MAX_DEPTH - 5).subarray(4)));
  // brackets inside strings do not count
  assert.doesNotThrow(() => frames.decodeFrameBody(rawFrame(JSON.stringify({ s: "[".repeat(5000) + '\\"' })).subarray(4)));
  // a good frame in the same chunk as a forged deep one still arrives
  const { got, errors } = readAll([at(200_000), Buffer.concat(frames.encodeFrame({ etype: "UPSERT", ts: 2, data: { nodes: [{ tag: "Box", key: "good" }], to: null } }))], (n) => n);
  assert.equal(errors.length, 1);
  assert.deepEqual(got.map((m) => m.data.nodes[0].key), ["good"]);
  let cases = forCases(SEED + 3, (r) => {
    const d = r.range(1, 3 * MAX_DEPTH);
    const open = Array.from({ length: d }, () => (r.chance(0.5) ? "[" : '{"a":'));
    const close = open.map((o) => (o === "[" ? "]" : "}")).reverse();
    const text = `{"v":${open.join("")}1${close.join("")}}`;
    try {
      frames.decodeFrameBody(rawFrame(text).subarray(4));
      assert.ok(d + 1 <= MAX_DEPTH, `depth ${d + 1} accepted`);
    } catch (e) {
      assert.ok(isProtocolError(e), `raw ${e?.name}`);
      assert.ok(d + 1 > MAX_DEPTH, `depth ${d + 1} refused: ${e.message}`);
    }
  }, { ms: BUDGET_MS / 2 });
  t.diagnostic(`seed ${SEED + 3}: ${cases} depth cases`);
});
