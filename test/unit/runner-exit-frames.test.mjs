// A runner's last frames reach the host however late the host takes them: the real supervisor
// and the real Node runner (dist/runner-node.js), which paces its scene by the host's acks. The
// runner no longer waits for the host to take its frames before it exits (a Stop's grace does
// not wait on a host that is behind), so the host acks a runner that has gone: that write fails
// (EPIPE), and must cost the host nothing it has not read yet — the session's SESSION_END above all.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { importTs } from "../../scripts/lib/import-ts.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { startSession, viewerInit } = await importTs({
  stdin: { contents: 'export { startSession } from "./src/runner/supervisor.ts"; export { viewerInit } from "./src/protocol/runner.ts";', resolveDir: ROOT, loader: "ts" },
  // The launcher finds dist/runner-node.js next to its bundle, as in the shipped extension.
  define: { __dirname: JSON.stringify(join(ROOT, "dist")) },
  banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(${JSON.stringify(join(ROOT, "package.json"))});` },
});

const busy = (ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Whether the process has exited (gone, or a zombie its parent has not reaped yet). */
function exited(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] === "Z";
  } catch {
    return true;
  }
}

async function start(t, program, onMessage) {
  const dir = mkdtempSync(join(tmpdir(), "sr-exit-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "program.ts");
  writeFileSync(file, program);
  let stderr = "";
  const session = await startSession({ file, coalesce: true, onMessage, onStderr: (c) => (stderr += c) });
  session.send(viewerInit("headless"));
  // Bounded: a runner that hangs fails the test instead of holding the suite.
  const killer = setTimeout(() => session.kill(), 120_000);
  t.after(() => clearTimeout(killer));
  return { session, stderr: () => stderr };
}

const TASKS = 20_000;
const QUICK_EXIT = `
import { Box, type Session } from "scene-runner";
export async function main(sess: Session) {
  const tasks = [];
  for (let i = 0; i < ${TASKS}; i++) tasks.push(sess.spawnTask(async () => i, { name: "t" + i }));
  for (let i = 0; i < 200; i++) sess.upsert(Box({ key: "box", position: [i, 0, 0] }));
  sess.upsert(Box({ key: "last", position: [1, 2, 3] }));
  for (const t of tasks) await t;
}
`;

test("a runner that writes many frames and exits at once, to a host that takes them slowly and acks late: every frame and SESSION_END arrive", async (t) => {
  const states = new Map();
  let last;
  let afterExit = 0;
  let pid;
  const { session, stderr } = await start(t, QUICK_EXIT, (m) => {
    if (m.etype === "TASK_SPAWN") states.set(m.task.id, "spawned");
    else if (m.etype === "TASK_STATE") states.set(m.task.id, m.task.state);
    else if (m.etype === "UPSERT" && m.data.nodes.some((n) => n.key === "last")) last = m;
    if (pid && exited(pid)) afterExit++;
    busy(0.1); // ~4 s for the whole run: the runner is long gone before the host is done
  });
  pid = session.pid;
  const exit = await session.exited;
  assert.equal(exit.code, 0, stderr());
  assert.equal(exit.killed, false);
  assert.equal(exit.end?.status, "done", "SESSION_END arrived");
  assert.ok(afterExit > 0, "the host was still taking frames after the runner had exited");
  const tasks = [...states.entries()].filter(([, s]) => s !== undefined);
  assert.ok(tasks.length >= TASKS + 1, `every task reported (${tasks.length})`);
  assert.deepEqual(tasks.filter(([, s]) => s !== "done"), [], "every task's end arrived");
  assert.ok(last, "the program's last upsert arrived");
});

const BURST = 30_000;
const BURST_THEN_FOREVER = `
import { Box, sleep, type Session } from "scene-runner";
export async function main(sess: Session) {
  sess.upsert(Box({ key: "marker", args: [1, 1, 1] }));
  for (let i = 0; i < ${BURST}; i++) sess.spawnTask(() => sleep(i % 50), { name: "worker-" + i });
  await sess.forever();
}
`;

test("Stop after a 30,000-task burst, to a host that takes no frame until the runner has gone: the runner exits within its grace, nothing lost", async (t) => {
  let done = 0;
  let stopping;
  let blocked = false;
  let session;
  const r = await start(t, BURST_THEN_FOREVER, (m) => {
    if (m.etype === "TASK_STATE" && m.task.state === "done" && ++done === BURST) stopping = session.stop();
    else if (stopping && !blocked) {
      // The host is busy from the Stop on (a heavy redraw, a backlog): it takes nothing, acks
      // nothing, until the runner is gone. (Bounded, so an old runner that waits for acks is killed, not hung.)
      blocked = true;
      const until = performance.now() + 10_000;
      while (!exited(session.pid) && performance.now() < until) busy(1);
    }
  });
  session = r.session;
  const exit = await session.exited;
  assert.ok(stopping, "the burst's tasks all ended and Stop was sent");
  assert.ok(blocked, "the host took nothing after the Stop until the runner had gone");
  assert.equal(exit.killed, false, "the runner exited by itself within the grace period");
  assert.equal(exit.end?.status, "stopped", `SESSION_END arrived\n${r.stderr()}`);
});
