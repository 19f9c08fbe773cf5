// Items 2-4 of issue 11: wake-ups, done callbacks and loop callbacks in asyncio's order,
// and callbacks that run as no task. On virtual time (see test/helpers/session.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene } from "../helpers/session.mjs";
const { sleep, gather, Event, currentTask } = rt;

test("cancel() right after the task was woken is delivered at its wait (finally runs before await returns)", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const ev = new Event();
    const t = sess.spawnTask(async () => {
      try {
        await ev.wait();
        log("woke normally");
      } catch (e) {
        log(`t sees ${e.name} at the wait`);
        throw e;
      } finally {
        log("t finally");
      }
    });
    await sleep(0);
    ev.set();
    t.cancel();
    log(`state after cancel: ${t.state}, done=${t.done()}`);
    try { await t; } catch (e) { log(`await t: ${e.name}`); }
  });
  assert.deepEqual(lines, ["state after cancel: cancelling, done=false", "t sees CancelledError at the wait", "t finally", "await t: CancelledError"]);
});

test("a done callback registered before the awaiter runs first: its cancel reaches the awaiter", async () => {
  const { lines } = await runScene(async (sess, log) => {
    let w;
    const inner = sess.spawnTask(async () => { await sleep(0); return 1; });
    inner.addDoneCallback(() => log(`callback: cancel(W) = ${w.cancel()}`));
    w = sess.spawnTask(async () => {
      try { log(`W got ${await inner}`); } catch (e) { log(`W sees ${e.name}`); }
    });
    await gather(w, { returnExceptions: true });
  });
  assert.deepEqual(lines, ["callback: cancel(W) = true", "W sees CancelledError"]);
});

test("a done callback registered after the awaiter runs after the awaiter's step", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const inner = sess.spawnTask(async () => { await sleep(0); return 1; });
    const w = sess.spawnTask(async () => {
      log(`W got ${await inner}`);
      await sleep(0);
      log("W after one more turn");
    });
    await sleep(0); // W is now waiting on inner
    inner.addDoneCallback(() => log("callback"));
    await w;
  });
  assert.deepEqual(lines, ["W got 1", "callback", "W after one more turn"]);
});

test("steps and callbacks of one turn run one after another, in queue order", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const helper = async (name) => { await sleep(0); log(`${name} inner`); };
    const a = sess.spawnTask(async () => { await helper("a"); log("a outer"); });
    sess.callSoon(() => log("callback 1"));
    const b = sess.spawnTask(async () => { await helper("b"); log("b outer"); });
    await gather(a, b);
  });
  // a's whole step (two nested awaits) runs before the callback queued after it.
  assert.deepEqual(lines, ["callback 1", "a inner", "a outer", "b inner", "b outer"]);
});

test("callSoon and callLater callbacks run as no task", async () => {
  const { lines } = await runScene(async (sess, log) => {
    sess.callSoon(() => log(`soon: ${currentTask()?.name ?? "no task"}`));
    sess.callLater(5, () => log(`later: ${currentTask()?.name ?? "no task"}`));
    rt.Future.prototype.addDoneCallback.call(sess.spawnTask(async () => {}), () => log(`done callback: ${currentTask()?.name ?? "no task"}`));
    await sleep(10);
  });
  assert.deepEqual(lines, ["soon: no task", "done callback: no task", "later: no task"]);
});

test("an async callback started from inside a task does not take over that task's waits", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const w = sess.spawnTask(async () => {
      sess.callSoon(async () => {
        log(`callback runs as ${currentTask()?.name ?? "no task"}`);
        await sleep(50);
        log("callback slept");
      });
      try { await sleep(100); log("W finished: the cancel was lost"); } catch (e) { log(`W sees ${e.name}`); }
    }, { name: "W" });
    await sleep(10);
    w.cancel();
    await gather(w, { returnExceptions: true });
    await sleep(100);
  });
  assert.deepEqual(lines, ["callback runs as no task", "W sees CancelledError", "callback slept"]);
});

test("sleep(0) is one turn: two tasks alternate, a cancel during it arrives at the resume", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const pinger = (name) => async () => { for (let i = 0; i < 3; i++) { log(`${name}${i}`); await sleep(0); } };
    await gather(pinger("a"), pinger("b"));
    const t = sess.spawnTask(async () => { try { await sleep(0); log("not reached"); } catch (e) { log(`yield sees ${e.name}`); } });
    await sleep(0); // t is inside its sleep(0)
    t.cancel();
    await t;
  });
  assert.deepEqual(lines, ["a0", "b0", "a1", "b1", "a2", "b2", "yield sees CancelledError"]);
});
