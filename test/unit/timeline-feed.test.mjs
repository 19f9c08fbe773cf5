// The timeline feed's two ways back to the present and its per-viewer past: the Tasks view's Back
// to Live tells the strip (liveEpoch grows) and a seek the strip sent before it heard is ignored;
// a browser tab's timeline shows the past on that tab's feed only, never on the panel's. A real
// Recorder records the run; a real ScenePipeline with two real feeds shows its scenes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { liveSession } from "../helpers/live-session.mjs";

const { ScrubbedRuns } = await loadTs("src/extension/tasks/past-tasks.ts");
const { Recorder } = await loadTs("src/recording/recorder.ts");
const { TimelineFeed, tabTimeline } = await loadTs("src/extension/viewer/timeline-feed.ts");
const { ScenePipeline } = await loadTs("src/scene/pipeline.ts");
const { validateFromViewer, validateToViewer } = await loadTs("src/protocol/viewer.ts");

const ORIGIN = 1_700_000_000_000;
const box = (color) => ({ etype: "UPSERT", ts: 0, data: { nodes: [{ tag: "Box", key: "b", color }], to: null } });

/** A live run whose box is red from 50 ms and blue from 300 ms; the clock stands at 400 ms. */
function run() {
  let now = 0;
  const recorder = new Recorder({ now: () => now, epoch: () => ORIGIN, keyframeEveryMs: 100 });
  const pipeline = new ScenePipeline({ state: "running", title: "prog.py" });
  const session = liveSession({ label: "prog.py", recorder, pipeline });
  for (const [at, m] of [[0, { etype: "TASK_SPAWN", ts: 0, task: { id: "m", name: "main", parent: null } }], [50, box("red")], [300, box("blue")]]) {
    now = at;
    recorder.record(m);
    if (m.etype === "UPSERT") pipeline.push(m);
  }
  now = 400;
  return { session, pipeline, recorder };
}

/** A viewer sink that remembers the colour of the box in each whole scene it is sent. */
function viewer() {
  const shown = [];
  const sink = (m) => {
    if (m.t === "snapshot") shown.push(m.scene?.children.find((c) => c.key === "b")?.color);
  };
  return { shown, sink };
}

test("Back to Live tells the strip (liveEpoch grows) and drops a seek sent before the strip heard", async () => {
  const { session, pipeline, recorder } = run();
  const panel = viewer();
  pipeline.ready(panel.sink);
  const posted = [];
  const runs = new ScrubbedRuns();
  const feed = new TimelineFeed((m) => posted.push(m), runs);
  try {
    feed.follow(session);
    feed.pageReady();
    assert.equal(posted.at(-1).liveEpoch, 0);
    feed.seek(120, 0);
    assert.equal(pipeline.showingPast, true);
    assert.equal(panel.shown.at(-1), "red");
    for (let i = 0; i < 400 && !runs.get(session); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(runs.get(session), "the Tasks view shows the scrubbed run");

    assert.equal(runs.backToLive(session), true); // the Tasks view's Back to Live
    assert.deepEqual([posted.at(-1).cursor, posted.at(-1).liveEpoch], [null, 1], "the strip is told: the present, epoch 1");
    assert.equal(pipeline.showingPast, false);
    assert.equal(panel.shown.at(-1), "blue");

    feed.seek(200, 0); // a playing strip's seek already on its way
    assert.equal(pipeline.showingPast, false, "a seek from before Back to Live is ignored");
    feed.seek(200); // a page that sends no epoch is still obeyed
    assert.equal(pipeline.showingPast, true);
    feed.seek(null, 0);
    feed.seek(200, 1); // the strip heard, and the user scrubs again
    assert.equal(pipeline.showingPast, true);
    assert.equal(posted.at(-1).cursor, 200);
  } finally {
    feed.dispose();
    pipeline.dispose();
    await recorder.close();
  }
});

test("a browser tab's timeline shows the past on that tab's feed only; Live returns that tab", async () => {
  const { session, pipeline, recorder } = run();
  const panel = viewer();
  pipeline.ready(panel.sink);
  const tabFeed = pipeline.addViewer();
  const tab = viewer();
  tabFeed.ready(tab.sink);
  const posted = [];
  const timeline = tabTimeline(session, tabFeed, (m) => posted.push(m));
  try {
    timeline.pageReady();
    assert.equal(posted.at(-1).t, "timeline", "the tab gets the panel's timeline posts");
    assert.equal(posted.at(-1).spans[0].name, "main");
    timeline.seek(120, 0);
    assert.equal(tabFeed.showingPast, true);
    assert.equal(tab.shown.at(-1), "red");
    assert.equal(pipeline.showingPast, false, "the panel stays live");
    assert.deepEqual(panel.shown, ["blue"], "the panel was sent nothing of the past");
    pipeline.push(box("green"));
    assert.equal(tabFeed.pending, 0, "live batches wait for the tab's return");
    timeline.seek(null, 0);
    assert.equal(tabFeed.showingPast, false);
    assert.equal(tab.shown.at(-1), "green", "Live sends the tab the present");
  } finally {
    timeline.dispose();
    tabFeed.dispose();
    pipeline.dispose();
    await recorder.close();
  }
});

test("the contract: liveEpoch travels on timeline (0 when absent), epoch on seek; bad ones are named", () => {
  const m = { t: "timeline", duration: 10, live: true, cursor: null, spans: [], markers: [], omitted: 0, liveEpoch: 3 };
  assert.deepEqual(validateToViewer(m), m);
  const { liveEpoch, ...old } = m;
  assert.equal(validateToViewer(old).liveEpoch, 0);
  assert.throws(() => validateToViewer({ ...m, liveEpoch: "1" }), /liveEpoch/);
  assert.deepEqual(validateFromViewer({ t: "seek", at: 5, epoch: 2 }), { t: "seek", at: 5, epoch: 2 });
  assert.deepEqual(validateFromViewer({ t: "seek", at: null }), { t: "seek", at: null });
  assert.throws(() => validateFromViewer({ t: "seek", at: 5, epoch: "x" }), /viewer message\.epoch/);
});
