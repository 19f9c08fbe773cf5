// "Scene: Open Viewer in Browser" in a real VS Code (code-server + Chromium, test/harness/vscode.mjs):
// a running scene's viewer opens in a new browser tab (vscode.env.openExternal), which draws the
// scene (pixels); a click in that tab reaches the program, whose answer (the box turns blue) the
// tab and the VS Code panel both draw; the address, token included, is in the Scene Runner log.
// A click on a task's span in the tab's timeline opens the task's source in VS Code.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { REPO } from "../harness/prepare.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";
import { waitUntil } from "../helpers/wait.mjs";
import { canvasPixels } from "../helpers/canvas-pixels.mjs";


const PROGRAM = `import { Box, type Session } from "scene-runner";

const box = (color: string) => Box({ key: "box", args: [2, 2, 2], color, materialType: "basic" });

export async function main(sess: Session) {
  sess.upsert(box("#ff0000"));
  // A click from any viewer: the program answers by turning the box blue.
  sess.on("CLICK", (event) => {
    console.log(\`clicked \${event.key}\`);
    sess.upsert(box("#0000ff"));
  });
  await sess.forever();
}
`;

const red = (r, g, b) => r > 200 && g < 60 && b < 60;
const blue = (r, g, b) => b > 200 && r < 60 && g < 60;

/** Share of the canvas's pixels matching `pred` (frame: a page or a frame with the viewer). */
const share = async (frame, pred) => (await canvasPixels(frame, pred)).share;

/** The VS Code panel's viewer frame, once it shows `file`. */
function panelFrame(vs, file) {
  return waitUntil(`the viewer panel of ${file}`, async () => {
    for (const f of vs.page.frames()) {
      const ok = await f.evaluate((file) => !!window.__sceneViewer && (document.querySelector(".sr-hud")?.textContent ?? "").includes(file), file).catch(() => false);
      if (ok) return f;
    }
    return null;
  });
}

describe("Scene: Open Viewer in Browser in VS Code", { timeout: 600_000 }, () => {
  let vs;
  let workspace;
  let tab;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), "scene-runner-browser-ws-"));
    writeFileSync(join(workspace, "browser_box.ts"), PROGRAM);
    vs = await launchVSCode({ name: "browser-viewer", extensionPath: REPO, workspace, viewport: { width: 1400, height: 900 } });
  });
  after(async () => {
    await vs?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test("the running scene opens in a browser tab, which draws it and whose click reaches the program", async () => {
    try {
      await vs.openFile("browser_box.ts");
      await vs.runCommand("Scene: Run Scene");
      const panel = await panelFrame(vs, "browser_box.ts");
      await waitUntil("the red box in the panel", async () => (await share(panel, red)) > 0.01);

      const opened = vs.context.waitForEvent("page", { timeout: 60_000 });
      await vs.runCommand("Scene: Open Viewer in Browser", { settleMs: 0 });
      tab = await opened;
      await tab.waitForLoadState("domcontentloaded");
      // The address code-server forwards the server at (/proxy/<port>/ on its own origin), then the token and the room.
      const url = new URL(tab.url());
      const [token, room] = url.pathname.split("/").filter(Boolean).slice(-2);
      const root = url.href.slice(0, url.href.length - `${token}/${room}/`.length);
      assert.equal(Buffer.from(token, "base64url").length, 32, "a 32-byte token in the address");
      await tab.setViewportSize({ width: 800, height: 600 });
      await waitUntil("the viewer in the tab", () => tab.evaluate(() => window.__sceneViewer?.stats().nodes > 0));
      await waitUntil("the red box in the browser tab", async () => (await share(tab, red)) > 0.05);
      await waitUntil("the address in the Scene Runner log", () => vs.extensionHostLog().includes(`viewer in a browser at ${root}${token}/${room}/`));
      if (process.env.SCENE_SHOTS) await tab.screenshot({ path: join(process.env.SCENE_SHOTS, "vscode-browser-tab-red.png") });

      await tab.mouse.click(400, 300);
      await waitUntil("the program's answer in the browser tab", async () => (await share(tab, blue)) > 0.05 && (await share(tab, red)) < 0.001);
      await waitUntil("and in the panel", async () => (await share(panel, blue)) > 0.01);
      if (process.env.SCENE_SHOTS) {
        await tab.screenshot({ path: join(process.env.SCENE_SHOTS, "vscode-browser-tab-blue.png") });
        await vs.page.screenshot({ path: join(process.env.SCENE_SHOTS, "vscode-browser-window.png") });
      }
      // The same address without its token, or with another, is refused (through the forwarding too).
      const status = (u) => tab.evaluate(async (u) => (await fetch(u)).status, u);
      assert.equal(await status(`${root}${room}/`), 403);
      assert.equal(await status(`${root}${"A".repeat(43)}/${room}/`), 403);
      assert.equal(await status(root), 401);
    } catch (e) {
      await saveArtifacts(vs, "browser-viewer-FAILED").catch(() => {});
      throw e;
    }
  });

  test("a click on a task's span in the tab's timeline opens its source in VS Code", async () => {
    try {
      assert.ok(tab, "the tab of the test before");
      await tab.locator(".sr-timeline").waitFor({ state: "visible", timeout: 60_000 });
      await tab.locator(".sr-tl-toggle").click();
      const canvas = tab.locator(".sr-tl-canvas");
      await canvas.waitFor({ state: "visible" });
      const box = await canvas.boundingBox();
      // The first lane (main, spawned first), under the 18 px ruler: its tip names where it was created.
      const at = { x: box.x + box.width * 0.5, y: box.y + 18 + 6 };
      await tab.mouse.move(at.x, at.y);
      const tip = await waitUntil("the span's tooltip", async () => {
        const text = await tab.locator(".sr-tl-tip").textContent();
        return /created at browser_box\.ts:\d+/.test(text ?? "") ? text : null;
      });
      const line = Number(/browser_box\.ts:(\d+)/.exec(tip)[1]);
      assert.ok(line > 1, `main was created past line 1 (${line}), so the cursor's move shows`);
      await tab.mouse.click(at.x, at.y);
      // VS Code shows the file with the cursor on that line (its status bar says so).
      await vs.page.bringToFront();
      await waitUntil(`VS Code's cursor at line ${line} of browser_box.ts`, async () => {
        const active = await vs.page.locator(".tab.active").first().textContent().catch(() => "");
        const status = await vs.page.locator(".part.statusbar").textContent().catch(() => "");
        return /browser_box\.ts/.test(active ?? "") && new RegExp(`Ln ${line},`).test(status ?? "");
      });
      if (process.env.SCENE_SHOTS) await vs.page.screenshot({ path: join(process.env.SCENE_SHOTS, "vscode-browser-span-opened.png") });
    } catch (e) {
      await saveArtifacts(vs, "browser-viewer-span-FAILED").catch(() => {});
      throw e;
    }
  });
});
