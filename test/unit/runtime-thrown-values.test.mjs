// Item 6 of issue 11: JavaScript can throw anything. Whatever a task throws, the task fails and
// the session reports a readable description; nothing hangs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene, states, spawned } from "../helpers/session.mjs";
const { sleep, gather } = rt;

const revoked = () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; };
const values = {
  "an object with no prototype": [() => Object.create(null), /\[Object: null prototype\] \{\}/],
  "a revoked Proxy": [revoked, /<Revoked Proxy>/],
  "an object whose toString throws": [() => ({ toString() { throw new Error("no"); } }), /toString/],
  null: [() => null, /thrown: null$/],
  "a number": [() => 42, /thrown: 42$/],
};

for (const [what, [make, described]] of Object.entries(values)) {
  test(`main throwing ${what} fails the session with a description`, async () => {
    const { result } = await runScene(async () => { await sleep(1); throw make(); });
    assert.equal(result.status, "failed");
    assert.match(result.error.message, described);
  });

  test(`a background task throwing ${what} fails and is reported; awaiting it rethrows the same value`, async () => {
    const { lines, messages, diagnostics, result } = await runScene(async (sess, log) => {
      const value = make();
      sess.spawnTask(async function thrower() { await sleep(1); throw value; });
      const awaited = sess.spawnTask(async () => { throw value; });
      try { await awaited; } catch (e) { log(`same value: ${e === value}`); }
      const [r] = await gather(awaited, { returnExceptions: true });
      log(`gather gives it back: ${r === value}`);
      await sleep(100);
    }, { unretrievedAfterMs: 20 });
    assert.equal(result.status, "done");
    assert.deepEqual(lines, ["same value: true", "gather gives it back: true"]);
    const failed = messages.filter((m) => m.etype === "TASK_STATE" && m.task.state === "failed");
    assert.equal(failed.length, 2);
    for (const m of failed) assert.match(m.task.error.message, described);
    assert.match(diagnostics.join(""), /Task exception was never retrieved: thrower/);
  });
}

test("an Error whose message and stack getters throw is still reported", async () => {
  const { result } = await runScene(async () => {
    const e = new Error("x");
    Object.defineProperty(e, "message", { get() { throw new Error("getter"); } });
    Object.defineProperty(e, "stack", { get() { throw new Error("getter"); } });
    throw e;
  });
  assert.equal(result.status, "failed");
  assert.equal(result.error.name, "Error");
});

test("a callback throwing a value with no prototype is reported, not fatal", async () => {
  const { diagnostics, result } = await runScene(async (sess) => {
    sess.callSoon(function bad() { throw Object.create(null); });
    await sleep(1);
  });
  assert.equal(result.status, "done");
  assert.match(diagnostics.join(""), /Exception in callback bad: Error: a non-Error value was thrown: \[Object: null prototype\] \{\}/);
});

test("throw undefined still fails the task", async () => {
  const { messages } = await runScene(async (sess) => {
    const t = sess.spawnTask(async () => { throw undefined; }, { name: "u" });
    await gather(t, { returnExceptions: true });
  });
  const id = spawned(messages).find((t) => t.name === "u").id;
  assert.equal(states(messages)[id], "failed");
});
