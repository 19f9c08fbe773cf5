// The runner pipe's writer batches a burst of messages into few writes, writing blob-less
// frames into a shared arena: the bytes on the wire must be exactly the frames encodeFrame
// makes, in the order the messages were sent, whatever mix of text and binary messages,
// non-ASCII text and batch sizes (a burst past the 1 MiB flush point included).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Duplex } from "node:stream";
import { loadTs } from "../helpers/load-ts.mjs";

const { Channel } = await loadTs("src/runner/channel.ts");
const { encodeFrame, FrameReader } = await loadTs("src/protocol/frames.ts");

/** A real Node duplex stream that keeps every chunk written to it. */
function recordingStream() {
  const writes = [];
  const stream = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      writes.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, writes };
}

const spawn = (i, name) => ({ etype: "TASK_SPAWN", ts: 1000 + i, task: { id: `t${i}`, name, parent: i > 1 ? "t1" : null, file: "/w/é.ts", line: i, column: 3 } });
const state = (i) => ({ etype: "TASK_STATE", ts: 2000 + i, task: { id: `t${i}`, state: "done" } });
const cloud = (i, n) => ({ etype: "UPSERT", ts: 3000 + i, data: { nodes: [{ tag: "PointCloud", key: `c${i}`, vertices: new Float32Array(n).map((_, j) => j + i), colors: new Uint8Array(n) }], to: null } });

async function sendAll(messages) {
  const { stream, writes } = recordingStream();
  const ch = new Channel(stream, (x) => x, { message() {}, invalid() {} });
  for (const m of messages) assert.equal(ch.send(m), true);
  await new Promise((r) => setImmediate(r)); // the batch ends with its burst of microtasks
  return { writes, ch };
}

function decodeAll(bytes) {
  const got = [];
  new FrameReader((m) => got.push(m), (e) => assert.fail(e)).push(bytes);
  return got;
}

test("a burst of text and binary messages arrives whole, in order, byte for byte as encodeFrame", async () => {
  const names = ["worker", "naïve → ✓", "emoji 🎈", "x".repeat(70_000)]; // one frame larger than an arena
  const messages = [];
  for (let i = 1; i <= 3000; i++) {
    messages.push(spawn(i, names[i % names.length]));
    if (i % 500 === 0) messages.push(cloud(i, 3 * (i / 500)));
    if (i % 3 === 0) messages.push(state(i));
  }
  const { writes } = await sendAll(messages);
  const wire = Buffer.concat(writes);
  assert.ok(wire.length > 1 << 20, "the burst passes the flush point at least once");
  // One write per 1 MiB flushed (and the burst's first message), not one per message.
  assert.ok(writes.length <= Math.ceil(wire.length / (1 << 20)) + 2, `${writes.length} writes for ${messages.length} messages, ${wire.length} bytes`);
  assert.deepEqual(wire, Buffer.concat(messages.flatMap((m) => encodeFrame(m))));
  assert.deepEqual(decodeAll(wire), messages);
});

test("the first message of a burst is written at once, the rest when the burst ends", async () => {
  const { stream, writes } = recordingStream();
  const ch = new Channel(stream, (x) => x, { message() {}, invalid() {} });
  ch.send(spawn(1, "first"));
  ch.send(state(1));
  ch.send(spawn(2, "second"));
  assert.equal(writes.length, 1);
  assert.deepEqual(decodeAll(writes[0]), [spawn(1, "first")]);
  assert.ok(ch.backlogBytes > 0, "what waits for the burst's end counts as backlog");
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 2);
  assert.deepEqual(decodeAll(writes[1]), [state(1), spawn(2, "second")]);
  // The next burst starts a fresh arena: the frames handed to the stream are never overwritten.
  ch.send(spawn(3, "third"));
  ch.send(spawn(4, "fourth"));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(decodeAll(Buffer.concat(writes)), [spawn(1, "first"), state(1), spawn(2, "second"), spawn(3, "third"), spawn(4, "fourth")]);
});

test("a reader handling a flood of frames gives the event loop a turn, and loses nothing", async () => {
  // 300 frames all readable at once, each taking 2 ms to handle (more than one slice in total):
  // a callback queued before the flood must run before the flood is through, as a Stop click must.
  const frames = [];
  for (let i = 0; i < 300; i++) frames.push(Buffer.concat(encodeFrame(state(i))));
  const stream = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
  const got = [];
  let turnAt = -1;
  const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
  const ch = new Channel(stream, (x) => x, {
    message(m) {
      got.push(m.task.id);
      busy(2);
    },
    invalid: (e) => assert.fail(e),
  });
  const all = new Promise((resolve) => {
    const check = setInterval(() => got.length === frames.length && (clearInterval(check), resolve()), 5);
  });
  setImmediate(() => (turnAt = got.length));
  for (const f of frames) stream.push(f);
  await all;
  assert.deepEqual(got, frames.map((_, i) => `t${i}`), "every frame, in order");
  assert.ok(turnAt >= 0 && turnAt < frames.length, `the queued callback ran after ${turnAt} of ${frames.length} frames`);
  assert.equal(ch.isClosed, false);
});

test("task reports take the template path with exactly JSON.stringify's text; other shapes fall back", async () => {
  const { textOnlyJson } = await loadTs("src/protocol/frames.ts");
  const usual = [
    spawn(1, "worker"), spawn(2, 'quote " backslash \\ tab \t ✓ 🎈'),
    { etype: "TASK_SPAWN", ts: 5, task: { id: "t9", name: "main", parent: null, file: undefined, line: undefined, column: undefined } },
    { etype: "TASK_SPAWN", ts: 5.25, task: { id: "t9", name: "n", parent: "t1", file: "/a b/c.ts", line: 1, column: undefined } },
    state(3), { etype: "TASK_STATE", ts: 7, task: { id: "t3", state: "cancelling" } },
  ];
  for (const m of usual) assert.equal(textOnlyJson(m), JSON.stringify(m));
  const others = [
    { etype: "TASK_STATE", ts: 7, task: { id: "t3", state: "failed", error: { name: "Error", message: "x" } } },
    { etype: "TASK_STATE", ts: 7, task: { id: "t3", state: "done" }, extra: 1 },
    { etype: "TASK_SPAWN", ts: 1, task: { id: "t1", name: "w", parent: null, file: "/f.ts", line: 2, column: 3, more: true } },
    { etype: "TASK_STATE", ts: Number.NaN, task: { id: "t3", state: "done" } },
    { etype: "TASK_SPAWN", ts: 1, task: { id: 7, name: "w", parent: null, file: "/f.ts", line: 2, column: 3 } },
  ];
  // Whatever the path, the text decodes to what JSON.stringify would have sent.
  for (const m of others) assert.deepEqual(JSON.parse(textOnlyJson(m)), JSON.parse(JSON.stringify(m)));
});

test("a frame read in many pieces decodes whole; its typed arrays are aligned views of one copy", () => {
  const m = cloud(7, 30_001); // an odd length: padding inside the blob area
  const wire = Buffer.concat([...encodeFrame(state(1)), ...encodeFrame(m), ...encodeFrame(state(2))]);
  for (const size of [1, 3, 7, 4096, 65_536]) {
    const got = [];
    const reader = new FrameReader((x) => got.push(x), (e) => assert.fail(e));
    for (let i = 0; i < wire.length; i += size) reader.push(wire.subarray(i, i + size));
    assert.deepEqual(got, [state(1), m, state(2)], `chunks of ${size} bytes`);
    assert.equal(reader.bufferedBytes, 0);
    const { vertices, colors } = got[1].data.nodes[0];
    assert.equal(vertices.byteOffset % 8, 0);
    // Both arrays view the same buffer, the frame's own (the frame's bytes plus 4 for alignment).
    assert.equal(vertices.buffer, colors.buffer);
    assert.equal(vertices.buffer.byteLength, Buffer.concat(encodeFrame(m)).length + 4, `chunks of ${size} bytes`);
  }
});
