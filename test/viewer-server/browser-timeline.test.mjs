// Each browser tab has its own timeline: the real viewer server serves the real viewer bundle to
// two headless Chromium tabs, each given a timeline (the extension's tabTimeline, over a real
// Recorder of the run) on its own feed of one real scene pipeline. Tab A's strip scrubs back and
// A draws the past scene by pixels while tab B and the panel's feed stay live; A's Live brings it
// back to the present. A click on a task's span asks the host to open its source (only a file of
// the run's tasks inside the program's workspace reaches the room), and the strip sits under the
// scene, not over it, its time label whole in a narrow tab. With SCENE_SHOTS=dir the tabs are
// saved there to look at.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { loadServer } from "./load.mjs";
import { loadTs } from "../helpers/load-ts.mjs";
import { headless, root, SET, UPSERT } from "../viewer/harness.mjs";
import { blue, frame, green, red, share } from "../viewer/pixels.mjs";
import { liveSession } from "../helpers/live-session.mjs";

const { ViewerServer, ScenePipeline, encodeFrameBody } = await loadServer();
const { Recorder } = await loadTs("src/recording/recorder.ts");
const { tabTimeline } = await loadTs("src/extension/viewer/timeline-feed.ts");

let server, browser, pipeline, recorder, url, workspace, roomId;
/** What the room was handed (the extension's SessionRoom opens `openSource` in VS Code). */
const roomMessages = [];
const warnings = [];
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
  // The program's workspace: its file, and a link in it to a file outside.
  workspace = mkdtempSync(join(tmpdir(), "sr-span-"));
  mkdirSync(join(workspace, "ws"));
  writeFileSync(join(workspace, "ws", "prog.py"), "print('hi')\n");
  writeFileSync(join(workspace, "outside.py"), "secret = 1\n");
  symlinkSync(join(workspace, "outside.py"), join(workspace, "ws", "link.py"));
  recorder = new Recorder({ now: () => now, epoch: () => 1_700_000_000_000, keyframeEveryMs: 1000 });
  pipeline = new ScenePipeline({ state: "running", title: "box.ts" });
  pipeline.ready((m) => m.t === "snapshot" && panelScenes.push(m));
  // The run so far: a red box from 0 s, turned blue at 5 s; the clock stands at 10 s.
  receive(0, { etype: "TASK_SPAWN", ts: 0, task: { id: "m", name: "main", parent: null, file: join(workspace, "ws", "prog.py"), line: 7, column: 3 } });
  receive(0, SET([{ tag: "Box", key: "box", args: [1, 1, 1], color: "red" }], { grid: false }));
  receive(5000, UPSERT({ tag: "Box", key: "box", color: "blue" }));
  now = 10_000;
  // A HostSession's share of what the timeline reads, made of the real recorder and pipeline.
  // Its tasks were created in these files (what the timeline's knowsFile asks).
  const taskFiles = [join(workspace, "ws", "prog.py"), join(workspace, "ws", "link.py"), join(workspace, "outside.py")];
  const session = { ...liveSession({ label: "box.ts", recorder, pipeline }), tasks: { all: () => taskFiles.map((file) => ({ file }))[Symbol.iterator]() } };
  server = await ViewerServer.start({ distDir: join(root, "dist"), log: (line) => warnings.push(line) });
  const id = (roomId = server.publish({
    title: "box.ts",
    assets: { root: join(workspace, "ws"), workspace: "" },
    current: () => ({ pipeline, timeline: (feed, post) => tabTimeline(session, feed, post) }),
    onMessage: (m) => roomMessages.push(m),
  }));
  url = server.urlOf(id);
  const { findChrome, chromeArgs } = await headless();
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: findChrome(), args: chromeArgs() });
});

after(async () => {
  await browser?.close();
  await server?.close();
  pipeline?.dispose();
  await recorder?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

async function openTab(width = 640, height = 480) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
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

/** Tab `tab`'s strip, opened (its lanes shown). */
async function openStrip(tab) {
  await tab.page.locator(".sr-timeline").waitFor({ state: "visible", timeout: 30_000 });
  await tab.page.locator(".sr-tl-toggle").click();
  const canvas = tab.page.locator(".sr-tl-canvas");
  await canvas.waitFor({ state: "visible" });
  return canvas;
}

const sentOpen = () => roomMessages.filter((m) => m.t === "openSource");

test("clicking a task's span in a tab asks the host to open its source; only the run's files in its workspace get through", async () => {
  const tab = await openTab();
  const canvas = await openStrip(tab);
  const box = await canvas.boundingBox();
  // The first lane (main, 0 s to now) under the 18 px ruler.
  await canvas.click({ position: { x: box.width * 0.5, y: 18 + 6 } });
  for (let k = 0; k < 100 && !sentOpen().length; k++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(sentOpen(), [{ t: "openSource", file: join(workspace, "ws", "prog.py"), line: 7, column: 3 }], "the span's file, line and column reached the room");
  assert.equal(pipeline.viewers.filter((f) => f.showingPast).length, 0, "a click on a span is not a seek");

  // What anyone with the address could send: a file of no task, one outside the workspace, a link out of it.
  const forged = [join(workspace, "ws", "other.py"), join(workspace, "outside.py"), join(workspace, "ws", "link.py")];
  const before = warnings.length;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/${roomId}/ws`, { origin: server.origin });
  await new Promise((r) => ws.once("open", r));
  for (const file of forged) ws.send(encodeFrameBody({ t: "openSource", file, line: 1 }));
  for (let k = 0; k < 100 && warnings.length < before + forged.length; k++) await new Promise((r) => setTimeout(r, 50));
  ws.close();
  const said = warnings.slice(before).join("\n");
  assert.equal(sentOpen().length, 1, `none of them reached the room:\n${said}`);
  assert.match(said, /other\.py is not a file one of the run's tasks was created in/);
  assert.match(said, /outside\.py is outside the program's workspace folder/);
  assert.match(said, /link\.py is outside the program's workspace folder/);
  assert.deepEqual(tab.errors, []);
  await tab.page.close();
});

test("the strip is under the scene, not over it, and its time label is whole in a narrow tab", async () => {
  for (const [w, h] of [[360, 320], [800, 480]]) {
    const tab = await openTab(w, h);
    for (const open of [false, true]) {
      if (open) await openStrip(tab);
      else await tab.page.locator(".sr-timeline").waitFor({ state: "visible", timeout: 30_000 });
      // The canvas follows its element's size on the next frame: wait for it, generously.
      const fits = () => tab.page.evaluate(() => {
        const r = (q) => document.querySelector(q).getBoundingClientRect();
        const strip = r(".sr-timeline");
        return Math.abs(r(".sr-canvas").bottom - strip.top) <= 1;
      });
      for (let k = 0; k < 100 && !(await fits()); k++) await new Promise((r) => setTimeout(r, 50));
      const layout = await tab.page.evaluate(() => {
        const r = (q) => document.querySelector(q).getBoundingClientRect();
        const label = document.querySelector(".sr-tl-time");
        return {
          canvas: r(".sr-canvas"), strip: r(".sr-timeline"), label: r(".sr-tl-time"), live: r(".sr-tl-live"), hud: r(".sr-hud"),
          labelCut: label.scrollWidth > label.clientWidth + 1, text: label.textContent, width: innerWidth, height: innerHeight,
        };
      });
      const where = `${w}×${h}, strip ${open ? "open" : "collapsed"}`;
      assert.ok(Math.abs(layout.canvas.bottom - layout.strip.top) <= 1, `${where}: the scene ends where the strip begins (${layout.canvas.bottom} vs ${layout.strip.top})`);
      assert.ok(Math.abs(layout.strip.bottom - layout.height) <= 1 && layout.strip.left <= 0 && layout.strip.right >= layout.width, `${where}: the strip spans the page's bottom`);
      assert.ok(layout.hud.bottom <= layout.strip.top, `${where}: the status line stays visible above it`);
      assert.match(layout.text, /^live · 10\.\d s$/, where);
      assert.ok(!layout.labelCut && layout.label.right <= layout.width && layout.label.left >= 0, `${where}: "${layout.text}" is shown whole (${JSON.stringify(layout.label)})`);
      for (const [name, b] of [["label", layout.label], ["Live", layout.live]]) {
        assert.ok(b.top >= layout.strip.top && b.bottom <= layout.strip.bottom && b.right <= layout.strip.right, `${where}: ${name} inside the strip`);
      }
      if (process.env.SCENE_SHOTS) await tab.page.screenshot({ path: join(process.env.SCENE_SHOTS, `strip-${w}-${open ? "open" : "collapsed"}.png`) });
    }
    assert.deepEqual(tab.errors, []);
    await tab.page.close();
  }
});
