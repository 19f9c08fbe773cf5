// One scene per scrubbed moment: the viewer's timeline and the Scene view ask the recorder for
// the same moment (Recorder.sceneAt), and it is rebuilt from its keyframe once, not once per
// asker; rebuilt again only when the answer could differ. Checked against a fresh reader's answer.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const rec = await loadTs("src/recording/index.ts");

function recording(options = {}) {
  const clock = { now: 0 };
  const recorder = new rec.Recorder({ now: () => clock.now, epoch: () => 0, workerFile: false, keyframeMinBytes: 4_000, ...options });
  recorder.record({ etype: "SESSION_START", ts: 0, file: "/w/p.ts", runtime: "node" });
  let i = 0;
  const more = (n) => {
    for (let k = 0; k < n; k++, i++) {
      clock.now += 10;
      recorder.record({ etype: "UPSERT", ts: i, data: { nodes: [{ tag: "Box", key: `b${i % 7}`, position: [i, 0, 0], note: "x".repeat(200) }], to: null } });
    }
  };
  return { recorder, more };
}

const truth = (recorder, t) => recorder.reader().sceneAt(t).store.snapshot();

test("the same moment asked twice is built once; another moment is its own scene", () => {
  const { recorder, more } = recording();
  more(200);
  const a = recorder.sceneAt(700);
  assert.equal(recorder.sceneAt(700).store, a.store, "the second asker gets the same store");
  assert.deepEqual(a.store.snapshot(), truth(recorder, 700));
  const b = recorder.sceneAt(1200);
  assert.notEqual(b.store, a.store);
  assert.deepEqual(b.store.snapshot(), truth(recorder, 1200));
});

test("recording on does not rebuild a past moment, but a moment at the end is rebuilt with what came since", () => {
  const { recorder, more } = recording();
  more(100);
  const past = recorder.sceneAt(500);
  more(50);
  assert.equal(recorder.sceneAt(500).store, past.store, "a past moment is unchanged by later records");
  assert.deepEqual(past.store.snapshot(), truth(recorder, 500));
  const end = recorder.sceneAt(recorder.end + 1000); // past the end: the end
  assert.equal(end.t, recorder.end);
  more(1);
  const again = recorder.sceneAt(end.t + 1000);
  assert.notEqual(again.store, end.store, "asked at the end, the scene is rebuilt");
  assert.equal(again.t, recorder.end);
  assert.deepEqual(again.store.snapshot(), truth(recorder, recorder.end));
});

test("once the oldest segments are dropped (the budget), the moment is rebuilt from what is held", () => {
  const { recorder, more } = recording({ budgetBytes: 64 * 1024 });
  more(20);
  const early = recorder.sceneAt(100);
  const oldest = recorder.segments[0];
  more(2_000);
  assert.notEqual(recorder.segments[0], oldest, "the oldest segments went");
  const now = recorder.sceneAt(100);
  assert.notEqual(now.store, early.store);
  assert.deepEqual(now.store.snapshot(), truth(recorder, 100));
  assert.equal(now.t, recorder.reader().sceneAt(100).t);
});
