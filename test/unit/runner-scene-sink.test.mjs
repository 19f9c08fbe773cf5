// The Node runner's sink: straight through while the host keeps up; folded while its frames
// are untaken, and what is held goes out at the host's next ack (PIPE_ACK).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";

const { SceneSink, WINDOW_FRAMES } = await loadTs("src/runner/node/scene-sink.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");

/** The channel's flow-control surface: frames sent, the host's acks delivered by the test. */
function fakeChannel() {
  const sent = [];
  let onAck;
  let acked = 0;
  return {
    sent,
    send(m) { sent.push(m); },
    get untakenFrames() { return sent.length - acked; },
    takeAcks(fn) { onAck = fn; },
    get takesAcks() { return onAck !== undefined; },
    /** The host took every frame sent so far. */
    ack(frames = sent.length) { acked = frames; onAck?.(); },
  };
}
const upsert = (i, key = "box") => ({ etype: "UPSERT", ts: i, data: { nodes: [{ tag: "Box", key, position: [i, 0, 0] }], to: null } });
const taskState = (i) => ({ etype: "TASK_STATE", ts: i, task: { id: `t${i}`, state: "done" } });
const kinds = (ch) => ch.sent.map((m) => m.etype);

test("while the host takes what it is sent, every message goes straight out", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  for (let i = 0; i < 10; i++) {
    sink.send(upsert(i));
    ch.ack();
  }
  assert.equal(ch.sent.length, 10);
});

test(`up to ${WINDOW_FRAMES} untaken frames go out; later updates fold and the latest state goes out at the next ack`, () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  for (let i = 1; i <= 1000; i++) sink.send(upsert(i));
  sink.send(taskState(2)); // not held back
  assert.deepEqual(kinds(ch), [...Array(WINDOW_FRAMES).fill("UPSERT"), "TASK_STATE"]);
  ch.ack(1); // the host has read one frame: what is held goes now, folded into one message
  assert.equal(ch.sent.length, WINDOW_FRAMES + 2);
  assert.deepEqual(ch.sent.at(-1).data.nodes[0].position, [1000, 0, 0]);
  const viewer = new SceneStore();
  for (const m of ch.sent) if (m.etype === "UPSERT") viewer.apply(m);
  assert.deepEqual(viewer.get("box").props.position, [1000, 0, 0]);
});

test("an ack with nothing held sends nothing; a stream of task reports cannot starve held updates", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  ch.ack();
  assert.equal(ch.sent.length, 0);
  // The program reports tasks faster than the host acks: the window never reopens, yet every
  // ack releases what was held.
  for (let turn = 0; turn < 5; turn++) {
    for (let i = 0; i < 5; i++) sink.send(taskState(turn * 10 + i));
    sink.send(upsert(turn));
    assert.equal(ch.sent.at(-1).etype, "TASK_STATE", `turn ${turn}: the update is held`);
    ch.ack(ch.sent.length - 3); // the host is still 3 frames behind
    assert.equal(ch.untakenFrames >= WINDOW_FRAMES, true);
    assert.deepEqual(ch.sent.at(-1).data.nodes[0].position, [turn, 0, 0], `turn ${turn}: the ack released it`);
  }
});

test("structural messages held with updates keep their order and are never dropped", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  sink.send(taskState(0));
  sink.send(taskState(1)); // the window is full
  sink.send(upsert(1, "a"));
  sink.send({ etype: "ADD", ts: 2, data: { nodes: [{ tag: "Sphere", key: "b" }], to: null } });
  sink.send(upsert(3, "a"));
  sink.send({ etype: "REMOVE", ts: 4, data: { keys: ["b"] } });
  sink.send(upsert(5, "a"));
  assert.deepEqual(kinds(ch), ["TASK_STATE", "TASK_STATE"]);
  ch.ack();
  assert.deepEqual(kinds(ch).slice(2), ["UPSERT", "ADD", "UPSERT", "REMOVE", "UPSERT"]);
});

test("the session's last message comes after everything that was held, acked or not", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  for (let i = 0; i < WINDOW_FRAMES; i++) sink.send(taskState(i));
  sink.send(upsert(1));
  sink.send({ etype: "REMOVE", ts: 2, data: { keys: ["box"] } });
  sink.send({ etype: "SESSION_END", ts: 3, status: "done" });
  assert.deepEqual(kinds(ch).slice(WINDOW_FRAMES), ["UPSERT", "REMOVE", "SESSION_END"]);
});

test("without coalescing (run --events) every message is sent as produced and no acks are asked for", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, false);
  for (let i = 0; i < 50; i++) sink.send(upsert(i));
  assert.equal(ch.sent.length, 50);
  assert.equal(sink.acks, false);
  assert.equal(ch.takesAcks, false);
  assert.equal(new SceneSink(fakeChannel(), true).acks, true);
});

test("a grab_render request waits for the scene sent before it (a barrier); a task state does not", () => {
  const ch = fakeChannel();
  const sink = new SceneSink(ch, true);
  for (let i = 0; i <= 100; i++) sink.send(upsert(i));
  sink.send(taskState(2));
  sink.send({ etype: "GRAB_RENDER", ts: 2, uuid: "u", rtype: "GRAB_RENDER_RESPONSE@u", data: {} });
  assert.deepEqual(kinds(ch), [...Array(WINDOW_FRAMES).fill("UPSERT"), "TASK_STATE", "UPSERT", "GRAB_RENDER"]);
  assert.deepEqual(ch.sent.at(-2).data.nodes[0].position, [100, 0, 0], "the picture's request comes after the last upsert");
});
