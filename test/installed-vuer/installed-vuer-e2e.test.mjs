// A program on the user's REAL vuer (vuer-ai/vuer's own server; not our bundled package), run
// through `scene-runner run --vuer installed`, end to end: the runner reports the program's
// tasks and where its own Vuer() app listens (VUER_SERVING, the port the program chose); our vuer
// client connects there and the headless viewer draws the scene (pixels); a click on the box
// reaches the program's CLICK handler, whose reply is drawn; Ctrl-C stops the run cleanly (main's
// finally runs, the session ends "stopped", the server's port is closed).
//
// Gated like test/vuer-client/real-vuer.test.mjs (real-vuer/find.mjs): VUER_SRC=<vuer-ai/vuer>/src
// with Debian's python3-aiohttp and friends, or an installed vuer; otherwise skipped, saying why.
// INSTALLED_VUER_PICTURES=<dir> keeps the frames it checked.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { decode } from "fast-png";
import { runCli } from "../helpers/cli.mjs";
import { freePort, isListening } from "../helpers/ports.mjs";
import { bundlePath, headless } from "../viewer/harness.mjs";
import { findRealVuer } from "../vuer-client/real-vuer/find.mjs";
import { loadClient, ROOT } from "../vuer-client/load.mjs";

const real = findRealVuer();
const program = join(ROOT, "test", "installed-vuer", "programs", "clicks.py");
const pictures = process.env.INSTALLED_VUER_PICTURES;

/** Pixels matching `pred`: their count and centre. */
function find(png, pred) {
  let n = 0, sx = 0, sy = 0;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const o = (y * png.width + x) * png.channels;
      if (pred(png.data[o], png.data[o + 1], png.data[o + 2])) (n++, (sx += x), (sy += y));
    }
  return { n, x: sx / n, y: sy / n };
}
const red = (r, g, b) => r > 200 && g < 60 && b < 60;
const blue = (r, g, b) => b > 200 && r < 80 && g < 100;
const green = (r, g, b) => g > 200 && r < 80 && b < 80;

test("a program on the real vuer: tasks reported, its own server found, the scene drawn, a click answered, stopped cleanly", { skip: real.why, timeout: 240_000 }, async () => {
  const port = await freePort();
  let stdout = "";
  const run = runCli(["run", program, "--vuer", "installed", "--python", real.python, "--events", "-"], {
    env: { PYTHONPATH: real.pythonPath, VUER_PORT: String(port) },
    onStdout: (all) => (stdout = all),
  });
  let exited = false;
  void run.then(() => (exited = true));
  const events = () => stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const logged = () => events().filter((e) => e.etype === "LOG").map((e) => e.text).join("");
  const until = async (what, fn) => {
    const end = Date.now() + 90_000;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (exited || Date.now() > end) throw new Error(`${exited ? "the run ended" : "timed out"} waiting for ${what}; stderr:\n${(await Promise.race([run, { stderr: "(running)" }])).stderr}\nevents:\n${stdout.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const { VuerClientSession } = await loadClient("src/vuer-client/client-session.ts");
  const { servingUrl } = await loadClient("src/runner/python/vuer-choice.ts");
  const { openHeadlessViewer } = await headless();
  let client, viewer;
  let posting = Promise.resolve();
  try {
    // Where the program's own server listens: the port it asked vuer for, on the host it named.
    const serving = await until("VUER_SERVING", () => events().find((e) => e.etype === "VUER_SERVING"));
    assert.deepEqual([serving.host, serving.port, serving.tls], ["127.0.0.1", port, false]);
    assert.match(serving.path, /vuer$/);
    assert.ok(await isListening(port), "the program's server listens");

    viewer = await openHeadlessViewer({
      bundlePath,
      width: 640,
      height: 480,
      onMessage: (m) => {
        if (m.t === "event") client.viewerEvent(m.event);
        else if (m.t === "applied") client.pipeline.applied(m.seq);
      },
    });
    client = new VuerClientSession({ url: servingUrl(serving), version: "0.0.0-test", viewer: "test", width: 640, height: 480, log: () => {} });
    client.pipeline.ready((m) => (posting = posting.then(() => viewer.post(m)).catch(() => {})));
    client.start();

    const shot = async (name) => {
      const bytes = await viewer.screenshot();
      if (pictures) (mkdirSync(pictures, { recursive: true }), writeFileSync(join(pictures, name), bytes));
      return decode(bytes);
    };
    const box = await until("the red box and the blue sphere drawn", async () => {
      const png = await shot("installed-vuer-scene.png");
      const b = find(png, red);
      return b.n > 500 && find(png, blue).n > 100 && b;
    });

    // The tracker saw the session's tasks, as on the bundled vuer: main (vuer's spawn handler) and the ticker it spawned.
    const spawned = await until("main and ticker reported", () => {
      const names = events().filter((e) => e.etype === "TASK_SPAWN").map((e) => e.task.name);
      return names.includes("ticker") && names;
    });
    const task = (name) => events().find((e) => e.etype === "TASK_SPAWN" && e.task.name === name)?.task;
    const ticker = task("ticker");
    assert.equal(ticker.file, program, `the ticker's creation site is the program (${spawned.join(", ")})`);
    assert.equal(ticker.parent, task("main")?.id, `the session's handler is named after it, main, and spawned the ticker (${spawned.join(", ")})`);
    // The web stack's own tasks (aiohttp's connection and request tasks, vuer's uplink, its server's setup) are not the program's.
    assert.deepEqual(spawned.filter((n) => /RequestHandler|Server\.start|_accept_connection|uplink|BaseRunner/.test(n)), [], spawned.join(", "));
    assert.equal(task("main").parent, null, "main is a root, as on the bundled vuer");

    // A click on the box reaches the program's own CLICK handler; its answer (the sphere turns green) is drawn.
    await viewer.page.mouse.click(box.x, box.y);
    await until("the program's click line", () => /clicked box/.test(logged()));
    const flash = await until("the flash task reported", () => task("flash"));
    assert.equal(flash.parent, task("on_click")?.id, "the click handler's task spawned it");
    assert.equal(task("on_click").file, program, "the handler's task is created where the handler is defined");
    await until("the sphere turned green", async () => find(await shot("installed-vuer-clicked.png"), green).n > 100);

    // Ctrl-C: a user's stop. main is cancelled (its finally runs), vuer's server shuts down, the run ends stopped.
    run.child.kill("SIGINT");
    const r = await run;
    assert.equal(r.code, 130, r.stderr);
    const end = events().find((e) => e.etype === "SESSION_END");
    assert.equal(end?.status, "stopped", stdout.slice(-2000));
    assert.match(logged(), /main finally/);
    assert.match(r.stderr, new RegExp(`serves on ws://127\\.0\\.0\\.1:${port}`));
    assert.equal(await isListening(port), false, "the program's server is gone");
  } finally {
    client?.close();
    await posting;
    await viewer?.close();
    if (!exited) run.child.kill("SIGKILL");
  }
});

test("--vuer auto picks the real vuer when it imports", { skip: real.why, timeout: 120_000 }, async () => {
  const port = await freePort();
  let stopped = false;
  const run = runCli(["run", program, "--vuer", "auto", "--python", real.python, "--events", "-"], {
    env: { PYTHONPATH: real.pythonPath, VUER_PORT: String(port) },
    onStdout: (all, child) => {
      if (!stopped && all.includes('"VUER_SERVING"')) (stopped = true), child.kill("SIGINT"); // once: a second Ctrl-C kills
    },
  });
  const r = await run;
  assert.equal(r.code, 130, r.stderr);
  const serving = r.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).find((e) => e.etype === "VUER_SERVING");
  assert.equal(serving?.port, port, r.stdout.slice(-2000));
});
