// The host's scene pipeline: the store is the authority, a ready viewer gets one snapshot and then
// per-frame coalesced batches, at most two unacknowledged batches are in flight, and a viewer that
// is not ready gets nothing queued.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { manualTimers } from "../helpers/manual-timers.mjs";

const { ScenePipeline } = await loadTs("src/scene/pipeline.ts");


const info = { state: "running", title: "a.ts" };
const upsert = (key, props, ts = 1) => ({ etype: "UPSERT", ts, data: { nodes: [{ tag: "Box", key, ...props }], to: null } });
const add = (key, ts = 1) => ({ etype: "ADD", ts, data: { nodes: [{ tag: "Box", key }], to: null } });
const remove = (key, ts = 1) => ({ etype: "REMOVE", ts, data: { keys: [key] } });

function setup(options = {}) {
  const clock = manualTimers();
  const p = new ScenePipeline(info, { timers: clock.timers, ...options });
  const posted = [];
  return { p, clock, posted, sink: (m) => posted.push(m) };
}

test("before a viewer is ready nothing is queued, and ready sends the whole scene once", () => {
  const { p, clock, posted, sink } = setup();
  for (let i = 0; i < 1000; i++) p.push(upsert("box", { position: [i, 0, 0] }));
  p.push(add("other"));
  assert.equal(p.pending, 0, "nothing may pile up for an absent viewer");
  assert.equal(clock.scheduled, 0);
  p.ready(sink);
  assert.equal(posted.length, 1);
  assert.equal(posted[0].t, "snapshot");
  assert.deepEqual(posted[0].session, info);
  const keys = posted[0].scene.children.map((n) => n.key);
  assert.deepEqual(keys, ["box", "other"]);
  assert.deepEqual(posted[0].scene.children[0].position, [999, 0, 0]);
});

test("updates of one node within a frame are merged into one batch", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  for (let i = 0; i < 50; i++) p.push(upsert("box", { position: [i, 0, 0] }));
  assert.equal(posted.length, 0, "nothing is posted before the frame timer fires");
  clock.tick();
  assert.equal(posted.length, 1);
  assert.equal(posted[0].t, "scene");
  assert.equal(posted[0].seq, 1);
  assert.equal(posted[0].messages.length, 1);
  assert.deepEqual(posted[0].messages[0].data.nodes, [{ tag: "Box", key: "box", position: [49, 0, 0] }]);
});

test("adds, removals and updates keep their order across a batch", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  p.push(add("a"));
  p.push(upsert("a", { color: "red" }));
  p.push(remove("a"));
  p.push(add("a"));
  clock.tick();
  assert.deepEqual(posted[0].messages.map((m) => m.etype), ["ADD", "UPSERT", "REMOVE", "ADD"]);
});

test("at most two batches are in flight; the rest keeps coalescing until `applied`", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  let x = 0;
  const frame = () => {
    for (let i = 0; i < 10; i++) p.push(upsert("box", { position: [x++, 0, 0] }));
    clock.tick();
  };
  frame();
  frame();
  assert.equal(posted.length, 2);
  assert.equal(p.inFlight, 2);
  for (let i = 0; i < 100; i++) frame(); // a program far faster than the viewer
  assert.equal(posted.length, 2, "a third batch must wait for an ack");
  assert.equal(p.pending, 1, "a hundred frames of updates to one node are one pending entry");
  p.applied(1);
  clock.tick();
  assert.equal(posted.length, 3);
  assert.equal(posted[2].seq, 3);
  assert.deepEqual(posted[2].messages[0].data.nodes[0].position, [x - 1, 0, 0], "the newest value wins");
  assert.equal(p.store.get("box").props.position[0], x - 1);
});

test("a stale or bogus ack changes nothing", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  p.push(upsert("a", {}));
  clock.tick();
  p.applied(7); // never sent
  assert.equal(p.inFlight, 1);
  p.applied(0); // older than anything outstanding
  assert.equal(p.inFlight, 1);
});

test("a reloaded viewer gets a fresh snapshot, and old in-flight batches no longer block", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  for (let i = 0; i < 3; i++) {
    p.push(upsert("box", { position: [i, 0, 0] }));
    clock.tick();
  }
  assert.equal(p.inFlight, 2);
  p.push(upsert("late", {}));
  posted.length = 0;
  p.ready(sink); // the page reloaded: its acks for the old batches will never come
  assert.equal(p.inFlight, 0);
  assert.equal(p.pending, 0, "the snapshot already holds what was queued");
  assert.deepEqual(posted[0].scene.children.map((n) => n.key), ["box", "late"]);
  p.push(upsert("box", { position: [9, 9, 9] }));
  clock.tick();
  assert.equal(posted[1].t, "scene");
});

test("detach drops the queue and cancels the frame timer", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  p.push(upsert("a", {}));
  p.detach();
  assert.equal(p.pending, 0);
  clock.tick();
  assert.equal(posted.length, 0);
  p.push(upsert("b", {}));
  assert.equal(p.store.has("b"), true, "the store still follows the program");
});

test("a session change flushes what is queued first, then says so", () => {
  const { p, posted, sink } = setup();
  p.ready(sink);
  posted.length = 0;
  p.push(upsert("a", { color: "red" }));
  p.setSession({ state: "done", title: "a.ts" });
  assert.deepEqual(posted.map((m) => m.t), ["scene", "session"]);
  assert.equal(posted[1].session.state, "done");
});

test("a flood of new nodes is replaced by one SET instead of growing without bound", () => {
  const { p, clock, posted, sink } = setup({ maxPending: 100 });
  p.ready(sink);
  posted.length = 0;
  p.push(upsert("x", {}));
  clock.tick();
  p.push(upsert("y", {}));
  clock.tick(); // two in flight: everything below waits
  for (let i = 0; i < 1000; i++) p.push(add(`n${i}`));
  assert.ok(p.pending <= 101, `pending ${p.pending}`);
  p.applied(2);
  clock.tick();
  const last = posted[posted.length - 1];
  assert.equal(last.messages[0].etype, "SET");
  assert.equal(last.messages.reduce((n, m) => n + (m.etype === "SET" ? m.data.children.length : m.data.nodes.length), 0) >= 1000, true);
});

test("a gizmo drag in the viewer moves the node in the host's store too, so a reload keeps it", () => {
  const { p, posted, sink } = setup();
  p.push(upsert("arm", { position: [0, 0, 0], color: "red" }));
  const before = p.version;
  p.movedInViewer("arm", { position: [1, 2, 3], quaternion: [0, 0, 0, 1], scale: [1, 1, 1] });
  p.movedInViewer("arm", { position: ["x"] }); // nothing usable: ignored
  assert.equal(p.version, before + 1, "the saver sees a change");
  p.ready(sink);
  const arm = posted[0].scene.children[0];
  assert.deepEqual(arm.position, [1, 2, 3]);
  assert.deepEqual(arm.quaternion, [0, 0, 0, 1]);
  assert.equal(arm.color, "red");
  assert.equal(posted.length, 1, "nothing is sent back to the viewer");
});

test("a render request is a barrier: held updates go first even past the in-flight limit", () => {
  const { p, clock, posted, sink } = setup();
  p.ready(sink);
  for (let round = 0; round < 2; round++) {
    p.push(upsert("box", { position: [round, 0, 0] }));
    clock.tick();
  }
  assert.equal(p.inFlight, 2, "the viewer has not acknowledged anything: flow control holds further batches");
  p.push(upsert("box", { position: [9, 0, 0] }));
  clock.tick();
  assert.deepEqual(posted.map((m) => m.t), ["snapshot", "scene", "scene"], "the third update is held");
  const before = posted.length;
  p.rpc({ etype: "GRAB_RENDER", ts: 1, uuid: "u", rtype: "GRAB_RENDER_RESPONSE@u", data: {} });
  assert.deepEqual(posted.slice(before).map((m) => m.t), ["scene", "rpc"]);
  assert.deepEqual(posted.at(-2).messages.at(-1).data.nodes[0].position, [9, 0, 0]);
});

test("no batch is bigger than maxBatch entries; the rest follows on later frames, in order", () => {
  const { p, clock, posted, sink } = setup({ maxBatch: 3, maxInFlight: 100 });
  p.ready(sink);
  for (let i = 0; i < 8; i++) p.push(upsert(`box${i}`, { position: [i, 0, 0] }));
  clock.tick();
  clock.tick();
  clock.tick();
  const batches = posted.filter((m) => m.t === "scene");
  assert.deepEqual(batches.map((b) => b.messages.flatMap((m) => m.data.nodes).length), [3, 3, 2]);
  assert.deepEqual(batches.flatMap((b) => b.messages.flatMap((m) => m.data.nodes.map((n) => n.key))), [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `box${i}`));
});

test("a message with more data than a viewer can take is left out with a reason; the scene goes on", () => {
  const { p, clock, posted, sink } = setup({ maxMessageBytes: 1000 });
  p.ready(sink);
  const cloud = (key, n) => ({ etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "PointCloud", key, vertices: new Float32Array(n) }], to: null } });
  const [warning, ...more] = p.push(cloud("too-big", 1000));
  assert.equal(more.length, 0);
  assert.match(warning, /^UPSERT of "too-big" left out: its data \(0 MB\) is more than a viewer can take/);
  assert.equal(p.store.has("too-big"), false, "what is not drawn is not in the scene either");
  assert.deepEqual(p.push(cloud("fits", 10)), []);
  clock.tick();
  assert.deepEqual(posted.at(-1).messages.map((m) => m.data.nodes[0].key), ["fits"]);
});
