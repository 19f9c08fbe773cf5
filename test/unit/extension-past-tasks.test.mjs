// The Tasks view "at the scrubbed time" for a live run: the model of a run's tasks at a past
// moment (src/extension/tasks/past-tasks.ts), and the timeline feed that sets it when the
// viewer is scrubbed and clears it when the viewer (or the tree's Back to Live) returns to
// the present. A real Recorder records the run; a real ScenePipeline shows its scenes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { liveSession } from "../helpers/live-session.mjs";

const { pastTaskModel, scrubbedLabel, ScrubbedRuns } = await loadTs("src/extension/tasks/past-tasks.ts");
const { TaskTimeline } = await loadTs("src/recording/timeline.ts");
const { Recorder } = await loadTs("src/recording/recorder.ts");
const { TimelineFeed } = await loadTs("src/extension/viewer/timeline-feed.ts");
const { ScenePipeline } = await loadTs("src/scene/pipeline.ts");

const spawn = (id, name, parent = null) => ({ etype: "TASK_SPAWN", ts: 0, task: { id, name, parent, file: "/w/prog.py", line: 3 } });
const state = (id, s, error) => ({ etype: "TASK_STATE", ts: 0, task: { id, name: id, parent: null, state: s, ...(error ? { error } : {}) } });

/** main (0 ms) spawns orbit (100) and late (300); orbit is asked to cancel at 200 and ends cancelled at 250; main fails at 500. */
function timeline() {
  const tl = new TaskTimeline();
  tl.message(0, spawn("m", "main"));
  tl.message(100, spawn("o", "orbit", "m"));
  tl.message(200, state("o", "cancelling"));
  tl.message(250, state("o", "cancelled"));
  tl.message(300, spawn("l", "late", "m"));
  tl.message(500, state("m", "failed", { name: "ValueError", message: "boom" }));
  return tl;
}

const ORIGIN = 1_700_000_000_000;

test("tasks at a moment: not yet spawned left out, each in its state then, elapsed to then", () => {
  const tl = timeline();
  const at220 = pastTaskModel(tl.at(220), ORIGIN);
  assert.deepEqual(at220.roots().map((t) => t.id), ["m"]);
  assert.deepEqual(at220.children("m").map((t) => [t.id, t.state]), [["o", "cancelling"]], "late is not spawned yet");
  const now = ORIGIN + 220;
  assert.equal(at220.elapsedMs(at220.get("m"), now), 220);
  assert.equal(at220.elapsedMs(at220.get("o"), now), 120);
  assert.deepEqual(at220.counts(), { total: 2, running: 2, cancelling: 1, done: 0, failed: 0, cancelled: 0 });

  const at400 = pastTaskModel(tl.at(400), ORIGIN);
  assert.deepEqual(at400.children("m").map((t) => [t.id, t.state]), [["o", "cancelled"], ["l", "running"]]);
  assert.equal(at400.elapsedMs(at400.get("o"), ORIGIN + 400), 150, "an ended task's time stops at its end");
  assert.equal(at400.get("m").state, "running", "main had not failed yet");
  assert.equal(at400.get("m").error, undefined);

  const after = pastTaskModel(tl.at(600), ORIGIN);
  assert.equal(after.get("m").state, "failed");
  assert.equal(after.get("m").error.message, "boom");
  assert.equal(after.get("m").parent, null);
});

test("a task whose parent the bounded recording no longer holds is a root", () => {
  const tl = timeline();
  tl.prune(260); // orbit ended before 260: dropped; main and late remain
  const m = pastTaskModel(tl.at(400).filter((t) => t.id !== "m"), ORIGIN);
  assert.deepEqual(m.roots().map((t) => t.id), ["l"]);
});

test("the row's words for a moment", () => {
  assert.equal(scrubbedLabel(12_345), "at 12.3 s (scrubbed)");
  assert.equal(scrubbedLabel(0), "at 0.0 s (scrubbed)");
});

test("scrubbed runs: shown, moved, back to live through whoever scrubbed them", () => {
  const runs = new ScrubbedRuns();
  const run = { id: "s1" };
  const seen = [];
  const sub = runs.onDidChange((r) => seen.push([r.id, runs.get(r)?.at ?? null]));
  let backs = 0;
  runs.show(run, 220, timeline().at(220), ORIGIN, () => backs++);
  runs.show(run, 400, timeline().at(400), ORIGIN, () => backs++);
  assert.equal(runs.get(run).now, ORIGIN + 400);
  assert.equal(runs.get(run).tasks.size, 3);
  assert.deepEqual(runs.all().map(([r, v]) => [r.id, v.at]), [["s1", 400]]);
  assert.equal(runs.backToLive(run), true);
  assert.equal(backs, 1, "the viewer's own way back was taken");
  assert.equal(runs.get(run), undefined);
  assert.equal(runs.backToLive(run), false, "nothing to go back from");
  runs.clear(run); // not scrubbed: no event
  sub.dispose();
  runs.show(run, 1, [], ORIGIN, () => {});
  assert.deepEqual(seen, [["s1", 220], ["s1", 400], ["s1", null]]);
});

/** Polls until `cond` holds (generous: the feed waits a moment before it rebuilds the tasks). */
async function until(cond, what) {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), what);
}

test("scrubbing a live run's viewer shows its tasks then; Live and Back to Live show the present", async () => {
  let now = 0;
  const recorder = new Recorder({ now: () => now, epoch: () => ORIGIN, keyframeEveryMs: 100 });
  const pipeline = new ScenePipeline({ state: "running", title: "prog.py" });
  const session = liveSession({ label: "prog.py", recorder, pipeline });
  const box = (color) => ({ etype: "UPSERT", ts: 0, data: { nodes: [{ tag: "Box", key: "b", color }], to: null } });
  const feedOf = (at, m) => {
    now = at;
    recorder.record(m);
    if (m.etype === "UPSERT") pipeline.push(m);
  };
  feedOf(0, spawn("m", "main"));
  feedOf(50, box("red"));
  feedOf(100, spawn("o", "orbit", "m"));
  feedOf(250, state("o", "cancelled"));
  feedOf(300, box("blue"));
  feedOf(300, spawn("l", "late", "m"));
  now = 400;

  const shown = []; // what the viewer was sent: whole scenes
  pipeline.ready((m) => {
    if (m.t === "snapshot") shown.push(m.scene.children.find((c) => c.key === "b")?.color);
  });
  const runs = new ScrubbedRuns();
  const posted = [];
  const feed = new TimelineFeed((m) => posted.push(m), runs);
  try {
    feed.follow(session);
    feed.pageReady();
    assert.equal(runs.get(session), undefined, "live: the tree shows the present");

    feed.seek(120);
    await until(() => runs.get(session), "the scrub reaches the Tasks view");
    const past = runs.get(session);
    assert.equal(past.at, 120);
    assert.deepEqual([...past.tasks.all()].map((t) => [t.id, t.state]), [["m", "running"], ["o", "running"]]);
    assert.equal(pipeline.showingPast, true, "the viewer shows that moment too");
    assert.equal(shown.at(-1), "red");

    feed.seek(280);
    await until(() => runs.get(session)?.at === 280, "a later scrub moves the tasks on");
    assert.equal(runs.get(session).tasks.get("o").state, "cancelled");
    assert.equal(runs.get(session).tasks.get("l"), undefined);

    feed.seek(null); // the viewer's Live button
    assert.equal(runs.get(session), undefined);
    assert.equal(posted.at(-1).cursor, null);

    feed.seek(280);
    await until(() => runs.get(session), "scrubbed again");
    assert.equal(runs.backToLive(session), true); // the tree's Back to Live
    assert.equal(runs.get(session), undefined);
    assert.equal(posted.at(-1).cursor, null, "the strip is told it shows the present");
    assert.equal(pipeline.showingPast, false, "the viewer shows the present");
    assert.equal(shown.at(-1), "blue");

    feed.seek(280);
    feed.seek(null); // back before the Tasks view followed: it never shows the past
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(runs.get(session), undefined);
  } finally {
    feed.dispose();
    pipeline.dispose();
    await recorder.close();
  }
});
