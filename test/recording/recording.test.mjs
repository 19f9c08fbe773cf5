// The recording core (src/recording/): the .srec format, the bounded recorder, the file
// writer and the seeking reader, on a virtual clock.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const rec = await loadTs("src/recording/index.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");
const dir = mkdtempSync(join(tmpdir(), "sr-rec-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A recorder on a clock the test moves by hand. */
function clocked(options = {}) {
  const clock = { now: 1000 };
  const recorder = new rec.Recorder({ now: () => clock.now, epoch: () => 1_700_000_000_000, ...options });
  return { clock, recorder };
}
const start = (file = "prog.ts") => ({ etype: "SESSION_START", ts: 0, file, runtime: "node", pid: 1 });
const upsert = (nodes) => ({ etype: "UPSERT", ts: 0, data: { nodes: [].concat(nodes), to: null } });
const box = (key, color, x = 0) => ({ tag: "Box", key, color, position: [x, 0, 0] });

for (const compress of [false, true]) test(`typed arrays survive a file and a memory recording intact, as bytes (no number lists)${compress ? ", deflated" : ""}`, async () => {
  const path = join(dir, `typed-${compress}.srec`);
  const writer = new rec.RecordingFileWriter(path);
  const { clock, recorder } = clocked({ sink: writer, compress });
  const vertices = new Float32Array(3000).map((_, i) => Math.sin(i) * 10);
  const colors = new Uint8Array(3000).map((_, i) => i * 7);
  const faces = new Uint32Array([0, 1, 2, 4_000_000_000, 5, 6]);
  const small = new Int16Array([-32768, 0, 32767]);
  const wide = new Float64Array([Math.PI, -0, 1e-300, Number.MAX_VALUE]);
  recorder.record(start());
  clock.now += 10;
  recorder.record(upsert([{ tag: "PointCloud", key: "pc", vertices, colors }, { tag: "TriMesh", key: "mesh", vertices: vertices.subarray(9, 18), faces, extra: { small, wide } }]));
  clock.now += 10;
  recorder.record(upsert({ tag: "Box", key: "b" }));
  await recorder.close();

  const text = readFileSync(path, "latin1");
  if (!compress) assert.match(text, /"\$bin":\[/);
  else assert.match(text, /\{"bin":\d+,"k":"z","t":0,"end":20,"records":4,"raw":\d+\}\n/);
  assert.doesNotMatch(text, /(-?\d+(\.\d+)?,){40}/, "no JSON number lists");
  for (const reader of [rec.RecordingReader.open(path), recorder.reader()]) {
    const { store } = reader.sceneAt(20);
    const pc = store.get("pc").props;
    assert.ok(pc.vertices instanceof Float32Array && pc.colors instanceof Uint8Array);
    assert.deepEqual(pc.vertices, vertices);
    assert.deepEqual(pc.colors, colors);
    const mesh = store.get("mesh").props;
    assert.deepEqual(mesh.vertices, vertices.subarray(9, 18));
    assert.ok(mesh.faces instanceof Uint32Array);
    assert.deepEqual(mesh.faces, faces);
    assert.ok(mesh.extra.small instanceof Int16Array && mesh.extra.wide instanceof Float64Array);
    assert.deepEqual(mesh.extra.small, small);
    assert.ok(Object.is(mesh.extra.wide[1], -0));
    assert.deepEqual(mesh.extra.wide, wide);
    assert.ok(store.has("b"));
    assert.equal(reader.header.program, "prog.ts");
    assert.equal(reader.header.origin, 1_700_000_000_000);
    reader.close();
  }
});

/** A scripted session: every 10 ms a change; returns the expected scene after each record. */
function script(recorder, clock, steps = 300) {
  const oracle = new SceneStore();
  const expected = []; // [t, snapshot]
  const push = (m) => {
    recorder.record(m);
    const r = oracle.apply(m);
    assert.deepEqual(r.warnings, []);
    expected.push([recorder.end, oracle.snapshot()]);
  };
  recorder.record(start());
  expected.push([0, oracle.snapshot()]);
  for (let i = 0; i < steps; i++) {
    clock.now += 10;
    if (i % 50 === 0) push({ etype: "SET", ts: 0, data: { tag: "Scene", key: "scene", children: [box("floor", "gray")] } });
    else if (i % 7 === 0 && oracle.has(`b${(i - 7) % 20}`)) push({ etype: "REMOVE", ts: 0, data: { keys: [`b${(i - 7) % 20}`] } });
    else if (i % 11 === 0) push({ etype: "ADD", ts: 0, data: { nodes: [{ tag: "Group", key: `g${i}`, children: [box(`in${i}`, "green")] }], to: null } });
    else if (oracle.has(`b${i % 20}`) && i % 3 === 0) push({ etype: "UPDATE", ts: 0, data: { nodes: [{ key: `b${i % 20}`, color: `#${(i * 4099).toString(16).padStart(6, "0").slice(-6)}` }] } });
    else push(upsert(box(`b${i % 20}`, i % 2 ? "red" : "blue", i)));
  }
  return expected;
}

/** The expected scene at t: after the last record at or before it. */
const expectedAt = (expected, t) => {
  let s = expected[0][1];
  for (const [when, snap] of expected) if (when <= t) s = snap;
  return s;
};

test("seeking backwards and forwards rebuilds exactly the scene of that moment, from memory and from the file", async () => {
  const path = join(dir, "seek.srec");
  const writer = new rec.RecordingFileWriter(path);
  // Small keyframe thresholds: many segments, so seeks cross keyframes.
  const { clock, recorder } = clocked({ sink: writer, keyframeEveryMs: 200, keyframeMinBytes: 2000 });
  const expected = script(recorder, clock);
  await recorder.close();
  const file = rec.RecordingReader.open(path);
  const memory = recorder.reader();
  assert.ok(file.keyframeTimes.length > 10, `keyframes: ${file.keyframeTimes.length}`);
  assert.deepEqual([...file.keyframeTimes], [...memory.keyframeTimes]);
  assert.equal(file.end, 3000);
  assert.deepEqual(file.warnings, []);
  // Backwards, forwards, on keyframes, between records, past both ends.
  const times = [3000, 2995, 10, 1500, 1490, 0, 2210, 2200, 777, ...file.keyframeTimes.slice().reverse(), 5000, -50];
  for (const reader of [file, memory]) {
    for (const t of times) {
      const { store, t: at, warnings } = reader.sceneAt(t);
      assert.deepEqual(warnings, []);
      assert.equal(at, Math.min(Math.max(t, 0), 3000));
      assert.deepEqual(store.snapshot(), expectedAt(expected, at), `scene at ${t}`);
    }
  }
  file.close();
});

test("the byte budget is kept: oldest segments go, and every moment still held is rebuilt exactly", async () => {
  const budget = 40_000;
  const { clock, recorder } = clocked({ budgetBytes: budget, keyframeMinBytes: 1000, keyframeEveryMs: 1e9 });
  const oracle = new SceneStore();
  const expected = [];
  recorder.record(start());
  let maxBytes = 0;
  for (let i = 0; i < 2000; i++) {
    clock.now += 5;
    const m = upsert([box(`b${i % 30}`, i % 2 ? "red" : "blue", i), box(`c${i % 7}`, "white", -i)]);
    recorder.record(m);
    oracle.apply(m);
    expected.push([recorder.end, oracle.snapshot()]);
    maxBytes = Math.max(maxBytes, recorder.bytes);
  }
  assert.ok(maxBytes <= budget, `held ${maxBytes} bytes, budget ${budget}`);
  assert.ok(recorder.records > 2000);
  const reader = recorder.reader();
  assert.ok(reader.start > 5000, `the oldest data was dropped (window starts at ${reader.start} ms)`);
  assert.equal(reader.end, 10_000);
  for (let t = reader.start; t <= reader.end; t += 97) {
    assert.deepEqual(reader.sceneAt(t).store.snapshot(), expectedAt(expected, t), `scene at ${t}`);
  }
  // Finished segments are deflated off the thread: once done, far fewer bytes hold the same moments.
  const before = recorder.bytes;
  await recorder.settled();
  assert.ok(recorder.bytes < before, `${before} bytes before deflating, ${recorder.bytes} after`);
  const deflatedSegs = recorder.segments.filter((s) => s.z);
  const sum = (k) => deflatedSegs.reduce((n, s) => n + s[k], 0);
  assert.ok(sum("bytes") < sum("rawBytes") / 2, `deflated segments hold ${sum("bytes")} bytes for ${sum("rawBytes")}`);
  const deflated = recorder.reader();
  assert.equal(deflated.start, reader.start);
  for (let t = deflated.start; t <= deflated.end; t += 101) {
    assert.deepEqual(deflated.sceneAt(t).store.snapshot(), expectedAt(expected, t), `deflated scene at ${t}`);
  }
  // A bad budget is a one-line error.
  assert.throws(() => new rec.Recorder({ budgetBytes: 0 }), /budget must be a positive number/);
});

test("tasks: spans nested by parent, their states at any moment, markers for failures, cancels and events", async () => {
  const path = join(dir, "tasks.srec");
  const { clock, recorder } = clocked({ sink: new rec.RecordingFileWriter(path) });
  const spawn = (id, name, parent) => ({ etype: "TASK_SPAWN", ts: 0, task: { id, name, parent, file: "/p/prog.py", line: 7 } });
  const state = (id, s, error) => ({ etype: "TASK_STATE", ts: 0, task: { id, state: s, ...(error ? { error } : {}) } });
  recorder.record(start("prog.py"));
  recorder.record(spawn("1", "main", null));
  clock.now += 100;
  recorder.record(spawn("2", "orbit", "1"));
  clock.now += 100;
  recorder.recordEvent({ etype: "CLICK", ts: 0, key: "box" });
  recorder.recordEvent({ etype: "CAMERA_MOVE", ts: 0, value: {} });
  clock.now += 100;
  recorder.record(state("2", "cancelling"));
  clock.now += 50;
  recorder.record(state("2", "cancelled"));
  clock.now += 50;
  recorder.record(state("1", "failed", { name: "ValueError", message: "boom" }));
  recorder.record({ etype: "SESSION_END", ts: 0, status: "failed", error: { name: "ValueError", message: "boom" } });
  await recorder.close();

  for (const reader of [rec.RecordingReader.open(path), recorder.reader()]) {
    const at = (t) => Object.fromEntries(reader.tasksAt(t).map((x) => [x.name, [x.state, x.elapsed]]));
    assert.deepEqual(at(50), { main: ["running", 50] });
    assert.deepEqual(at(320), { main: ["running", 320], orbit: ["cancelling", 220] });
    assert.deepEqual(at(1000), { main: ["failed", 400], orbit: ["cancelled", 250] });
    const orbit = reader.spans().find((s) => s.name === "orbit");
    assert.deepEqual([orbit.parent, orbit.start, orbit.end, orbit.file, orbit.line], ["1", 100, 350, "/p/prog.py", 7]);
    assert.deepEqual(reader.markers().map((m) => [m.t, m.kind]), [[200, "event"], [350, "cancel"], [400, "error"], [400, "error"]]);
    assert.match(reader.markers()[2].label, /main failed: ValueError: boom/);
    assert.deepEqual([...reader.records(150, 250)].map((r) => r.m.etype), ["CLICK", "CAMERA_MOVE"]);
    reader.close();
  }
});

test("a file cut off by a killed writer is still read up to the cut; a file that is not a recording is one clear line", async () => {
  const path = join(dir, "cut.srec");
  const { clock, recorder } = clocked({ sink: new rec.RecordingFileWriter(path), keyframeEveryMs: 100 });
  recorder.record(start());
  for (let i = 0; i < 100; i++) {
    clock.now += 10;
    recorder.record(upsert({ tag: "PointCloud", key: `p${i}`, vertices: new Float32Array(30).fill(i) }));
  }
  await recorder.close();
  const whole = readFileSync(path);
  const full = rec.RecordingReader.fromBuffer(whole);
  const times = full.keyframeTimes;
  assert.ok(times.length > 5);
  // As far as a killed writer got: no index, no trailer, the last segment half written.
  const indexAt = whole.lastIndexOf('{"k":"index"');
  const lastBlock = whole.lastIndexOf('{"bin":', indexAt - 1);
  const cut = whole.subarray(0, lastBlock + Math.floor((indexAt - lastBlock) / 2));
  const reader = rec.RecordingReader.fromBuffer(cut, "cut.srec");
  assert.match(reader.warnings[0], /cut\.srec was cut short at byte \d+ \(its writer did not finish\); read up to there/);
  assert.deepEqual([...reader.keyframeTimes], times.slice(0, -1));
  const last = times.at(-1);
  // The segments before the cut end where the cut one's keyframe starts (it follows their last record).
  assert.equal(reader.end, last);
  const { store } = reader.sceneAt(reader.end);
  assert.deepEqual(store.snapshot(), full.sceneAt(reader.end).store.snapshot());
  const n = reader.end / 10;
  assert.equal(store.size, n);
  assert.deepEqual(store.get(`p${n - 1}`).props.vertices, new Float32Array(30).fill(n - 1));
  // No index but whole: scanned, nothing lost.
  const scanned = rec.RecordingReader.fromBuffer(whole.subarray(0, indexAt), "noindex.srec");
  assert.match(scanned.warnings[0], /has no index/);
  assert.equal(scanned.end, 1000);
  assert.deepEqual(scanned.spans(), full.spans());

  const bogus = join(dir, "bogus.srec");
  writeFileSync(bogus, "hello\n");
  assert.throws(() => rec.RecordingReader.open(bogus), (e) => e instanceof rec.RecordingError && /bogus\.srec is not a Scene Runner recording/.test(e.message));
  writeFileSync(bogus, JSON.stringify({ k: "header", format: "scene-runner-recording", version: 99, origin: 0 }) + "\n");
  assert.throws(() => rec.RecordingReader.open(bogus), /format version 99; this Scene Runner reads version 1/);
  // A corrupt segment is one line naming where, not a crash.
  const corrupt = Buffer.from(whole);
  corrupt.fill(0x55, lastBlock + 200, lastBlock + 260);
  const bad = rec.RecordingReader.fromBuffer(corrupt, "corrupt.srec");
  assert.throws(() => bad.sceneAt(last), (e) => e instanceof rec.RecordingError && /segment from \d+(\.\d+)? ms is unreadable/.test(e.message));
});

test("saving a running recording from memory writes a file that reads the same", async () => {
  const { clock, recorder } = clocked({ keyframeEveryMs: 100 });
  const expected = script(recorder, clock, 120);
  const path = join(dir, "saved.srec");
  const saved = rec.saveRecording(recorder, path); // while it runs: the last segment is not finished
  assert.equal(saved.records, recorder.records);
  const file = rec.RecordingReader.open(path);
  assert.deepEqual(file.warnings, []);
  assert.equal(file.end, recorder.end);
  for (const t of [1200, 0, 555, 1100, 30]) assert.deepEqual(file.sceneAt(t).store.snapshot(), expectedAt(expected, t), `saved scene at ${t}`);
  file.close();
});
