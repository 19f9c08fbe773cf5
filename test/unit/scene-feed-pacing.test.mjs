// When a viewer's feed posts: an idle viewer (nothing in flight) gets its batch as soon as the
// messages of the current turn are in; a viewer busy drawing gets one a frame later (updates
// fold meanwhile); its `applied` sends what waited at once, not a frame later.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { ScenePipeline } = await loadTs("src/scene/pipeline.ts");

/** Timers that run only when told, remembering the delay each was asked for. */
function recordingTimers() {
  let pending = [];
  return {
    timers: {
      schedule(fn, ms) {
        const entry = { fn, ms, live: true };
        pending.push(entry);
        return () => (entry.live = false);
      },
    },
    /** Delays of the timers now waiting. */
    get waiting() {
      return pending.filter((e) => e.live).map((e) => e.ms);
    },
    tick() {
      const due = pending;
      pending = [];
      for (const e of due) if (e.live) e.fn();
    },
  };
}

const FRAME = 16;
const upsert = (key, x) => ({ etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "Box", key, position: [x, 0, 0] }], to: null } });

function setup() {
  const clock = recordingTimers();
  const p = new ScenePipeline({ state: "running", title: "a.ts" }, { timers: clock.timers, frameMs: FRAME });
  const posted = [];
  p.ready((m) => m.t === "scene" && posted.push(m));
  return { p, clock, posted };
}

test("an idle viewer's batch waits for no frame; a busy viewer's gathers one frame", () => {
  const { p, clock, posted } = setup();
  p.push(upsert("a", 1));
  p.push(upsert("a", 2));
  assert.deepEqual(clock.waiting, [0], "nothing in flight: post once this turn's messages are in");
  clock.tick();
  assert.equal(posted.length, 1);
  assert.deepEqual(posted[0].messages[0].data.nodes[0].position, [2, 0, 0], "the turn's updates are one");
  p.push(upsert("a", 3));
  assert.deepEqual(clock.waiting, [FRAME], "one batch in flight: the next gathers for a frame");
  clock.tick();
  assert.equal(posted.length, 2);
  p.push(upsert("a", 4));
  assert.deepEqual(clock.waiting, [], "two in flight: nothing is scheduled until an ack");
});

test("an ack sends what waited without waiting a frame", () => {
  const { p, clock, posted } = setup();
  p.push(upsert("a", 1));
  clock.tick();
  p.push(upsert("a", 2));
  clock.tick();
  for (let x = 3; x < 50; x++) p.push(upsert("a", x));
  assert.equal(posted.length, 2);
  p.applied(1);
  assert.deepEqual(clock.waiting, [FRAME], "one still in flight: a frame's gathering");
  p.applied(2);
  assert.deepEqual(clock.waiting, [0], "the viewer caught up: the frame timer is replaced by an immediate one");
  clock.tick();
  assert.equal(posted.length, 3);
  assert.deepEqual(posted[2].messages[0].data.nodes[0].position, [49, 0, 0]);
  p.applied(3);
  assert.deepEqual(clock.waiting, [], "an ack with nothing pending schedules nothing");
});
