// Run Scene on the user's REAL vuer in a real VS Code (code-server + Chromium, test/harness/vscode.mjs),
// with sceneRunner.vuer = installed: the run's output says which interpreter and which vuer it used
// and where the program's own server listens; the run's viewer panel draws that server's scene
// (pixels), a click on the box reaches the program's handler (its reply is drawn), the Tasks view
// shows the session's main and the task it spawned, and Stop ends the run as stopped. Then, with an
// interpreter whose vuer does not import, Run Scene fails with the one-line reason as an error
// notification and in the output, and no viewer opens.
//
// Gated like installed-vuer-e2e.test.mjs (VUER_SRC or an installed vuer; see real-vuer/find.mjs).
import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { REPO } from "../harness/prepare.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";
import { findRealVuer } from "../vuer-client/real-vuer/find.mjs";
import { sleep, waitUntil as waitFor } from "../helpers/wait.mjs";
import { canvasPixels } from "../helpers/canvas-pixels.mjs";

const real = findRealVuer();
// A real vuer start (its imports, its server) is slow on a loaded machine: wait longer.
const waitUntil = (what, fn, o = {}) => waitFor(what, fn, { timeout: 90_000, ...o });

async function openFile(vs, name) {
  await vs.runCommand("View: Focus First Editor Group");
  await vs.runCommand("View: Show Explorer");
  await vs.page.locator(".explorer-folders-view .monaco-list-row", { hasText: name }).first().click();
  await vs.page.locator(".tabs-container .tab.active", { hasText: name }).first().waitFor({ state: "visible", timeout: 15_000 });
}

/** The run viewer's page for `file` once it has drawn a node. */
function viewerFrame(vs, file) {
  return waitUntil(`the viewer of ${file}`, async () => {
    for (const f of vs.page.frames()) {
      const ok = await f
        .evaluate((file) => !!window.__sceneViewer && (document.querySelector(".sr-hud")?.textContent ?? "").includes(file) && window.__sceneViewer.stats().nodes >= 1, file)
        .catch(() => false);
      if (ok) return f;
    }
    return null;
  });
}

/** The canvas's pixels matching `pred`: how many, and where (CSS pixels on the canvas). */
const pixels = canvasPixels;
const red = (r, g, b) => r > 200 && g < 60 && b < 60;
const green = (r, g, b) => g > 200 && r < 80 && b < 80;

/** Everything the run's output channel ("Scene: clicks.py") got, from VS Code's log of it (the panel shows only what fits). */
function outputText(vs) {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith("Scene clicks.py.log")) files.push(p);
    }
  };
  walk(join(vs.userDataDir, "logs"));
  return files.map((f) => readFileSync(f, "utf8")).join("");
}

describe("Run Scene on the installed vuer in VS Code", { skip: real.why, timeout: 600_000 }, () => {
  let vs;
  let workspace;
  const port = 18000 + (process.pid % 1000);
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), "scene-runner-installed-vuer-ws-"));
    cpSync(join(REPO, "test", "installed-vuer", "programs", "clicks.py"), join(workspace, "clicks.py"));
    // An interpreter whose vuer does not import (a stand-in package first on its path).
    const broken = join(workspace, "python-broken-vuer");
    writeFileSync(broken, `#!/bin/sh\nPYTHONPATH="${join(REPO, "test", "installed-vuer", "fixtures", "broken-vuer")}:$PYTHONPATH" exec ${real.python} "$@"\n`);
    chmodSync(broken, 0o755);
    // The extension host (and so the program) inherits these: where vuer's source is, its port.
    process.env.PYTHONPATH = real.pythonPath;
    process.env.VUER_PORT = String(port);
    // A workspace setting (code-server reads a machine-overridable setting from there, not from the user's).
    mkdirSync(join(workspace, ".vscode"));
    writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify({ "sceneRunner.pythonPath": real.python }));
    vs = await launchVSCode({
      name: "installed-vuer",
      extensionPath: REPO,
      workspace,
      viewport: { width: 1400, height: 900 },
      settings: { "sceneRunner.vuer": "installed" },
    });
  });
  after(async () => {
    await vs?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test("the program's own server feeds the run's viewer; clicks reach it; Stop ends it", async () => {
    try {
      await openFile(vs, "clicks.py");
      await vs.runCommand("Scene: Run Scene");
      const frame = await viewerFrame(vs, "clicks.py");
      const box = await waitUntil("the red box", async () => {
        const p = await pixels(frame, red);
        return p.share > 0.005 && p;
      });
      const header = await waitUntil("the run header and the server's address", async () => {
        const text = await outputText(vs);
        return text.includes(`serves on ws://127.0.0.1:${port}`) && text;
      });
      assert.match(header, new RegExp(`python: ${real.python.replace(/[/.]/g, "\\$&")} \\(Python 3\\.\\d+\\.\\d+\\): .*sceneRunner\\.pythonPath`));
      assert.match(header, /vuer: vuer (\S+ )?installed at \S+vuer \(asked for\)/);

      await frame.locator("canvas").first().click({ position: { x: box.x, y: box.y } });
      await waitUntil("the program's click line", async () => /clicked box/.test(await outputText(vs)));
      await waitUntil("the sphere turned green", async () => (await pixels(frame, green)).share > 0.001);

      await vs.openViewContainer("Scene");
      const row = (name) => vs.page.locator(".part.sidebar").getByRole("treeitem").filter({ has: vs.page.locator(".label-name", { hasText: new RegExp(`^${name}$`) }) }).first();
      await row("main").waitFor({ state: "visible", timeout: 30_000 });
      await row("ticker").waitFor({ state: "visible", timeout: 30_000 });
      if (process.env.INSTALLED_VUER_PICTURES) await saveArtifacts(vs, "installed-vuer-vscode");

      await vs.runCommand("Scene: Stop Scene");
      await waitUntil("the run stopped", async () => /main finally[^]*\[scene-runner\] stopped/.test(await outputText(vs)));
    } catch (e) {
      await saveArtifacts(vs, "installed-vuer-vscode-FAILED").catch(() => {});
      throw e;
    }
  });

  test("installed vuer that does not import: one line, as an error notification and in the output; no viewer", async () => {
    try {
      writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify({ "sceneRunner.pythonPath": join(workspace, "python-broken-vuer") }));
      await sleep(1500); // VS Code reads the changed settings file
      const viewersBefore = vs.page.frames().length;
      await openFile(vs, "clicks.py");
      await vs.runCommand("Scene: Run Scene", { allowErrors: true, settleMs: 0 });
      const note = await waitUntil("the error notification", async () => (await vs.errorNotifications()).find((t) => /installed vuer was asked for/.test(t)));
      assert.match(note, /^Scene: the installed vuer was asked for, but \S+python-broken-vuer cannot use one: vuer at \S+broken-vuer\/vuer does not import: ModuleNotFoundError: No module named 'aiohttp_that_is_not_installed'; /);
      assert.match(await outputText(vs), /could not start: the installed vuer was asked for/);
      assert.ok(vs.page.frames().length <= viewersBefore, "no viewer opened");
    } catch (e) {
      await saveArtifacts(vs, "installed-vuer-vscode-error-FAILED").catch(() => {});
      throw e;
    }
  });
});
