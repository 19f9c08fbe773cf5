// "Scene: Connect to vuer Server…" in a real VS Code (code-server + Chromium, test/harness/vscode.mjs)
// against a vuer-protocol server (fake-vuer-server.mjs): the input box comes prefilled with vuer's
// default address, the panel draws the server's scene (pixels), shows the address and state in its
// status line and title and as a row of the Scene view, sends INIT as a browser client, a click as
// vuer's CLICK, answers a GRAB_RENDER with its frame, and after a server restart says
// "reconnecting", keeps the scene, and draws the new session's scene; a window reload reconnects,
// and shows the saved scene while the server is down.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decode } from "fast-png";
import { REPO } from "../harness/prepare.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";
import { scene, startFakeVuer } from "./fake-vuer-server.mjs";
import { waitUntil } from "../helpers/wait.mjs";
import { canvasPixels } from "../helpers/canvas-pixels.mjs";


const box = (color, key = "box") => ({ tag: "Box", key, args: [1, 1, 1], materialType: "basic", color });

/** The viewer page whose status line names `url` and `state`. */
function serverFrame(vs, url, state) {
  return waitUntil(`a viewer showing ${state} · ${url}`, async () => {
    for (const f of vs.page.frames()) {
      const ok = await f.evaluate(([url, state]) => {
        const line = document.querySelector("[data-state]");
        return !!window.__sceneViewer && line?.dataset.state === state && (line.textContent ?? "").includes(url);
      }, [url, state]).catch(() => false);
      if (ok) return f;
    }
    return null;
  });
}

const share = async (frame, pred) => (await canvasPixels(frame, pred)).share;
/** Where on the canvas (CSS pixels) the pixels matching `pred` are, on average. */
const centre = canvasPixels;
const red = (r, g, b) => r > 200 && g < 60 && b < 60;
const blue = (r, g, b) => b > 200 && r < 60 && g < 60;

describe("Scene: Connect to vuer Server… in VS Code", { timeout: 600_000 }, () => {
  let vs;
  let server;
  let workspace;
  before(async () => {
    server = await startFakeVuer({ onSession: (s) => s.send("SET", scene([box("#ff0000")])) });
    workspace = mkdtempSync(join(tmpdir(), "scene-runner-connect-ws-"));
    vs = await launchVSCode({ name: "vuer-connect", extensionPath: REPO, workspace, viewport: { width: 1400, height: 900 } });
  });
  after(async () => {
    await vs?.close();
    await server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test("the command connects a panel: the scene, the address, INIT, then a server restart", async () => {
    try {
      await vs.runCommand("Scene: Connect to vuer Server…", { settleMs: 0 });
      const input = vs.page.locator(".quick-input-widget input");
      await waitUntil("the address box, prefilled with vuer's default", async () => (await input.inputValue()) === "ws://localhost:8012");
      await input.fill(server.url);
      await vs.page.keyboard.press("Enter");

      const frame = await serverFrame(vs, server.url, "connected");
      const init = await server.waitFor((e) => e.etype === "INIT");
      assert.equal(init.value.client, "browser");
      assert.match(init.value.userAgent, /\(vscode;/);
      await waitUntil("the red box drawn", async () => (await share(frame, red)) > 0.01);
      const host = server.url.replace("ws://", "");
      await vs.page.locator(".tab", { hasText: `vuer: ${host}` }).first().waitFor({ state: "visible", timeout: 20_000 });

      // A click on the box reaches the server as vuer's CLICK; a GRAB_RENDER is answered with the panel's frame.
      const at = await centre(frame, red);
      await frame.locator("canvas").first().click({ position: at });
      const click = await server.waitFor((e) => e.etype === "CLICK");
      assert.equal(click.key, "box");
      const answer = await server.sessions[0].rpc("GRAB_RENDER", { quality: 1 }, "DEFAULT");
      assert.equal(answer.key, "DEFAULT");
      const grabbed = decode(answer.value.frame);
      assert.equal(answer.value.width, grabbed.width);
      assert.ok(grabbed.width > 100 && grabbed.height > 100);

      // The Scene view lists the connection with its state and message rate.
      await vs.openViewContainer("Scene");
      const row = vs.page.locator(".part.sidebar").getByRole("treeitem", { name: new RegExp(`${server.url.replace(/[/.]/g, "\\$&")}.*connected · [0-9.]+ msg/s`) }).first();
      await row.waitFor({ state: "visible", timeout: 30_000 });

      const port = server.port;
      await server.stop();
      await vs.page.locator(".part.sidebar").getByRole("treeitem", { name: /reconnecting…/ }).first().waitFor({ state: "visible", timeout: 30_000 });
      const waiting = await serverFrame(vs, server.url, "reconnecting");
      assert.ok((await share(waiting, red)) > 0.01, "the last scene stays while the server is away");
      await vs.page.locator(".tab", { hasText: "(reconnecting…)" }).first().waitFor({ state: "visible", timeout: 20_000 });

      server = await startFakeVuer({ port, onSession: (s) => s.send("SET", scene([box("#0000ff", "box2")])) });
      const back = await serverFrame(vs, server.url, "connected");
      await waitUntil("the new session's blue box", async () => (await share(back, blue)) > 0.01 && (await share(back, red)) === 0);
      if (process.env.VUER_CLIENT_PICTURES) await saveArtifacts(vs, "vuer-connect");

      // A window reload: VS Code brings the panel back, and it connects again (a new vuer session).
      await vs.page.reload();
      await vs.page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 120_000 });
      const reloaded = await serverFrame(vs, server.url, "connected");
      await waitUntil("a second session on the restarted server", () => server.sessions.filter((s) => s.init).length >= 2);
      await waitUntil("the scene after the reload", async () => (await share(reloaded, blue)) > 0.01);

      // A reload while the server is down: the saved scene is shown at once, with "reconnecting".
      const savedLine = `vuer ${server.url}: scene saved for a window reload (1 node: box2)`;
      await waitUntil("the new session's scene saved for a reload", () => vs.extensionHostLog().includes(savedLine));
      await server.stop();
      await vs.page.reload();
      await vs.page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 120_000 });
      const offline = await serverFrame(vs, server.url, "reconnecting");
      // A saved scene, at once: the newest one (blue) when VS Code's storage wrote it before the
      // reload; its write may still be in flight when a page reload cuts the window, and then the
      // one saved before (red) comes back. Either way the panel is not empty while the server is away.
      await waitUntil("a saved scene while the server is down", async () => (await share(offline, blue)) > 0.01 || (await share(offline, red)) > 0.01);
    } catch (e) {
      await saveArtifacts(vs, "vuer-connect-FAILED").catch(() => {});
      throw e;
    }
  });
});
