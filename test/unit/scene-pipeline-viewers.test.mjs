// One store, several viewers: each viewer's feed has its own coalescer, batch numbers, in-flight
// count, ready state and past mode; a slow or hidden viewer holds back no other, a gizmo drag in
// one reaches the others, and a render request is answered by exactly one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { manualTimers } from "../helpers/manual-timers.mjs";

const { ScenePipeline } = await loadTs("src/scene/pipeline.ts");


const info = { state: "running", title: "a.ts" };
const upsert = (key, props) => ({ etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "Box", key, ...props }], to: null } });

function setup() {
  const clock = manualTimers();
  const p = new ScenePipeline(info, { timers: clock.timers });
  const viewer = () => {
    const posted = [];
    return { posted, sink: (m) => posted.push(m), batches: () => posted.filter((m) => m.t === "scene") };
  };
  return { p, clock, viewer };
}

test("two viewers each get a snapshot on ready and then the same updates, numbered on their own", () => {
  const { p, clock, viewer } = setup();
  p.push(upsert("box", { position: [1, 0, 0] }));
  const panel = viewer();
  p.ready(panel.sink);
  p.push(upsert("box", { position: [2, 0, 0] }));
  clock.tick();
  const browser = viewer();
  const feed = p.addViewer();
  feed.ready(browser.sink);
  assert.equal(browser.posted[0].t, "snapshot");
  assert.deepEqual(browser.posted[0].scene.children[0].position, [2, 0, 0], "a late viewer starts from the store");
  p.push(upsert("box", { position: [3, 0, 0] }));
  clock.tick();
  assert.deepEqual(panel.batches().map((b) => b.seq), [1, 2]);
  assert.deepEqual(browser.batches().map((b) => b.seq), [1], "each viewer's batches count from its own ready");
  assert.deepEqual(browser.batches()[0].messages[0].data.nodes[0].position, [3, 0, 0]);
  assert.deepEqual(panel.batches()[1].messages[0].data.nodes[0].position, [3, 0, 0]);
});

test("a viewer that does not acknowledge holds back only itself", () => {
  const { p, clock, viewer } = setup();
  const slow = viewer();
  p.ready(slow.sink); // the panel never says applied
  const fast = viewer();
  const feed = p.addViewer();
  feed.ready(fast.sink);
  for (let frame = 0; frame < 10; frame++) {
    p.push(upsert("box", { position: [frame, 0, 0] }));
    clock.tick();
    const last = fast.batches().at(-1);
    if (last) feed.applied(last.seq);
  }
  assert.equal(slow.batches().length, 2, "the unacknowledging viewer stops at the in-flight limit");
  assert.equal(p.inFlight, 2);
  assert.equal(p.pending, 1, "its updates keep merging into one entry");
  assert.equal(fast.batches().length, 10, "the other viewer gets every frame");
  assert.equal(feed.inFlight, 0);
  // The slow one catches up with the newest state, merged.
  p.applied(2);
  clock.tick();
  assert.deepEqual(slow.batches().at(-1).messages[0].data.nodes[0].position, [9, 0, 0]);
});

test("a detached or disposed viewer gets nothing queued; the others go on", () => {
  const { p, clock, viewer } = setup();
  const a = viewer();
  const b = viewer();
  const fa = p.addViewer();
  const fb = p.addViewer();
  fa.ready(a.sink);
  fb.ready(b.sink);
  assert.equal(p.viewers.length, 3, "the panel's feed and two more");
  fa.detach();
  p.push(upsert("box", { color: "red" }));
  assert.equal(fa.pending, 0);
  assert.equal(fb.pending, 1);
  clock.tick();
  assert.equal(a.batches().length, 0);
  assert.equal(b.batches().length, 1);
  fb.dispose();
  assert.equal(p.viewers.length, 2);
  p.push(upsert("box", { color: "blue" }));
  clock.tick();
  assert.equal(b.batches().length, 1, "a disposed viewer is not fed");
  fb.ready(b.sink);
  assert.equal(b.posted.length, 2, "nor can it come back");
});

test("one viewer in the past leaves the others live, and comes back to the present scene", () => {
  const { p, clock, viewer } = setup();
  const panel = viewer();
  p.ready(panel.sink);
  const other = viewer();
  const feed = p.addViewer();
  feed.ready(other.sink);
  feed.showPast(null, { state: "running", title: "a.ts at 1 s" });
  assert.equal(feed.showingPast, true);
  assert.equal(p.showingPast, false, "the panel is still live");
  p.push(upsert("box", { position: [5, 0, 0] }));
  clock.tick();
  assert.equal(panel.batches().length, 1);
  assert.equal(other.batches().length, 0, "live updates wait while it shows the past");
  feed.showPresent();
  const last = other.posted.at(-1);
  assert.equal(last.t, "snapshot");
  assert.deepEqual(last.scene.children[0].position, [5, 0, 0]);
});

test("a session change reaches every ready viewer, after what each has queued", () => {
  const { p, viewer } = setup();
  const panel = viewer();
  p.ready(panel.sink);
  const other = viewer();
  p.addViewer().ready(other.sink);
  p.push(upsert("box", { position: [1, 0, 0] }));
  p.setSession({ state: "done", title: "a.ts" });
  for (const v of [panel, other]) {
    assert.deepEqual(v.posted.slice(1).map((m) => m.t), ["scene", "session"]);
    assert.equal(v.posted.at(-1).session.state, "done");
  }
});

test("a gizmo drag in one viewer reaches the store and the other viewers, not itself", () => {
  const { p, clock, viewer } = setup();
  p.push(upsert("box", { position: [0, 0, 0] }));
  const panel = viewer();
  p.ready(panel.sink);
  const other = viewer();
  const feed = p.addViewer();
  feed.ready(other.sink);
  p.movedInViewer("box", { position: [4, 5, 6] }, feed);
  clock.tick();
  assert.equal(other.batches().length, 0, "the viewer it came from already shows it");
  assert.equal(panel.batches().length, 1);
  assert.deepEqual(panel.batches()[0].messages[0], { etype: "UPDATE", ts: panel.batches()[0].messages[0].ts, data: { nodes: [{ key: "box", position: [4, 5, 6] }] } });
  assert.deepEqual(p.store.snapshot().children[0].position, [4, 5, 6]);
  // From the panel (the default), only the other viewer hears of it.
  p.movedInViewer("box", { position: [7, 8, 9] });
  clock.tick();
  assert.equal(panel.batches().length, 1);
  assert.deepEqual(other.batches()[0].messages[0].data.nodes[0].position, [7, 8, 9]);
});

test("a render request is answered by one viewer: the panel when ready, else a browser viewer", () => {
  const { p, viewer } = setup();
  const request = { etype: "GRAB_RENDER", ts: 1, uuid: "u1", rtype: "GRAB_RENDER_RESPONSE", data: {} };
  assert.equal(p.rpc(request), false, "no viewer: the host answers with an error instead");
  const other = viewer();
  const feed = p.addViewer();
  feed.ready(other.sink);
  assert.equal(p.rpc(request), true);
  assert.equal(other.posted.filter((m) => m.t === "rpc").length, 1);
  const panel = viewer();
  p.ready(panel.sink);
  p.rpc({ ...request, uuid: "u2" });
  assert.equal(panel.posted.filter((m) => m.t === "rpc").length, 1);
  assert.equal(other.posted.filter((m) => m.t === "rpc").length, 1, "one answer per request");
});
