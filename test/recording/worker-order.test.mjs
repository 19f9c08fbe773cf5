// The recording worker fails or dies partway, while later segments of the same recording are
// still out at it: the host finishes the recording itself, and every keyframe must still be the
// scene as it stood at its moment. A keyframe built here before an earlier segment's answer came
// back would hold the wrong scene (silently: the file reads fine). The real worker
// (dist/recording-worker.js) runs under a thin wrapper that, on a chosen job, makes it fail on its
// own error path (or exits), and holds the jobs after it until the test lets them go.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { WORKER, withWorkerAndTempDir } from "../helpers/recording-worker.mjs";

const rec = await loadTs("src/recording/index.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");
const { encodeFrame } = await loadTs("src/protocol/frames.ts");

const tempDir = withWorkerAndTempDir("srec-order-");

/**
 * A worker program: the real one, except that its `at`-th segment job waits until the next one
 * has come (so that one is out at the worker too) and then fails inside the worker's own try (a
 * slab longer than its buffer: Buffer.from throws); or, with `die`, the worker exits with it
 * unanswered. The jobs after it wait until `release` is said on the channel.
 */
function wrapper(name, { at, die }) {
  const file = join(tempDir(), `${name}.js`);
  writeFileSync(file, `
    const { parentPort, BroadcastChannel } = require("node:worker_threads");
    const on = parentPort.on.bind(parentPort);
    let real;
    parentPort.on = (event, fn) => (event === "message" ? (real = fn) : on(event, fn), parentPort);
    require(${JSON.stringify(WORKER)});
    parentPort.on = on;
    const die = ${die ? "true" : "false"};
    let jobs = 0;
    let held = [];
    let released = false;
    const channel = new BroadcastChannel(${JSON.stringify(name)});
    channel.onmessage = () => {
      channel.close();
      released = true;
      if (die) process.exit(3);
      for (const job of held.splice(0)) real(job);
    };
    on("message", (job) => {
      if (released) return real(job);
      if (!job.end) jobs++;
      if (jobs < ${at}) return real(job);
      held.push(job);
      if (!die && jobs === ${at} + 1 && !job.end) real({ ...held.shift(), slabs: [[new ArrayBuffer(0), 1]] });
    });
  `);
  return file;
}

/** Each message moves a few of 40 boxes (so a keyframe's every node matters); some remove one. */
function message(i) {
  if (i % 17 === 5) return { etype: "REMOVE", ts: i, data: { keys: [`b${(i * 3) % 40}`] } };
  const nodes = [];
  for (let j = 0; j < 10; j++) nodes.push({ tag: "Box", key: `b${(i * 3 + j * 4) % 40}`, position: [i, j, i * 0.5], color: i % 2 ? "red" : "blue" });
  return { etype: "UPSERT", ts: i, data: { nodes, to: null } };
}

const body = (m) => Buffer.concat(encodeFrame(m)).subarray(4);
const turn = () => new Promise((r) => setImmediate(r));

/** Records messages 10 ms apart, a turn of the loop after each (the worker may answer), until `until()`. */
function recorderFeed(recorder, clock) {
  const oracle = new SceneStore();
  const expected = [];
  let i = 0;
  recorder.record({ etype: "SESSION_START", ts: 0, file: "/w/p.ts", runtime: "node" });
  return {
    expected,
    async until(done, what, pause = turn) {
      for (let spins = 0; !done(); spins++) {
        assert.ok(spins < 20_000, `never reached: ${what}`);
        clock.now += 10;
        const m = message(i++);
        recorder.record(m, body(m));
        oracle.apply(m);
        expected.push([recorder.end, oracle.snapshot()]);
        await pause();
      }
    },
  };
}

/** Waits (on the condition, not a clock) for the loop to deliver something. */
async function waitFor(done, what) {
  const start = Date.now();
  while (!done()) {
    assert.ok(Date.now() - start < 60_000, `still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Every record's moment, and each keyframe's, rebuilds to the oracle's scene then. */
function assertEveryMoment(reader, expected, what) {
  const times = new Set([...expected.map(([t]) => t), ...reader.keyframeTimes]);
  for (const t of times) {
    let want = { tag: "Scene", key: "scene", children: [] };
    for (const [at, snap] of expected) if (at <= t) want = snap;
    assert.deepEqual(reader.sceneAt(t).store.snapshot(), want, `${what} at ${t}`);
  }
}

async function runCase(name, { die }) {
  const FAIL_AT = 4;
  const channel = new BroadcastChannel(name);
  const path = join(tempDir(), `${name}.srec`);
  const clock = { now: 0 };
  const recorder = new rec.Recorder({ now: () => clock.now, epoch: () => 0, keyframeMinBytes: 2_000, workerFile: wrapper(name, { at: FAIL_AT, die }), sink: new rec.RecordingFileWriter(path) });
  const feed = recorderFeed(recorder, clock);
  try {
    // The worker answers every segment before the failing one...
    await feed.until(() => recorder.segments.length >= FAIL_AT, "the segments before the failing one finished", () => recorder.settled());
    // ...then that one and the next are out at it together; it fails the first (or dies later)...
    await feed.until(() => recorder.segments.length >= FAIL_AT + 2, "the failing segment and the one after it finished");
    if (!die) await waitFor(() => recorder.segments[FAIL_AT - 1].z, "the failed segment finished on the host");
    // ...and one more finishes while the next is still out at the worker.
    const before = recorder.segments.length;
    await feed.until(() => recorder.segments.length >= before + 1, "one more segment finished");
    assert.deepEqual(recorder.segments.slice(FAIL_AT, FAIL_AT + 2).map((s) => s.hasKey), [false, false], "the two segments after the failing one wait for keyframes built off the host's store");
    channel.postMessage("release");
    await feed.until(() => recorder.segments.length >= before + 4, "the recording going on after the worker let go");
    await recorder.close();
  } finally {
    channel.close();
  }
  assert.ok(recorder.keyframes.worker >= FAIL_AT - 1, `the worker built keyframes before it failed (${recorder.keyframes.worker})`);
  assert.ok(recorder.segments.every((s) => s.z && s.hasKey), "every segment deflated with its keyframe");
  assertEveryMoment(recorder.reader(), feed.expected, "memory");
  const file = rec.RecordingReader.open(path);
  try {
    assert.deepEqual(file.warnings, []);
    assert.equal([...file.records()].length, feed.expected.length + 1, "every message is in the file once");
    assertEveryMoment(file, feed.expected, "file");
  } finally {
    file.close();
  }
}

test("a worker that fails on one segment while later ones are out at it: every keyframe is the scene at its moment", () => runCase("fails", { die: false }));

test("a worker that dies in the middle of a job, with later ones out at it: nothing is lost, every keyframe is right", () => runCase("dies", { die: true }));
