// Each browser tab has its own timeline: the real viewer server serves the real viewer bundle to
// two headless Chromium tabs, each given a timeline (the extension's tabTimeline, over a real
// Recorder of the run) on its own feed of one real scene pipeline. Tab A's strip scrubs back and
// A draws the past scene by pixels while tab B and the panel's feed stay live; A's Live brings it
// back to the present. With SCENE_SHOTS=dir the tabs are saved there to look at.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadServer } from "./load.mjs";
import { loadTs } from "../helpers/load-ts.mjs";
import { headless, root, SET, UPSERT } from "../viewer/harness.mjs";
import { blue, frame, green, red, share } from "../viewer/pixels.mjs";
import { liveSession } from "../helpers/live-session.mjs";

const { ViewerServer, ScenePipeline } = await loadServer();
const { Recorder } = await loadTs("src/recording/recorder.ts");
const { tabTimeline } = await loadTs("src/extension/viewer/timeline-feed.ts");

let server, browser, pipeline, recorder, url;
let now = 0;
/** Whole scenes the panel's feed was sent: it must never be shown the past. */
const panelScenes = [];

/** What the host does with a runner message: record it, then let the store apply it. */
function receive(at, m) {
  now = at;
  recorder.record(m);
  pipeline.push(m);
}

before(async () => {
  recorder = new Recorder({ now: () => now, epoch: () => 1_700_000_000_000, keyframeEveryMs: 1000 });
  pipeline = new ScenePipeline({ state: "running", title: "box.ts" });
  pipeline.ready((m) => m.t === "snapshot" && panelScenes.push(m));
  // The run so far: a red box from 0 s, turned blue at 5 s; the clock stands at 10 s.
  receive(0, { etype: "TASK_SPAWN", ts: 0, task: { id: "m", name: "main", parent: null } });
  receive(0, SET([{ tag: "Box", key: "box", args: [1, 1, 1], color: "red" }], { grid: false }));
  receive(5000, UPSERT({ tag: "Box", key: "box", color: "blue" }));
  now = 10_000;
  // A HostSession's share of what the timeline reads, made of the real recorder and pipeline.
  const session = liveSession({ label: "box.ts", recorder, pipeline });
  server = await ViewerServer.start({ distDir: join(root, "dist") });
  const id = server.publish({
    title: "box.ts",
    current: () => ({ pipeline, timeline: (feed, post) => tabTimeline(session, feed, post) }),
    onMessage: () => {},
  });
  url = server.urlOf(id);
  const { findChrome, CHROME_ARGS } = await headless();
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: findChrome(), args: CHROME_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  pipeline?.dispose();
  await recorder?.close();
});

async function openTab() {
  const page = await browser.newPage({ viewport: { width: 640, height: 480 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.__sceneViewer?.stats().nodes > 0, null, { timeout: 30_000 });
  return { page, errors, idle: () => page.evaluate(() => window.__sceneViewer.idle()) };
}

/** The share of the box's middle in `colour`, once it reaches `want` (polled generously) or the last seen. */
async function boxShare(tab, colour, name, want = 0.2) {
  let seen = 0;
  for (let k = 0; k < 100 && seen <= want; k++) {
    await tab.idle();
    seen = share(await frame(tab, name), colour, [0.35, 0.3, 0.65, 0.6]);
    if (seen <= want) await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

test("a tab scrubs back and draws the past while another tab and the panel stay live; Live returns it", async () => {
  const a = await openTab();
  const b = await openTab();
  for (const [name, tab] of [["a", a], ["b", b]]) assert.ok((await boxShare(tab, blue, `tl-${name}-present`)) > 0.2, `tab ${name} shows the present: blue`);

  // Tab A gets the timeline posts as the panel would, and scrubs to 2.5 s (the box was red then).
  await a.page.locator(".sr-timeline").waitFor({ state: "visible", timeout: 30_000 });
  await a.page.locator(".sr-tl-toggle").click();
  const canvas = a.page.locator(".sr-tl-canvas");
  await canvas.waitFor({ state: "visible" });
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.25, y: 8 } });
  assert.ok((await boxShare(a, red, "tl-a-past")) > 0.2, "tab A draws the past: the red box");
  await a.page.waitForFunction(() => /^2\.\d s \/ 10\.0 s/.test(document.querySelector(".sr-tl-time")?.textContent ?? ""));
  assert.equal(pipeline.showingPast, false, "the panel's feed stays live");
  assert.ok(pipeline.viewers.some((f) => f.showingPast), "one tab's feed shows the past");
  assert.equal(pipeline.viewers.filter((f) => f.showingPast).length, 1, "only that tab's");

  // The program goes on: B follows it, A stays at its moment.
  receive(10_500, UPSERT({ tag: "Box", key: "box", color: "lime" }));
  assert.ok((await boxShare(b, green, "tl-b-live")) > 0.2, "tab B follows the present: green");
  assert.ok(share(await frame(a, "tl-a-still-past"), red, [0.35, 0.3, 0.65, 0.6]) > 0.2, "tab A still shows the past");
  assert.ok(panelScenes.every((m) => m.scene.children.find((c) => c.key === "box")?.color !== "red"), "the panel was never sent the past");

  // Live: tab A shows the present again.
  await a.page.locator(".sr-tl-live").click();
  assert.ok((await boxShare(a, green, "tl-a-back")) > 0.2, "tab A is back in the present: green");
  assert.equal(pipeline.viewers.filter((f) => f.showingPast).length, 0);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.page.close();
  await b.page.close();
});
