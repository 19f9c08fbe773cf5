// Where a task was created, as TASK_SPAWN reports it: the line of the user's call (spawnTask called
// from user code, or gather/task groups inside the runtime, which then report the user's call of
// those), and a spawn leaves the program's own stack-trace settings as they were.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { rt, runScene, spawned } from "../helpers/session.mjs";
const { gather, sleep } = rt;

const FILE = fileURLToPath(import.meta.url);
/** The line this is called from (a frame of this file). */
function lineHere() {
  const frame = new Error().stack.split("\n")[2];
  return Number(/:(\d+):\d+\)?$/.exec(frame)[1]);
}

test("a task spawned from the user's code reports that call's file and line", async () => {
  let expected;
  const { messages } = await runScene(async (sess) => {
    const t = sess.spawnTask(() => sleep(1), { name: "direct" }); expected = lineHere();
    await t;
  });
  const task = spawned(messages).find((t) => t.name === "direct");
  assert.equal(task.file, FILE);
  assert.equal(task.line, expected);
  assert.ok(task.column > 0);
});

test("spawned from a helper of the user's, the helper's line is reported (the direct caller)", async () => {
  let expected;
  const start = (sess, name) => {
    const t = sess.spawnTask(() => sleep(1), { name }); expected = lineHere();
    return t;
  };
  const { messages } = await runScene(async (sess) => {
    await start(sess, "helped");
  });
  assert.equal(spawned(messages).find((t) => t.name === "helped").line, expected);
});

test("tasks made by gather inside the runtime report the user's gather call", async () => {
  let expected;
  const { messages } = await runScene(async () => {
    const all = gather(async function first() { await sleep(1); }, async function second() { await sleep(2); }); expected = lineHere();
    await all;
  });
  const byName = Object.fromEntries(spawned(messages).map((t) => [t.name, t]));
  for (const name of ["first", "second"]) {
    assert.equal(byName[name].file, FILE, name);
    assert.equal(byName[name].line, expected, name);
  }
});

test("a spawn leaves Error.stackTraceLimit and Error.prepareStackTrace as the program set them", async () => {
  const prepare = (e) => `custom ${e.message}`;
  const saved = [Error.stackTraceLimit, Error.prepareStackTrace];
  Error.stackTraceLimit = 7;
  Error.prepareStackTrace = prepare;
  try {
    let seen;
    const { messages } = await runScene(async (sess) => {
      sess.spawnTask(() => sleep(1), { name: "settings" });
      seen = [Error.stackTraceLimit, Error.prepareStackTrace, new Error("x").stack];
    });
    assert.deepEqual(seen, [7, prepare, "custom x"]);
    assert.equal(spawned(messages).find((t) => t.name === "settings").file, FILE);
  } finally {
    [Error.stackTraceLimit, Error.prepareStackTrace] = saved;
  }
});

test("spawns on different lines report their own lines, also when a name getter spawns in between", async () => {
  const expected = {};
  const { messages } = await runScene(async (sess) => {
    const a = sess.spawnTask(() => sleep(1), { name: "a" }); expected.a = lineHere();
    const options = { get name() { sess.spawnTask(() => sleep(1), { name: "inner" }); expected.inner = lineHere(); return "b"; } };
    const b = sess.spawnTask(() => sleep(1), options); expected.b = lineHere();
    await gather(a, b);
  });
  const lines = Object.fromEntries(spawned(messages).filter((t) => t.name !== "main").map((t) => [t.name, t.line]));
  assert.deepEqual(lines, expected);
});
