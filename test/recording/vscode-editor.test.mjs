// A `.srec` file in the real VS Code (code-server + Chromium, test/harness/vscode.mjs): it opens
// in the recording editor — the viewer at the run's end, its timeline strip with the recorded
// tasks' lanes — and a click on the strip shows the scene as it was then. The recording is
// made first by the real CLI from a program with known phases (red, blue, green box). Then
// "Scene: Save Recording…" saves a run made in VS Code, and the file reads back.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { REPO } from "../harness/prepare.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";
import { runCli } from "../helpers/cli.mjs";
import { loadTs } from "../helpers/load-ts.mjs";

const { RecordingReader } = await loadTs("src/recording/reader.ts");

let vs;
let workspace;
before(async () => {
  workspace = mkdtempSync(join(tmpdir(), "scene-runner-rec-ws-"));
  const r = await runCli(["run", join(REPO, "test", "cli", "fixtures", "phases.ts"), "--record", join(workspace, "phases.srec")], { env: { PHASE_MS: "600" } });
  assert.equal(r.code, 0, r.stderr);
  vs = await launchVSCode({ name: "recordings", extensionPath: REPO, workspace, viewport: { width: 1400, height: 900 } });
});
after(async () => {
  await vs?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

async function until(what, fn, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The viewer page whose status line names the recording. */
function recordingFrame() {
  return until("the recording's viewer", async () => {
    for (const f of vs.page.frames()) {
      const ok = await f.evaluate(() => !!window.__sceneViewer && (document.querySelector(".sr-hud")?.textContent ?? "").includes("phases.ts (recording)")).catch(() => false);
      if (ok) return f;
    }
    return undefined;
  });
}

/** The box's colour as the viewer draws it: the colour of most non-background pixels. */
function boxColour(frame) {
  return frame.evaluate(async () => {
    await window.__sceneViewer.idle();
    const png = await window.__sceneViewer.png();
    const bm = await createImageBitmap(new Blob([png], { type: "image/png" }));
    const g = new OffscreenCanvas(bm.width, bm.height).getContext("2d");
    g.drawImage(bm, 0, 0);
    const d = g.getImageData(0, 0, bm.width, bm.height).data;
    const n = { red: 0, blue: 0, green: 0 };
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 150 && d[i + 1] < 80 && d[i + 2] < 80) n.red++;
      else if (d[i + 2] > 150 && d[i] < 80 && d[i + 1] < 80) n.blue++;
      else if (d[i + 1] > 150 && d[i] < 80 && d[i + 2] < 80) n.green++;
    }
    const best = Object.entries(n).sort((a, b) => b[1] - a[1])[0];
    return best[1] > (d.length / 4) * 0.01 ? best[0] : "none";
  });
}

test("a .srec opens as a recording: the viewer at its end, the timeline with its tasks, seeking shows the past", { timeout: 400_000 }, async () => {
  try {
    await vs.runCommand("View: Show Explorer");
    await vs.page.locator(".explorer-folders-view .monaco-list-row", { hasText: "phases.srec" }).first().click();
    await vs.page.locator(".tabs-container .tab.active", { hasText: "phases.srec" }).first().waitFor({ state: "visible", timeout: 30_000 });
    const frame = await recordingFrame();
    assert.equal(await until("the end scene", async () => ((await boxColour(frame)) === "green" ? "green" : undefined)), "green");
    // The strip: the whole run, not live, and a lane per recorded task (hover names them).
    const strip = frame.locator(".sr-timeline");
    await strip.waitFor({ state: "visible", timeout: 20_000 });
    assert.equal(await strip.getAttribute("data-cursor"), "live"); // no cursor: the end
    const canvas = frame.locator(".sr-tl-canvas");
    if (!(await canvas.isVisible())) await frame.locator(".sr-tl-toggle").click(); // the strip starts folded
    await canvas.waitFor({ state: "visible", timeout: 10_000 });
    const box = await canvas.boundingBox();
    const names = [];
    for (const lane of [0, 1]) {
      await canvas.hover({ position: { x: box.width * 0.5, y: 18 + lane * 12 + 6 } });
      names.push(await until(`lane ${lane}'s tooltip`, async () => {
        const tip = frame.locator(".sr-tl-tip");
        return (await tip.isVisible()) && (await tip.innerText());
      }, 10_000));
    }
    assert.match(names.join("\n"), /main/);
    assert.match(names.join("\n"), /ticker/);
    // The middle of the red phase, by the recording's own clock: a click on the ruler there.
    const rec = RecordingReader.open(join(workspace, "phases.srec"));
    const began = (colour) => [...rec.records()].find((x) => x.m.etype === "UPSERT" && x.m.data.nodes[0].color === colour).t;
    const redMiddle = (began("red") + began("blue")) / 2;
    const duration = rec.end;
    rec.close();
    await canvas.click({ position: { x: (box.width * redMiddle) / duration, y: 8 } });
    assert.equal(await until("the red phase", async () => ((await boxColour(frame)) === "red" ? "red" : undefined)), "red");
    assert.match(await strip.getAttribute("data-cursor"), /^\d+$/);
    // The status line is redrawn a few times a second: it follows.
    await until("the status line at the moment shown", async () => /phases\.ts \(recording\) · at \d+\.\d s/.test(await frame.locator(".sr-hud").innerText()), 20_000);
    // The Tasks view shows the recorded run at the moment shown: its tasks in their states then.
    await vs.openViewContainer("Scene");
    const rows = vs.page.locator(".part.sidebar").getByRole("treeitem");
    const rowLabel = async (name) => rows.filter({ has: vs.page.locator(".label-name", { hasText: new RegExp(`^${name}$`) }) }).first().getAttribute("aria-label", { timeout: 5000 });
    const at = (redMiddle / 1000).toFixed(1);
    await until("the recorded run's row at the moment shown", async () => new RegExp(`recording · at ${at} s`).test(await rowLabel("phases.srec")), 30_000);
    assert.match(await rowLabel("main"), /^main, running/, "main was running then");
    assert.match(await rowLabel("ticker"), /^ticker, /);
    // The Scene view lists that moment's nodes: the box, and not yet the ball of the blue phase.
    await until("the box in the Scene view", async () => ((await rows.filter({ has: vs.page.locator(".label-name", { hasText: /^box$/ }) }).count()) > 0 ? true : undefined), 30_000);
    assert.equal(await rows.filter({ has: vs.page.locator(".label-name", { hasText: /^ball$/ }) }).count(), 0, "the ball came later");
    await vs.screenshot("recording-editor");
  } catch (e) {
    if (vs) await saveArtifacts(vs, "recording-editor-FAILED").catch(() => {});
    throw e;
  }
});

test("Scene: Save Recording… writes the run's recording next to its program, and it reads back", { timeout: 300_000 }, async () => {
  try {
    copyFileSync(join(REPO, "test", "cli", "fixtures", "phases.ts"), join(workspace, "live.ts"));
    await vs.runCommand("View: Focus First Editor Group");
    await vs.runCommand("View: Show Explorer");
    await vs.page.locator(".explorer-folders-view .monaco-list-row", { hasText: "live.ts" }).first().click();
    await vs.page.locator(".tabs-container .tab.active", { hasText: "live.ts" }).first().waitFor({ state: "visible", timeout: 30_000 });
    await vs.codeLens("▶ Run Scene").click({ timeout: 60_000 });
    await vs.page.locator(".tab", { hasText: "Scene: live.ts" }).waitFor({ state: "visible", timeout: 30_000 });
    // The run is recorded as it goes; once it is over its recording is whole. Over means its
    // viewer says done: the Run lens may still show from before the run for a moment.
    await until("live.ts's run done, as its viewer says", async () => {
      for (const f of vs.page.frames()) {
        const hud = await f.evaluate(() => (window.__sceneViewer ? document.querySelector(".sr-hud")?.textContent ?? "" : "")).catch(() => "");
        if (hud.includes("live.ts") && /\bdone\b/.test(hud)) return true;
      }
      return undefined;
    }, 90_000);
    await vs.codeLens("▶ Run Scene").waitFor({ state: "visible", timeout: 60_000 });
    await vs.runCommand("Scene: Save Recording…");
    const input = vs.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 20_000 });
    assert.match(await input.inputValue(), /live\.srec$/);
    await vs.page.keyboard.press("Enter");
    await vs.waitForNotification("recording saved to live.srec", { timeout: 20_000 });
    const saved = join(workspace, "live.srec");
    assert.ok(existsSync(saved));
    const reader = RecordingReader.open(saved);
    assert.deepEqual(reader.warnings, []);
    assert.equal(reader.header.program, join(workspace, "live.ts"));
    assert.deepEqual(reader.spans().map((s) => s.name).sort(), ["main", "ticker"]);
    assert.equal(reader.sceneAt(reader.end).store.get("box")?.props.color, "lime");
    assert.ok(reader.markers().some((m) => m.session === "done"));
    reader.close();
  } catch (e) {
    if (vs) await saveArtifacts(vs, "save-recording-FAILED").catch(() => {});
    throw e;
  }
});
