// Against the REAL vuer server (vuer-ai/vuer's own Python source, not our bundled package): its
// program (real-vuer/program.py) serves a box, a float16 point cloud and an upserted sphere;
// `snapshot --connect` must draw all three, and the program's grab_render must get our frame back.
// A second program (real-vuer/events.py) must receive a click, a key and a camera move from our
// viewer through its own handlers.
//
// Needs vuer's source and its Python dependencies, which a plain checkout of this project lacks:
//   VUER_SRC=<a checkout of vuer-ai/vuer>/src, and Debian's python3-aiohttp python3-aiohttp-cors
//   python3-msgpack python3-numpy python3-websockets python3-pil. params-proto and dotvar (not
//   Debian packages) are stood in for by real-vuer/shim/ (test scaffolding, documented there).
// An installed vuer (pip install vuer) is used as it is, without the shim, when VUER_SRC is unset.
// Without either the test is skipped, saying so.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { decode } from "fast-png";
import { runCli } from "../helpers/cli.mjs";
import { freePort, waitListening } from "../helpers/ports.mjs";
import { bundlePath, headless } from "../viewer/harness.mjs";
import { loadClient, ROOT } from "./load.mjs";
import { findRealVuer } from "./real-vuer/find.mjs";

const here = join(ROOT, "test", "vuer-client", "real-vuer");
const real = findRealVuer();
const dir = mkdtempSync(join(tmpdir(), "real-vuer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the real vuer server's scene is drawn by snapshot --connect, and its grab_render gets our frame", { skip: real.why }, async () => {
  const port = await freePort();
  const program = spawn(real.python, [join(here, "program.py"), String(port)], { cwd: dir, env: { ...process.env, PYTHONPATH: real.pythonPath, PYTHONUNBUFFERED: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  program.stdout.on("data", (c) => (output += c));
  program.stderr.on("data", (c) => (output += c));
  try {
    await waitListening(port);
    const out = join(dir, "real.png");
    const r = await runCli(["snapshot", "--connect", `ws://127.0.0.1:${port}`, "--out", out, "--at", "3000", "--size", "800x600"]);
    assert.equal(r.code, 0, `${r.stderr}\n--- program:\n${output}`);
    const png = decode(readFileSync(out));
    const count = (pred) => {
      let n = 0;
      for (let i = 0; i < png.width * png.height; i++) {
        const o = i * png.channels;
        if (pred(png.data[o], png.data[o + 1], png.data[o + 2])) n++;
      }
      return n;
    };
    const total = png.width * png.height;
    // Lit materials: the red box is a darker red, the blue sphere a shaded blue; the points are unlit green.
    assert.ok(count((r, g, b) => r > 100 && g < 40 && b < 40) > 0.004 * total, "the red box");
    assert.ok(count((r, g, b) => g > 180 && r < 80 && b < 80) > 0.002 * total, "the green float16 point cloud");
    assert.ok(count((r, g, b) => b > 90 && r < 60 && g < 90 && b > r + 40) > 0.002 * total, "the upserted blue sphere");
    // The program's own grab_render, answered by our viewer over vuer's RPC.
    const end = Date.now() + 30_000;
    while (!/GRAB_RENDER/.test(output) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.match(output, /GRAB_RENDER ok [1-9]\d* bytes 800x600 key=DEFAULT/, output);
  } finally {
    program.kill("SIGKILL");
  }
});

/** Starts a vuer program on a free port; resolves once it listens. */
async function startProgram(file) {
  const port = await freePort();
  const child = spawn(real.python, [join(here, file), String(port)], { cwd: dir, env: { ...process.env, PYTHONPATH: real.pythonPath, PYTHONUNBUFFERED: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  const p = { port, child, output: "" };
  child.stdout.on("data", (c) => (p.output += c));
  child.stderr.on("data", (c) => (p.output += c));
  await waitListening(port);
  return p;
}

test("the real vuer server's handlers get our viewer's CLICK, KeyDown and CAMERA_MOVE", { skip: real.why }, async () => {
  const program = await startProgram("events.py");
  const { VuerClientSession } = await loadClient("src/vuer-client/client-session.ts");
  const { openHeadlessViewer } = await headless();
  const client = new VuerClientSession({ url: `ws://127.0.0.1:${program.port}`, version: "0.0.0-test", viewer: "test", width: 640, height: 480, log: () => {} });
  let posting = Promise.resolve();
  const viewer = await openHeadlessViewer({
    bundlePath,
    width: 640,
    height: 480,
    onMessage: (m) => {
      if (m.t === "event") client.viewerEvent(m.event);
      else if (m.t === "applied") client.pipeline.applied(m.seq);
    },
  });
  const lines = () => program.output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const until = async (what, fn) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; program output:\n${program.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    client.pipeline.ready((m) => (posting = posting.then(() => viewer.post(m)).catch(() => {})));
    client.start();
    // The box's pixels: where to click.
    const at = await until("the red box drawn", async () => {
      const png = decode(await viewer.screenshot());
      let n = 0, sx = 0, sy = 0;
      for (let y = 0; y < png.height; y++)
        for (let x = 0; x < png.width; x++) {
          const o = (y * png.width + x) * png.channels;
          if (png.data[o] > 200 && png.data[o + 1] < 60 && png.data[o + 2] < 60) (n++, (sx += x), (sy += y));
        }
      return n > 500 && { x: sx / n, y: sy / n };
    });
    await viewer.page.mouse.click(at.x, at.y);
    const click = await until("the program's CLICK line", () => lines().find((l) => l.kind === "click"));
    assert.equal(click.key, "box");
    await viewer.page.keyboard.press("k");
    const key = await until("the program's KeyDown line", () => lines().find((l) => l.kind === "key"));
    assert.equal(key.value.key, "k");
    assert.equal(key.value.code, "KeyK");
    // Orbiting the camera (a drag away from the box) is a CAMERA_MOVE for vuer's "defaultCamera".
    await viewer.page.mouse.move(60, 60);
    await viewer.page.mouse.down();
    await viewer.page.mouse.move(160, 90, { steps: 8 });
    await viewer.page.mouse.up();
    const cam = await until("the program's CAMERA_MOVE line", () => lines().find((l) => l.kind === "camera"));
    assert.equal(cam.key, "defaultCamera");
    assert.equal(cam.value.camera.position.length, 3);
    assert.equal(cam.value.camera.matrix.length, 16);
  } finally {
    client.close();
    await posting;
    await viewer.close();
    program.child.kill("SIGKILL");
  }
});
