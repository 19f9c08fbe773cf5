// A message recorded from the frame it arrived in is the same record, byte for byte, as one
// encoded from the decoded message, and a recorder fed frames rebuilds the same scenes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const rec = await loadTs("src/recording/index.ts");
const { encodeFrame, decodeFrameBody } = await loadTs("src/protocol/frames.ts");

const body = (m) => Buffer.concat(encodeFrame(m)).subarray(4);
const points = (n, seed) => ({
  etype: "UPSERT",
  ts: 1,
  data: { nodes: [{ tag: "PointCloud", key: "pc", vertices: Float32Array.from({ length: n * 3 }, (_, i) => i * seed), colors: Uint8Array.from({ length: n * 3 }, (_, i) => i % 251) }], to: null },
});
const box = (color) => ({ etype: "UPSERT", ts: 2, data: { nodes: [{ tag: "Box", key: "b", color }], to: null } });

test("a record from the frame equals the record encoded from the message", () => {
  for (const m of [points(5, 1), points(1000, 0.5), box("red"), { etype: "TASK_SPAWN", ts: 3, task: { id: "t1", name: "main", parent: null, file: "/w/a\nb.py", line: 3 } }]) {
    const fromFrame = rec.messageRecordFromFrame(12.5, body(m));
    const encoded = Buffer.concat(rec.encodeRecord({ k: "m", t: 12.5, m }));
    assert.ok(fromFrame.equals(encoded), `${m.etype}: ${fromFrame.subarray(0, 80)} vs ${encoded.subarray(0, 80)}`);
    const { record } = rec.decodeRecordAt(fromFrame, 0);
    assert.deepEqual(record.m, decodeFrameBody(body(m)));
  }
});

test("a recorder fed frames rebuilds the same scene at every moment as one fed messages", () => {
  let now = 0;
  const byFrame = new rec.Recorder({ now: () => now, epoch: () => 0, keyframeEveryMs: 50 });
  const byMessage = new rec.Recorder({ now: () => now, epoch: () => 0, keyframeEveryMs: 50 });
  const msgs = [box("red"), points(100, 1), box("green"), points(200, 2), box("blue")];
  for (const m of msgs) {
    now += 40;
    const decoded = decodeFrameBody(body(m));
    byFrame.record(decoded, body(m));
    byMessage.record(decoded);
  }
  for (const t of [0, 40, 80, 130, 170, 199, 1e6]) {
    assert.deepEqual(byFrame.reader().sceneAt(t).store.snapshot(), byMessage.reader().sceneAt(t).store.snapshot(), `at ${t}`);
  }
  const at = byFrame.reader().sceneAt(165).store.snapshot();
  const pc = at.children.find((c) => c.key === "pc");
  assert.ok(pc.vertices instanceof Float32Array && pc.vertices.length === 600 && pc.vertices[3] === 6, "the typed arrays come back intact");
});

test("keyframes written as plain JSON until typed arrays come, then with them (an empty one included)", () => {
  let now = 0;
  for (const viaFrame of [true, false]) {
    const r = new rec.Recorder({ now: () => now, epoch: () => 0, keyframeEveryMs: 10 });
    const feed = (m) => {
      now += 20; // each record comes after a keyframe is due: the next one holds the scene so far
      r.record(decodeFrameBody(body(m)), viaFrame ? body(m) : undefined);
    };
    feed(box("red"));
    feed(box("green"));
    feed({ etype: "UPSERT", ts: 3, data: { nodes: [{ tag: "PointCloud", key: "empty", vertices: new Float32Array(0) }], to: null } });
    feed(box("blue"));
    feed(box("white"));
    feed(points(10, 3));
    feed(box("black"));
    const reader = r.reader();
    assert.ok(r.segments.length >= 5, "a keyframe between each record");
    const at = (t) => reader.sceneAt(t).store.snapshot().children;
    // At 90 the scene comes from the keyframe taken at 80: after the empty array, before the points.
    const mid = at(90).find((c) => c.key === "empty");
    assert.ok(mid.vertices instanceof Float32Array && mid.vertices.length === 0, `${viaFrame ? "frame" : "message"}: a keyframe after an empty typed array keeps it one`);
    const late = at(1e6);
    const empty = late.find((c) => c.key === "empty");
    assert.ok(empty.vertices instanceof Float32Array && empty.vertices.length === 0, `${viaFrame ? "frame" : "message"}: an empty typed array is still one in later keyframes`);
    assert.ok(late.find((c) => c.key === "pc").vertices instanceof Float32Array);
    assert.equal(late.find((c) => c.key === "b").color, "black");
    assert.equal(at(45).find((c) => c.key === "b").color, "green", "before any typed array: plain keyframes read back");
  }
});

test("a frame's JSON and typed arrays land in the segment congruent mod 8 with where they come from, and read back the same", async () => {
  // V8 copies into shared memory word by word only for congruent addresses: the recorder pads
  // the envelope with JSON whitespace so that they are, wherever the socket left the frame.
  let now = 0;
  const r = new rec.Recorder({ now: () => now, epoch: () => 0, keyframeEveryMs: 1e9, workerFile: false });
  const placed = [];
  for (let k = 0; k < 16; k++) {
    now += 10;
    const m = k % 2 ? box(`c${k}`) : points(50 + k, k + 1);
    const b = body(m);
    const host = Buffer.alloc(b.length + 16);
    b.copy(host, k % 8);
    const frame = host.subarray(k % 8, k % 8 + b.length);
    r.record(decodeFrameBody(frame), frame);
    placed.push({ frame, m });
  }
  const seg = Buffer.concat(r.segments[0].chunk.pieces());
  // Walk the segment's records (the keyframe first) and check where each message's pieces start.
  let off = rec.decodeRecordAt(seg, 0).next;
  for (const { frame, m } of placed) {
    const jsonLength = frame.readUInt32LE(0);
    const nl = seg.indexOf(10, off);
    const line = seg.subarray(off, nl).toString("latin1");
    const jsonAt = off + line.indexOf('"m":') + 4 + /^ */.exec(line.slice(line.indexOf('"m":') + 4))[0].length;
    assert.equal((jsonAt - frame.byteOffset - 4) % 8, 0, `the JSON of ${m.etype} at ${jsonAt} is congruent with its source`);
    assert.ok(seg.subarray(jsonAt, jsonAt + jsonLength).equals(frame.subarray(4, 4 + jsonLength)), "the frame's JSON as it came");
    const { record, next } = rec.decodeRecordAt(seg, off);
    if (m.data.nodes[0].vertices) {
      const areaFrom = frame.byteOffset + ((4 + jsonLength + 7) & ~7);
      assert.equal((nl + 1 - areaFrom) % 8, 0, "the typed arrays are congruent with their source too");
      assert.deepEqual(record.m.data.nodes[0].vertices, m.data.nodes[0].vertices);
    } else assert.deepEqual(record.m, m);
    off = next;
  }
  await r.close();
});
