// "Scene: Open Viewer in Browser" without VS Code: the real viewer server (src/viewer-server/)
// on 127.0.0.1 serves the real viewer bundle to real headless Chromium tabs over a WebSocket,
// fed by one real scene pipeline. Two tabs at once see the scene by pixels and follow its
// updates; a click in each reaches the session; typed arrays cross as binary both ways (a
// point cloud drawn, a render answer's PNG bytes back). Every request without the token, with
// a wrong one, or a WebSocket from a foreign Origin, is refused; so is every path out of the
// program's folder. With SCENE_SHOTS=dir the tabs are saved there to look at.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { loadServer } from "./load.mjs";
import { headless, REMOVE, root, SET, UPSERT } from "../viewer/harness.mjs";
import { blue, frame, red, share } from "../viewer/pixels.mjs";

const { ViewerServer, ScenePipeline, encodeFrameBody, decodeFrameBody } = await loadServer();

let server, browser, pipeline, dir, url, roomId;
const received = [];
const pages = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sr-viewer-server-"));
  mkdirSync(join(dir, "program"));
  writeFileSync(join(dir, "program", "ok.txt"), "inside");
  writeFileSync(join(dir, "secret.txt"), "SECRET-CONTENTS");
  symlinkSync(join(dir, "secret.txt"), join(dir, "program", "link.txt"));
  pipeline = new ScenePipeline({ state: "running", title: "box.ts" });
  pipeline.push(SET([{ tag: "Box", key: "box", args: [1, 1, 1], color: "red" }], { grid: false }));
  server = await ViewerServer.start({ distDir: join(root, "dist") });
  roomId = server.publish({
    title: "box.ts",
    assets: { root: join(dir, "program"), workspace: "" },
    current: () => ({ pipeline }),
    onMessage: (m) => received.push(m),
  });
  url = server.urlOf(roomId);
  const { findChrome, chromeArgs } = await headless();
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: findChrome(), args: chromeArgs() });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openTab() {
  const page = await browser.newPage({ viewport: { width: 640, height: 480 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url);
  await page.waitForFunction(() => window.__sceneViewer?.stats().nodes > 0, null, { timeout: 30_000 });
  const tab = { page, errors, idle: () => page.evaluate(() => window.__sceneViewer.idle()) };
  pages.push(tab);
  return tab;
}

/** Waits (generously, polling a condition) until `pred` holds of what the session received. */
async function receivedWhere(pred, what) {
  for (let i = 0; i < 300; i++) {
    const m = received.find(pred);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the session never received ${what}`);
}

const shot = (tab, name) => frame(tab, name);

test("two browser tabs at once draw the session's scene and follow its updates", async () => {
  const a = await openTab();
  const b = await openTab();
  assert.equal(server.connections, 2);
  for (const [i, tab] of [a, b].entries()) {
    await tab.idle();
    const px = await shot(tab, `tab-${i}-red`);
    assert.ok(share(px, red, [0.3, 0.3, 0.7, 0.7]) > 0.2, `tab ${i} shows the red box`);
  }
  pipeline.push(UPSERT({ tag: "Box", key: "box", color: "blue" }));
  for (const [i, tab] of [a, b].entries()) {
    let seen = 0;
    for (let k = 0; k < 100 && seen <= 0.2; k++) {
      await tab.idle();
      seen = share(await shot(tab, `tab-${i}-blue`), blue, [0.3, 0.3, 0.7, 0.7]);
    }
    assert.ok(seen > 0.2, `tab ${i} shows the box turned blue (${seen})`);
    assert.deepEqual(tab.errors, [], `tab ${i} had no page errors`);
  }
});

test("a click in each tab reaches the session", async () => {
  const before = received.length;
  for (const tab of pages) await tab.page.mouse.click(320, 240);
  for (let i = 0; i < 300 && received.slice(before).filter((m) => m.t === "event" && m.event.etype === "CLICK").length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  const clicks = received.slice(before).filter((m) => m.t === "event" && m.event.etype === "CLICK");
  assert.equal(clicks.length, 2, "one CLICK from each tab");
  for (const c of clicks) assert.equal(c.event.key, "box");
});

test("typed arrays cross as binary: a point cloud is drawn, a render answer's PNG comes back as bytes", async () => {
  const n = 2000;
  const vertices = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    vertices.set([Math.cos(i) * 0.4, Math.sin(i * 1.3) * 0.4, (i / n - 0.5) * 0.4], i * 3);
    colors.set([0, 255, 0], i * 3);
  }
  pipeline.push(REMOVE("box")); // the points sit where the box was
  pipeline.push(UPSERT({ tag: "PointCloud", key: "cloud", vertices, colors, size: 0.05 }));
  const tab = pages[0];
  await tab.page.waitForFunction(() => window.__sceneViewer.getNode("cloud")?.content === "Points", null, { timeout: 30_000 });
  await tab.idle();
  const px = await shot(tab, "tab-0-cloud");
  assert.ok(share(px, (r, g, b) => g > 150 && r < 100 && b < 150, [0.2, 0.2, 0.8, 0.8]) > 0.005, "the green points are drawn");
  // On the wire: a viewer's snapshot carries the vertices as bytes of a binary message, not as JSON numbers.
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${server.token}/${roomId}/ws`, { origin: server.origin });
  await new Promise((r) => ws.once("open", r));
  ws.send(encodeFrameBody({ t: "ready" }));
  const [data, isBinary] = await new Promise((r) => ws.once("message", (d, b) => r([d, b])));
  ws.close();
  assert.equal(isBinary, true);
  const snap = decodeFrameBody(data);
  const cloud = snap.scene.children.find((c) => c.key === "cloud");
  assert.ok(cloud.vertices instanceof Float32Array && cloud.vertices.length === n * 3, "vertices arrive as a Float32Array");
  assert.ok(data.length < n * 3 * 4 + n * 3 + 4096, `the message is about the arrays' bytes (${data.length})`);
  assert.ok(pipeline.rpc({ etype: "GRAB_RENDER", ts: Date.now(), uuid: "u-1", rtype: "GRAB_RENDER_RESPONSE", data: {} }));
  const answer = await receivedWhere((m) => m.t === "event" && m.event.etype === "GRAB_RENDER_RESPONSE", "the render answer");
  const png = answer.event.value.frame;
  assert.ok(png instanceof Uint8Array, "the PNG arrives as bytes");
  assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

/** One raw HTTP request (the path exactly as written: no client-side `..` folding). */
function raw(path, headers = {}, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, headers, method }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with "open" or the HTTP status it was refused with. */
function socket(path, origin) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, origin === undefined ? {} : { origin });
    ws.on("open", () => {
      ws.close();
      resolve("open");
    });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode));
    ws.on("error", () => resolve("error"));
  });
}

test("every request without the token or with a wrong one is refused, the page included", async () => {
  const t = server.token;
  const wrong = t.slice(0, -1) + (t.endsWith("A") ? "B" : "A"); // same length, one character off
  const ok = await raw(`/${t}/${roomId}/`);
  assert.equal(ok.status, 200, "with the token the page is served");
  assert.match(ok.headers["content-security-policy"], /connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ blob: data:/);
  assert.equal(ok.headers["referrer-policy"], "no-referrer");
  assert.equal((await raw("/")).status, 401, "no token");
  for (const rest of ["", "webview.js", "files/ok.txt", "ws"]) {
    assert.equal((await raw(`/${rest}`)).status, rest === "" ? 401 : 403, `/${rest} without a token (its first segment taken for one)`);
    assert.equal((await raw(`/${roomId}/${rest}`)).status, 403, `the room without the token, /${rest}`);
    assert.equal((await raw(`//${roomId}/${rest}`)).status, 401, `an empty token, /${rest}`);
    assert.equal((await raw(`/${wrong}/${roomId}/${rest}`)).status, 403, `a wrong token of the same length, /${rest}`);
    assert.equal((await raw(`/x/${roomId}/${rest}`)).status, 403, `a short wrong token, /${rest}`);
    assert.equal((await raw(`/${t}x/${roomId}/${rest}`)).status, 403, `the token with a character more, /${rest}`);
  }
  // A hundred random tokens of the right length: every one refused.
  const { randomBytes } = await import("node:crypto");
  const statuses = new Set();
  for (let i = 0; i < 100; i++) statuses.add((await raw(`/${randomBytes(32).toString("base64url")}/${roomId}/`)).status);
  assert.deepEqual([...statuses], [403]);
  assert.equal((await raw(`/${t}/${roomId}/`, {}, "POST")).status, 405, "with the token, only GET and HEAD");
  assert.equal((await raw(`/${wrong}/${roomId}/`, {}, "POST")).status, 403, "the token is checked first, whatever the method");
  const refused = await raw(`/${wrong}/${roomId}/`);
  assert.ok(!refused.body.includes("<script"), "a refusal carries no page");
  assert.equal((await raw(`/${t}/${roomId}/files/ok.txt`)).body, "inside");
});

test("a WebSocket without the token, with a wrong one, or from a foreign Origin is refused", async () => {
  const t = server.token;
  const own = server.origin;
  assert.equal(await socket(`/${t}/${roomId}/ws`, own), "open", "the page's own origin with the token connects");
  assert.equal(await socket(`/${t}/${roomId}/ws`, "http://evil.example"), 403);
  assert.equal(await socket(`/${t}/${roomId}/ws`, "http://localhost:" + server.port), 403, "another name for the same host is another origin");
  assert.equal(await socket(`/${t}/${roomId}/ws`, "null"), 403, "an opaque origin (a sandboxed frame, a file)");
  assert.equal(await socket(`/${t}/${roomId}/ws`, undefined), 403, "no Origin at all");
  assert.equal(await socket(`/${roomId}/ws`, own), 403, "the room id where the token goes");
  assert.equal(await socket(`/`, own), 401);
  assert.equal(await socket(`/ws`, own), 403);
  assert.equal(await socket(`/${t.slice(0, -1)}B/${roomId}/ws`, own), t.endsWith("B") ? "open" : 403);
  assert.equal(await socket(`/${t}/999/ws`, own), 404, "no such room");
  // A foreign page in the same browser cannot connect either (its Origin is its own).
  const page = await browser.newPage();
  await page.route("http://evil.localhost/", (r) => r.fulfill({ status: 200, contentType: "text/html", body: "<html></html>" }));
  await page.goto("http://evil.localhost/");
  const outcome = await page.evaluate(
    (u) => new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => resolve("open");
      ws.onerror = () => resolve("refused");
    }),
    `ws://127.0.0.1:${server.port}/${t}/${roomId}/ws`,
  );
  await page.close();
  assert.equal(outcome, "refused");
});

test("no path leaves the program's folder: .., encoded .., backslashes and links out are refused", async () => {
  const t = server.token;
  const base = `/${t}/${roomId}/files`;
  for (const p of ["../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "..%2fsecret.txt", "a/../../secret.txt", "..%5csecret.txt", "%00"]) {
    const r = await raw(`${base}/${p}`);
    assert.equal(r.status, 403, `${p} is refused`);
    assert.ok(!r.body.includes("SECRET"), `${p}: never the outside file's contents`);
  }
  const link = await raw(`${base}/link.txt`);
  assert.equal(link.status, 403, "a link to a file outside");
  assert.ok(!link.body.includes("SECRET"));
  const around = await raw(`/${t}/${roomId}/../../${t}/${roomId}/files/ok.txt`);
  assert.equal(around.status, 404, "a .. before files/ names no route (nothing folds it away)");
  assert.equal((await raw(`${base}/missing.txt`)).status, 404);
  assert.equal((await raw(`${base}/ok.txt`)).status, 200);
});

test("a closed tab's feed leaves the pipeline; stopping the server closes the others, which keep their scene and say so", async () => {
  const feedsBefore = pipeline.viewers.length;
  const tab = pages.pop();
  await tab.page.close();
  for (let i = 0; i < 300 && pipeline.viewers.length === feedsBefore; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(pipeline.viewers.length, feedsBefore - 1);
  await server.close();
  assert.equal(server.connections, 0);
  assert.equal(pipeline.viewers.length, 1, "only the panel's own feed is left");
  // The tab left open keeps its scene and says that its host is away.
  const [left] = pages;
  await left.page.waitForFunction(() => document.querySelector("[data-state]")?.dataset.state === "reconnecting", null, { timeout: 30_000 });
  assert.ok((await left.page.locator("[data-state]").textContent()).includes("box.ts"));
  await left.idle();
  assert.ok(share(await shot(left, "tab-0-reconnecting"), (r, g, b) => g > 150 && r < 100 && b < 150, [0.2, 0.2, 0.8, 0.8]) > 0.005, "the scene stays");
});
