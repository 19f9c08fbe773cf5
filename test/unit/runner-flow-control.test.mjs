// The runner pipe's flow control end to end: the real supervisor and the real Node runner
// (dist/runner-node.js), a host that takes every scene message slowly. The runner folds what
// the host has not taken (PIPE_ACK), so the host sees fewer messages than the program made,
// never a structural one lost or out of order, and ends with exactly the program's scene.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { importTs } from "../../scripts/lib/import-ts.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { startSession, SceneStore, viewerInit } = await importTs({
  stdin: { contents: 'export { startSession } from "./src/runner/supervisor.ts"; export { SceneStore } from "./src/scene/scene-store.ts"; export { viewerInit } from "./src/protocol/runner.ts";', resolveDir: ROOT, loader: "ts" },
  // The launcher finds dist/runner-node.js next to its bundle, as in the shipped extension.
  define: { __dirname: JSON.stringify(join(ROOT, "dist")) },
  banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(${JSON.stringify(join(ROOT, "package.json"))});` },
});

const FRAMES = 3000;
const PROGRAM = `
import { sleep, Box, Sphere, type Session } from "scene-runner";
export async function main(sess: Session) {
  for (let frame = 0; frame < ${FRAMES}; frame++) {
    sess.upsert(Box({ key: "box", position: [frame, 0, 0] }));
    if (frame % 100 === 0) {
      sess.add(Sphere({ key: "beacon-" + frame / 100 }));
      if (frame >= 200) sess.remove("beacon-" + (frame / 100 - 2));
    }
    await sleep(0);
  }
}
`;

// The Python runner does not ask for acks (its SESSION_START has no `acks`): were one sent, its
// session would hand it to the program as a viewer event.
const PY_PROGRAM = `
import asyncio
from vuer import Vuer
from vuer.schemas import Box

app = Vuer()

@app.add_handler("PIPE_ACK")
async def on_ack(event, sess):
    print("the program got a PIPE_ACK", flush=True)

@app.spawn(start=True)
async def main(sess):
    for frame in range(${FRAMES}):
        sess.upsert @ Box(key="box", position=[frame, 0, 0])
        if frame % 100 == 0:
            sess.add @ Box(key="beacon-%d" % (frame // 100))
            if frame >= 200:
                sess.remove @ ("beacon-%d" % (frame // 100 - 2))
        await asyncio.sleep(0)
`;

async function run(t, coalesce, { name = "flood.ts", program = PROGRAM } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sr-flow-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, program);
  const store = new SceneStore();
  const got = [];
  let stderr = "";
  let stdout = "";
  const session = await startSession({
    file, coalesce,
    onMessage: (m) => {
      if (!["SET", "ADD", "UPSERT", "UPDATE", "REMOVE"].includes(m.etype)) return;
      got.push(m);
      store.apply(m);
      // A slow host: each scene message holds this thread for a while (the runner keeps producing).
      const until = performance.now() + 2;
      while (performance.now() < until);
    },
    onStdout: (c) => (stdout += c),
    onStderr: (c) => (stderr += c),
  });
  // As every host does as the run starts (a vuer session starts on it).
  session.send(viewerInit("headless"));
  // Bounded: a runner that hangs fails the test instead of holding the suite.
  const killer = setTimeout(() => session.kill(), 120_000);
  const exit = await session.exited;
  clearTimeout(killer);
  assert.equal(exit.code, 0, stderr);
  return { got, store, stdout };
}

function checkScene({ got, store }) {
  assert.deepEqual(store.get("box").props.position, [FRAMES - 1, 0, 0], "the program's last state");
  const beacons = [...store.walk()].map((n) => n.key).filter((k) => k.startsWith("beacon-")).sort();
  assert.deepEqual(beacons, ["beacon-28", "beacon-29"]);
  // Every structural message arrived, in the program's order.
  const structural = got.filter((m) => m.etype === "ADD" || m.etype === "REMOVE").map((m) => (m.etype === "ADD" ? `+${m.data.nodes[0].key}` : `-${m.data.keys[0]}`));
  const expected = [];
  for (let b = 0; b < FRAMES / 100; b++) {
    expected.push(`+beacon-${b}`);
    if (b >= 2) expected.push(`-beacon-${b - 2}`);
  }
  assert.deepEqual(structural, expected);
}

test("a runner whose host takes messages slowly folds its updates and loses no structure", async (t) => {
  const r = await run(t, true);
  checkScene(r);
  const upserts = r.got.filter((m) => m.etype === "UPSERT").length;
  assert.ok(upserts < FRAMES, `${upserts} upserts reached the host for ${FRAMES} made`);
});

test("without coalescing (run --events) every message arrives as made", async (t) => {
  const r = await run(t, false);
  checkScene(r);
  assert.equal(r.got.filter((m) => m.etype === "UPSERT").length, FRAMES);
});

test("a Python runner, which does not ask for acks, gets none and its scene arrives whole", async (t) => {
  const r = await run(t, true, { name: "flood.py", program: PY_PROGRAM });
  checkScene(r);
  assert.doesNotMatch(r.stdout, /PIPE_ACK/);
});
