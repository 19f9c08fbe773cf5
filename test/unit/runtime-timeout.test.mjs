// Item 1 of issue 11: timeout() withdraws the cancel request its deadline made, and converts
// only a cancellation that is its own (asyncio's Timeout.__aexit__). On virtual time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene } from "../helpers/session.mjs";
const { sleep, timeout } = rt;

test("deadline and wake-up in the same turn: TimeoutError, and no stray cancel at the next await", async () => {
  const { lines, result } = await runScene(async (sess, log) => {
    // Timers fire up to 0.5 ms early, so the 9.7 ms sleep and the 10 ms deadline share one turn.
    try { await timeout(10, () => sleep(9.7)); log("returned"); } catch (e) { log(e.name); }
    log(`cancelling=${rt.currentTask().cancelling()}`);
    await sleep(5);
    log("main goes on");
  });
  assert.deepEqual(lines, ["TimeoutError", "cancelling=0", "main goes on"]);
  assert.equal(result.status, "done");
});

test("a body that finishes after the deadline fired still withdraws the deadline's request", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const v = await timeout(10, async () => {
      try { await sleep(1000); } catch (e) { log(`body swallows ${e.name}`); }
      return "body's value";
    });
    log(`${v} cancelling=${rt.currentTask().cancelling()}`);
    await sleep(1);
    log("still running");
  });
  assert.deepEqual(lines, ["body swallows CancelledError", "body's value cancelling=0", "still running"]);
});

test("a task that once swallowed a cancel still gets TimeoutError from a later timeout", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const t = sess.spawnTask(async () => {
      try { await sleep(1000); } catch (e) { log(`swallowed ${e.name}`); }
      log(`cancelling=${rt.currentTask().cancelling()}`);
      try { await timeout(10, () => sleep(1000)); } catch (e) { log(e.name); }
      log(`cancelling=${rt.currentTask().cancelling()}`);
    });
    await sleep(1);
    t.cancel();
    await t;
  });
  assert.deepEqual(lines, ["swallowed CancelledError", "cancelling=1", "TimeoutError", "cancelling=1"]);
});

test("a cancel from outside during a timeout stays a CancelledError", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const t = sess.spawnTask(async () => {
      try { await timeout(100, () => sleep(1000)); } catch (e) { log(e.name); throw e; }
    });
    await sleep(10);
    t.cancel();
    try { await t; } catch (e) { log(`await t: ${e.name}`); }
  });
  assert.deepEqual(lines, ["CancelledError", "await t: CancelledError"]);
});

test("outside cancel and deadline in the same turn: the outside cancel wins", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const t = sess.spawnTask(async () => {
      try { await timeout(10, () => sleep(1000)); } catch (e) { log(e.name); throw e; }
    });
    sess.callLater(10, () => t.cancel()); // after the deadline's callback, in the same turn
    try { await t; } catch (e) { log(`await t: ${e.name}`); }
  });
  assert.deepEqual(lines, ["CancelledError", "await t: CancelledError"]);
});
