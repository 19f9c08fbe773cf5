// Pictures of the timeline strip in a browser tab (not a test: `node test/viewer-server/strip-shots.mjs DIR`):
// a narrow and a wide tab, the strip collapsed and open, over a run with a few tasks. Used to look
// at the strip's layout before and after a change.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadServer } from "./load.mjs";
import { loadTs } from "../helpers/load-ts.mjs";
import { headless, root, SET, UPSERT } from "../viewer/harness.mjs";
import { liveSession } from "../helpers/live-session.mjs";

const out = process.argv[2] ?? "/tmp/strip-shots";
mkdirSync(out, { recursive: true });
const { ViewerServer, ScenePipeline } = await loadServer();
const { Recorder } = await loadTs("src/recording/recorder.ts");
const { tabTimeline } = await loadTs("src/extension/viewer/timeline-feed.ts");
let now = 0;
const recorder = new Recorder({ now: () => now, epoch: () => 1_700_000_000_000, keyframeEveryMs: 1000 });
const pipeline = new ScenePipeline({ state: "running", title: "box.ts" });
const receive = (at, m) => ((now = at), recorder.record(m), pipeline.push(m));
receive(0, { etype: "TASK_SPAWN", ts: 0, task: { id: "m", name: "main", parent: null, file: "/w/box.py", line: 3 } });
receive(0, SET([{ tag: "Box", key: "box", args: [1, 1, 1], position: [0, -0.9, 0], color: "red" }], { grid: true }));
receive(800, { etype: "TASK_SPAWN", ts: 0, task: { id: "a", name: "orbit", parent: "m", file: "/w/box.py", line: 9 } });
receive(2000, { etype: "TASK_SPAWN", ts: 0, task: { id: "b", name: "blink", parent: "m", file: "/w/box.py", line: 20 } });
receive(5000, UPSERT({ tag: "Box", key: "box", color: "blue" }));
receive(6000, { etype: "TASK_STATE", ts: 0, task: { id: "b", state: "cancelled" } });
now = 125_400;
const session = liveSession({ label: "box.ts", recorder, pipeline });
const server = await ViewerServer.start({ distDir: join(root, "dist") });
const id = server.publish({ title: "box.ts", current: () => ({ pipeline, timeline: (feed, post) => tabTimeline(session, feed, post) }), onMessage: () => {} });
const { findChrome, chromeArgs } = await headless();
const { chromium } = await import("playwright-core");
const browser = await chromium.launch({ executablePath: findChrome(), args: chromeArgs() });
try {
  for (const [w, h] of [[360, 320], [800, 480]]) {
    const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
    await page.goto(server.urlOf(id));
    await page.waitForFunction(() => window.__sceneViewer?.stats().nodes > 0, null, { timeout: 30_000 });
    await page.locator(".sr-timeline").waitFor({ state: "visible", timeout: 30_000 });
    await page.evaluate(() => window.__sceneViewer.idle());
    await page.screenshot({ path: join(out, `strip-${w}-collapsed.png`) });
    await page.locator(".sr-tl-toggle").click();
    await page.locator(".sr-tl-canvas").waitFor({ state: "visible" });
    await new Promise((r) => setTimeout(r, 300));
    await page.evaluate(() => window.__sceneViewer.idle());
    await page.screenshot({ path: join(out, `strip-${w}-open.png`) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  pipeline.dispose();
  await recorder.close();
}
console.log(`pictures in ${out}`);
