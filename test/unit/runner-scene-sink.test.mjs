// The Node runner's sink: straight through while the pipe keeps up; folded while it is backed up.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";

const { SceneSink } = await loadTs("src/runner/node/scene-sink.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");

function fakeChannel() {
  const sent = [];
  let drain;
  return {
    sent,
    backlogBytes: 0,
    send(m) { sent.push(m); },
    onceDrained(fn) { drain = fn; },
    drain() { const fn = drain; drain = undefined; this.backlogBytes = 0; fn?.(); },
  };
}
const upsert = (i) => ({ etype: "UPSERT", ts: i, data: { nodes: [{ tag: "Box", key: "box", position: [i, 0, 0] }], to: null } });

test("while the pipe keeps up, every message goes straight out", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  for (let i = 0; i < 10; i++) sink.send(upsert(i));
  assert.equal(ch.sent.length, 10);
});

test("while the pipe is backed up, updates fold and the latest state goes out on drain", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  sink.send(upsert(0));
  ch.backlogBytes = 10 << 20;
  for (let i = 1; i <= 1000; i++) sink.send(upsert(i));
  sink.send({ etype: "TASK_STATE", ts: 1, task: { id: "t2", state: "done" } }); // not held back
  assert.deepEqual(ch.sent.map((m) => m.etype), ["UPSERT", "TASK_STATE"]);
  ch.drain();
  assert.equal(ch.sent.length, 3);
  assert.deepEqual(ch.sent[2].data.nodes[0].position, [1000, 0, 0]);
  const viewer = new SceneStore();
  for (const m of ch.sent) if (m.etype === "UPSERT") viewer.apply(m);
  assert.deepEqual(viewer.get("box").props.position, [1000, 0, 0]);
});

test("the session's last message comes after everything that was held", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  ch.backlogBytes = 10 << 20;
  sink.send(upsert(1));
  sink.send({ etype: "REMOVE", ts: 2, data: { keys: ["box"] } });
  sink.send({ etype: "SESSION_END", ts: 3, status: "done" });
  assert.deepEqual(ch.sent.map((m) => m.etype), ["UPSERT", "REMOVE", "SESSION_END"]);
});

test("without coalescing (run --events) every message is sent as produced", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, false);
  ch.backlogBytes = 10 << 20;
  for (let i = 0; i < 50; i++) sink.send(upsert(i));
  assert.equal(ch.sent.length, 50);
});

test("a grab_render request waits for the scene sent before it (a barrier); a task state does not", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  sink.send(upsert(0));
  ch.backlogBytes = 10 << 20;
  for (let i = 1; i <= 100; i++) sink.send(upsert(i));
  sink.send({ etype: "TASK_STATE", ts: 1, task: { id: "t2", state: "done" } });
  sink.send({ etype: "GRAB_RENDER", ts: 2, uuid: "u", rtype: "GRAB_RENDER_RESPONSE@u", data: {} });
  assert.deepEqual(ch.sent.map((m) => m.etype), ["UPSERT", "TASK_STATE", "UPSERT", "GRAB_RENDER"]);
  assert.deepEqual(ch.sent[2].data.nodes[0].position, [100, 0, 0], "the picture's request comes after the last upsert");
});
