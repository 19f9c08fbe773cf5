// `scene-runner snapshot --connect`: the real CLI (bin/scene-runner.js, built bundles) connects the
// headless viewer to a vuer-protocol server, sends INIT, waits --at ms and writes the picture
// (judged by its pixels); a server that is not there and bad command lines end in one line.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { decode } from "fast-png";
import { runCli } from "../helpers/cli.mjs";
import { freePort } from "../helpers/ports.mjs";
import { scene, startFakeVuer } from "./fake-vuer-server.mjs";

const dir = mkdtempSync(join(tmpdir(), "vuer-connect-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function count(pngBytes, pred) {
  const png = decode(pngBytes);
  let n = 0;
  for (let i = 0; i < png.width * png.height; i++) {
    const o = i * png.channels;
    if (pred(png.data[o], png.data[o + 1], png.data[o + 2])) n++;
  }
  return { n, width: png.width, height: png.height, total: png.width * png.height };
}

test("snapshot --connect draws what the server sent after INIT, at the requested size", async () => {
  // vuer's server starts a session's handler on INIT; the handler builds the scene over time.
  const server = await startFakeVuer({
    onSession: async (s) => {
      s.send("SET", scene([{ tag: "Box", key: "box", args: [1, 1, 1], materialType: "basic", color: "#ff0000" }]));
      await new Promise((r) => setTimeout(r, 100));
      s.send("UPSERT", { nodes: [{ tag: "Sphere", key: "ball", args: [0.5, 32, 16], position: [1.2, 0, 0], materialType: "basic", color: "#00ff00" }], to: null });
    },
  });
  try {
    const out = join(dir, "connect.png");
    const r = await runCli(["snapshot", "--connect", server.url, "--out", out, "--at", "1500", "--size", "800x600"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*connect\.png \(800x600/);
    const red = count(readFileSync(out), (r, g, b) => r > 200 && g < 60 && b < 60);
    const green = count(readFileSync(out), (r, g, b) => g > 200 && r < 60 && b < 60);
    assert.equal(red.width, 800);
    assert.equal(red.height, 600);
    assert.ok(red.n > 0.005 * red.total, `the box is drawn (${red.n} red pixels)`);
    assert.ok(green.n > 0.002 * green.total, `the upserted ball is drawn (${green.n} green pixels)`);
    const init = server.received.find((e) => e.etype === "INIT");
    assert.equal(init.value.client, "browser");
    assert.equal(init.value.screenWidth, 800);
    assert.equal(init.value.screenHeight, 600);
    assert.match(init.value.userAgent, /^scene-runner\/\S+ \(snapshot;/);
  } finally {
    await server.stop();
  }
});

test("a server that is not there: exit 1 with the reason after --connect-timeout, no picture", async () => {
  const port = await freePort();
  const out = join(dir, "none.png");
  const r = await runCli(["snapshot", "--connect", `ws://127.0.0.1:${port}`, "--out", out, "--connect-timeout", "1500"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`could not connect to ws://127\\.0\\.0\\.1:${port} within 1500 ms: nothing listens there \\(connection refused\\); no snapshot written`));
  assert.throws(() => readFileSync(out), /ENOENT/);
});

test("bad command lines: exit 2 with one line and the usage", async () => {
  const cases = [
    [["--connect", "ftp://x:1", "--out", join(dir, "a.png")], /--connect: "ftp:\/\/x:1": a vuer server is reached over ws:\/\/ or wss:\/\//],
    [["--connect", "ws://127.0.0.1:1"], /missing --out <file\.png>/],
    [["--connect", "ws://127.0.0.1:1", "--out", join(dir, "no", "such", "a.png")], /no such directory/],
    [["--connect", "ws://127.0.0.1:1", "--out", join(dir, "a.png"), "scene.py"], /a scene file \("scene\.py"\) is not run with it/],
    [["--connect", "ws://127.0.0.1:1", "--out", join(dir, "a.png"), "--at", "soon"], /--at needs a number of milliseconds/],
    [["--connect", "ws://127.0.0.1:1", "--out", join(dir, "a.png"), "--size", "big"], /--size needs <W>x<H>/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(["snapshot", ...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const [first, ...rest] = r.stderr.trim().split("\n");
    assert.match(first, re);
    assert.match(rest.join("\n"), /usage: scene-runner snapshot --connect|scene-runner snapshot --connect/);
  }
});
