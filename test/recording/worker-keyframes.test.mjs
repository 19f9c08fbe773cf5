// Keyframes built off the host's thread (src/recording/keyframer.ts in the real recording worker,
// dist/recording-worker.js): the host takes only the first one, every segment of the file still
// starts with its keyframe, and every moment rebuilds exactly, from memory and from the file,
// while the worker is behind and after it caught up. Also: a worker that dies halfway is taken
// over on the host (its scene caught up from the last block it returned), losing nothing.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { WORKER, withWorkerAndTempDir } from "../helpers/recording-worker.mjs";

const rec = await loadTs("src/recording/index.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");
const { encodeFrame } = await loadTs("src/protocol/frames.ts");

const tempDir = withWorkerAndTempDir("srec-worker-");

const body = (m) => Buffer.concat(encodeFrame(m)).subarray(4);
const turn = () => new Promise((r) => setImmediate(r));

/** 40 boxes that move, some removed and back, and now and then a point cloud (typed arrays). */
function message(i) {
  if (i % 50 === 25) return { etype: "REMOVE", ts: i, data: { keys: [`b${i % 40}`] } };
  const nodes = [];
  for (let k = 0; k < 40; k++) nodes.push({ tag: "Box", key: `b${k}`, position: [k, i * 0.01, 0], color: i % 2 ? "red" : "blue" });
  if (i % 30 === 0) nodes.push({ tag: "PointCloud", key: "pc", vertices: Float32Array.from({ length: 300 }, (_, j) => j * i) });
  return { etype: "UPSERT", ts: i, data: { nodes, to: null } };
}

/**
 * Records `n` messages 10 ms apart through `recorder` (then applies each to `host`, the host's
 * store, as a host does); every `every`-th is followed by `pause()`.
 */
async function feed(recorder, clock, n, { every = 1e9, pause = turn, host } = {}) {
  const oracle = new SceneStore();
  const expected = [];
  recorder.record({ etype: "SESSION_START", ts: 0, file: "/w/p.ts", runtime: "node" });
  for (let i = 0; i < n; i++) {
    clock.now += 10;
    const m = message(i);
    recorder.record(m, body(m));
    host?.apply(m);
    oracle.apply(m);
    expected.push([recorder.end, oracle.snapshot()]);
    if (i % every === 0) await pause();
  }
  return expected;
}

const expectedAt = (expected, t) => {
  let last = { tag: "Scene", key: "scene", children: [] };
  for (const [at, snap] of expected) if (at <= t) last = snap;
  return last;
};

function assertEvery(reader, expected, what) {
  for (let t = reader.start; t <= reader.end; t += 37) assert.deepEqual(reader.sceneAt(t).store.snapshot(), expectedAt(expected, t), `${what} at ${t}`);
  assert.deepEqual(reader.sceneAt(reader.end).store.snapshot(), expectedAt(expected, reader.end), `${what} at the end`);
}

test("the worker builds every keyframe but the first: the host's scene is read once, the file is unchanged in form", async () => {
  const clock = { now: 0 };
  let snapshots = 0;
  const hostScene = new SceneStore();
  const path = join(tempDir(), "worker.srec");
  const recorder = new rec.Recorder({
    now: () => clock.now, epoch: () => 0, keyframeMinBytes: 20_000, workerFile: WORKER,
    scene: { snapshot: () => (snapshots++, hostScene.snapshot()) },
    sink: new rec.RecordingFileWriter(path),
  });
  // The worker given time to answer: it never falls behind.
  const expected = await feed(recorder, clock, 400, { every: 3, pause: () => recorder.settled(), host: hostScene });
  // The last segments, which the worker has not answered, are read after the one before.
  assertEvery(recorder.reader(), expected, "memory, live");
  await recorder.settled();
  assert.ok(recorder.segments.length > 5, `several segments (${recorder.segments.length})`);
  assert.ok(recorder.segments.slice(0, -1).every((s) => s.z && s.hasKey), "every finished segment deflated with its keyframe in front");
  assertEvery(recorder.reader(), expected, "memory, settled");
  await recorder.close();
  assert.equal(snapshots, 1, "the host's scene was snapshotted only for the first keyframe");
  const file = rec.RecordingReader.open(path);
  assert.equal(file.header.version, 1);
  assert.ok(file.keyframeTimes.length > 5, `the index lists each segment's keyframe (${file.keyframeTimes.length})`);
  assert.deepEqual(file.warnings, []);
  assertEvery(file, expected, "file");
  // Each segment's first record is a keyframe at the segment's time.
  const records = [...file.records()].length;
  assert.equal(records, 401, "every message is in the file once");
  file.close();
  // Saving from memory (Scene: Save Recording…) writes the same moments.
  const saved = join(tempDir(), "saved.srec");
  rec.saveRecording(recorder, saved);
  const again = rec.RecordingReader.open(saved);
  assertEvery(again, expected, "saved");
  again.close();
});

test("a worker that falls behind: the host takes the next keyframe from its own store, and every moment still rebuilds", async () => {
  const clock = { now: 0 };
  let snapshots = 0;
  const hostScene = new SceneStore();
  const path = join(tempDir(), "behind.srec");
  const recorder = new rec.Recorder({
    now: () => clock.now, epoch: () => 0, keyframeMinBytes: 20_000, workerFile: WORKER,
    scene: { snapshot: () => (snapshots++, hostScene.snapshot()) },
    sink: new rec.RecordingFileWriter(path),
  });
  const expected = await feed(recorder, clock, 300, { host: hostScene }); // no turn of the loop: the worker answers nothing meanwhile
  const segments = recorder.segments.length;
  assert.ok(snapshots > 1 && snapshots < segments, `${snapshots} of ${segments} keyframes taken on the host: once two segments were out`);
  assert.ok(recorder.segments.filter((s) => !s.hasKey).length <= 3, "at most two segments and the one being written wait for the worker's keyframe");
  assertEvery(recorder.reader(), expected, "memory, behind");
  await recorder.close();
  assertEvery(recorder.reader(), expected, "memory, settled");
  const r = rec.RecordingReader.open(path);
  assertEvery(r, expected, "file");
  r.close();
});

test("a recording saved while the worker has not answered yet still reads every moment", async () => {
  const clock = { now: 0 };
  const recorder = new rec.Recorder({ now: () => clock.now, epoch: () => 0, keyframeMinBytes: 20_000, workerFile: WORKER });
  const expected = await feed(recorder, clock, 200); // no turn of the loop: nothing answered
  const waiting = recorder.segments.filter((s) => !s.hasKey).length;
  assert.ok(waiting >= 1 && waiting <= 3, `segments wait for the worker's keyframe (${waiting}): at most two and the one being written`);
  const path = join(tempDir(), "early.srec");
  rec.saveRecording(recorder, path);
  const r = rec.RecordingReader.open(path);
  assertEvery(r, expected, "saved early");
  r.close();
  await recorder.close();
});

test("a worker that dies halfway: the host takes the recording over from the last block it returned", async () => {
  // The real worker, but it exits after answering five segments.
  const dying = join(tempDir(), "dying-worker.js");
  writeFileSync(dying, `
    const { parentPort } = require("node:worker_threads");
    let answered = 0;
    const post = parentPort.postMessage.bind(parentPort);
    parentPort.postMessage = (m, t) => {
      post(m, t);
      if (++answered === 5) {
        require("node:fs").writeFileSync(${JSON.stringify(join("DIR", "died"))}.replace("DIR", process.env.SREC_TEST_DIR), "5");
        process.exit(3);
      }
    };
    require(${JSON.stringify(WORKER)});
  `);
  process.env.SREC_TEST_DIR = tempDir(); // the worker inherits the environment
  const clock = { now: 0 };
  const path = join(tempDir(), "dying.srec");
  const recorder = new rec.Recorder({ now: () => clock.now, epoch: () => 0, keyframeMinBytes: 20_000, workerFile: dying, sink: new rec.RecordingFileWriter(path) });
  const expected = await feed(recorder, clock, 300, { every: 3 });
  await recorder.close();
  assert.ok(existsSync(join(tempDir(), "died")), "the worker did die after five segments");
  assert.ok(recorder.segments.length > 10, `enough segments to outlive the worker (${recorder.segments.length})`);
  assertEvery(recorder.reader(), expected, "memory");
  const r = rec.RecordingReader.open(path);
  assert.deepEqual(r.warnings, []);
  assertEvery(r, expected, "file");
  r.close();
});
