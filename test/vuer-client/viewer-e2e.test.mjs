// End to end with real parts: our client (real `ws`), the real viewer bundle in headless Chromium,
// and a vuer-protocol server (fake-vuer-server.mjs: msgpack with float32 numbers and uint64
// timestamps, as vuer's server packs). Upserts are drawn (pixels), a click and a key press reach the
// server as vuer's client sends them, a GRAB_RENDER is answered with a PNG frame, and after a server
// restart the viewer shows "reconnecting", keeps the last scene, and draws the new session's scene.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decode } from "fast-png";
import { bundlePath, headless } from "../viewer/harness.mjs";
import { scene, startFakeVuer } from "./fake-vuer-server.mjs";
import { loadClient } from "./load.mjs";

const { VuerClientSession } = await loadClient("src/vuer-client/client-session.ts");
const W = 480;
const H = 360;
const box = (key, color, position = [0, 0, 0]) => ({ tag: "Box", key, args: [1, 1, 1], position, materialType: "basic", color });

let server;
let client;
let viewer;
let posting = Promise.resolve();
const log = [];

/** Waits on a condition, generously (a loaded machine is slow, never wrong). */
async function until(what, fn, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; client log:\n${log.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pixels of the viewer's current frame matching `pred(r, g, b)`: their count and centre. */
async function pixels(pred) {
  const png = decode(await viewer.screenshot());
  let n = 0;
  let sx = 0;
  let sy = 0;
  const c = png.channels;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * c;
      if (pred(png.data[i], png.data[i + 1], png.data[i + 2])) {
        n++;
        sx += x;
        sy += y;
      }
    }
  return { n, x: n ? sx / n : 0, y: n ? sy / n : 0 };
}
/** With VUER_CLIENT_PICTURES=<dir>, the frames the test judged are kept there to look at. */
async function keep(name) {
  const dir = process.env.VUER_CLIENT_PICTURES;
  if (dir) writeFileSync(join(dir, `${name}.png`), await viewer.screenshot());
}
const red = (r, g, b) => r > 200 && g < 60 && b < 60;
const green = (r, g, b) => g > 200 && r < 60 && b < 60;
const blue = (r, g, b) => b > 200 && r < 60 && g < 60;

before(async () => {
  server = await startFakeVuer({
    onSession: async (s) => {
      s.send("SET", scene([box("box", "#ff0000", [-0.8, 0, 0])]));
      s.send("UPSERT", { nodes: [box("ball", "#00ff00", [0.8, 0, 0])], to: null });
    },
  });
  const { openHeadlessViewer } = await headless();
  client = new VuerClientSession({ url: server.url, version: "9.9.9", viewer: "test", width: W, height: H, log: (l) => log.push(l) });
  viewer = await openHeadlessViewer({
    bundlePath,
    width: W,
    height: H,
    hud: true,
    onMessage: (m) => {
      if (m.t === "event") client.viewerEvent(m.event);
      else if (m.t === "applied") client.pipeline.applied(m.seq);
    },
  });
  client.pipeline.ready((m) => (posting = posting.then(() => viewer.post(m)).catch((e) => log.push(`post failed: ${e.message}`))));
  client.start();
});

after(async () => {
  client?.close(); // its "closed" state is posted to the page: let that land first
  await posting;
  await viewer?.close();
  await server?.stop();
});

test("INIT carries vuer's browser client information; the upserted scene is drawn", async () => {
  const init = await server.waitFor((e) => e.etype === "INIT");
  assert.equal(init.value.client, "browser");
  assert.equal(init.value.clientVersion, "9.9.9");
  assert.equal(init.value.screenWidth, W);
  assert.equal(typeof init.ts, "number");
  await until("both boxes drawn", async () => (await pixels(red)).n > 200 && (await pixels(green)).n > 200);
  await keep("e2e-connected");
  const r = await pixels(red);
  const g = await pixels(green);
  assert.ok(r.x < g.x, "the red box is left of the green one, as placed");
  await until("the HUD shows the connection", () => viewer.page.evaluate(() => document.querySelector("[data-state]")?.dataset.state === "connected"));
  const hud = await viewer.page.evaluate(() => document.querySelector("[data-state]").textContent);
  assert.match(hud, new RegExp(`connected · ${server.url.replace(/[/.]/g, "\\$&")}`));
});

test("a click on a node and a key press reach the server as vuer's client sends them", async () => {
  const r = await pixels(red);
  await viewer.page.mouse.click(r.x, r.y);
  const click = await server.waitFor((e) => e.etype === "CLICK");
  assert.equal(click.key, "box");
  await viewer.page.keyboard.press("q");
  const key = await server.waitFor((e) => e.etype === "KeyDown");
  assert.equal(key.value.key, "q");
  assert.equal(key.value.code, "KeyQ");
  assert.equal(key.value.shiftKey, false);
  assert.ok(!server.received.some((e) => e.etype === "KEY_DOWN"), "vuer's name only");
});

test("GRAB_RENDER is answered with a PNG frame of the view, the camera key and its size", async () => {
  const answer = await server.sessions[0].rpc("GRAB_RENDER", { quality: 1 }, "DEFAULT");
  assert.equal(answer.key, "DEFAULT");
  assert.ok(answer.value.frame instanceof Uint8Array);
  const png = decode(answer.value.frame);
  assert.equal(answer.value.width, png.width);
  assert.equal(answer.value.height, png.height);
  assert.ok(png.width > 0 && png.height > 0);
});

test("a server restart: reconnecting… with the last scene kept, then the new session's scene", async () => {
  const port = server.port;
  await server.stop();
  await until("the reconnecting state", () => client.connection.state.state === "reconnecting");
  await until("the HUD shows reconnecting", () => viewer.page.evaluate(() => document.querySelector("[data-state]")?.dataset.state === "reconnecting"));
  await keep("e2e-reconnecting");
  assert.ok((await pixels(red)).n > 200, "the last scene stays visible while disconnected");
  server = await startFakeVuer({
    port,
    onSession: async (s) => s.send("SET", scene([box("box", "#0000ff")])),
  });
  const init = await server.waitFor((e) => e.etype === "INIT");
  assert.equal(init.value.client, "browser");
  await until("the new scene drawn", async () => (await pixels(blue)).n > 200 && (await pixels(red)).n === 0);
  await keep("e2e-after-restart");
  assert.equal(client.connection.opens, 2);
  assert.ok(log.some((l) => /reconnecting in/.test(l)), log.join("\n"));
});
