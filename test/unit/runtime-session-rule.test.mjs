// Items 5 and 7 of issue 11: when main ends the rest is cancelled (asyncio.run, vuer), and a
// task stuck in a foreign promise is "cancelling" until its body exits; stop waits for bodies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene, spawned, states, history } from "../helpers/session.mjs";
const { sleep } = rt;

test("when main returns, the tasks it left are cancelled, their finally blocks run, the session is done", async () => {
  const { lines, result, messages, sess } = await runScene(async (sess, log) => {
    sess.spawnTask(async () => {
      try { for (let i = 0; ; i++) { log(`tick ${i}`); await sleep(100); } } finally { log("ticker finally"); }
    }, { name: "ticker" });
    sess.spawnTask(async () => {
      try { await sleep(3_600_000); } finally { await sleep(10); log("slow cleanup done"); }
    }, { name: "cleaner" });
    await sleep(250);
    log("main returns");
  });
  assert.deepEqual(lines, ["tick 0", "tick 1", "tick 2", "main returns", "ticker finally", "slow cleanup done"]);
  assert.equal(result.status, "done");
  assert.equal(sess.running.length, 0);
  assert.deepEqual(Object.values(states(messages)), ["done", "cancelled", "cancelled"]);
});

test("when main raises, the rest is cancelled the same way and the session fails", async () => {
  const { lines, result } = await runScene(async (sess, log) => {
    sess.spawnTask(async () => { try { await sleep(3_600_000); } finally { log("background finally"); } });
    await sleep(1);
    throw new RangeError("main broke");
  });
  assert.deepEqual(lines, ["background finally"]);
  assert.equal(result.status, "failed");
  assert.equal(result.error.message, "main broke");
});

/** A promise the program resolves when it has got somewhere (no real-time waiting in these tests). */
function signal() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

test("sess.forever() keeps the session alive until it is stopped", async () => {
  let sessRef;
  const inForever = signal();
  const run = runScene(async (sess, log) => {
    sessRef = sess;
    sess.spawnTask(async () => { try { await new rt.Event().wait(); } finally { log("worker finally"); } });
    await sleep(3_600_000); // virtual time runs through it: the session is still alive after
    try { inForever.resolve(); await sess.forever(); } finally { log("main finally"); }
  });
  await inForever.promise;
  await new Promise((r) => setImmediate(r));
  assert.equal(sessRef.running.length, 2);
  const stopped = await sessRef.stop();
  const { lines } = await run;
  assert.equal(stopped.status, "stopped");
  assert.deepEqual(lines, ["worker finally", "main finally"]);
});

test("a task stuck in a foreign promise is cancelling until its body exits; stop waits for that", async () => {
  let release;
  let sessRef;
  let stuck;
  const cancelled = signal();
  const run = runScene(async (sess, log) => {
    sessRef = sess;
    const foreign = new Promise((r) => (release = r));
    stuck = sess.spawnTask(async () => {
      try { await foreign; log("foreign resolved"); await sleep(0); } finally { log("stuck finally"); }
    }, { name: "stuck" });
    await sleep(1);
    stuck.cancel();
    log(`after cancel: state=${stuck.state} cancelled=${stuck.cancelled()}`);
    cancelled.resolve();
    await sess.forever();
  }, { stopGraceMs: 60_000 });
  await cancelled.promise;
  let stopResolved = false;
  const mainTask = sessRef.running.find((t) => t.name === "main");
  const stopping = sessRef.stop().then((r) => ((stopResolved = true), r));
  await mainTask.asPromise().catch(() => {}); // main has ended: only the stuck body is left
  await new Promise((r) => setImmediate(r));
  assert.equal(stopResolved, false, "stop() waits for the stuck body");
  assert.deepEqual(sessRef.running.map((t) => t.name), ["stuck"]);
  release();
  assert.equal((await stopping).status, "stopped");
  const { lines, messages } = await run;
  assert.deepEqual(lines, ["after cancel: state=cancelling cancelled=true", "foreign resolved", "stuck finally"]);
  const id = spawned(messages).find((t) => t.name === "stuck").id;
  assert.deepEqual(history(messages, id), ["cancelling", "cancelled"]);
  assert.equal(stuck.state, "cancelled");
});

test("a stop with a task stuck in a foreign promise reports it as cancelling, then ends after the grace period", async () => {
  let sessRef;
  const started = signal();
  const run = runScene(async (sess, log) => {
    sessRef = sess;
    sess.spawnTask(async () => { await new Promise(() => {}); }, { name: "never" });
    await sleep(1); // "never" has started and waits on its foreign promise
    started.resolve();
    await sess.forever();
  }, { stopGraceMs: 30 });
  await started.promise;
  const keepAlive = setInterval(() => {}, 1000); // the grace timer is unref'd: in the runner the pipe keeps the process up
  const stopped = await sessRef.stop();
  clearInterval(keepAlive);
  assert.equal(stopped.status, "stopped");
  const { messages } = await run;
  const id = spawned(messages).find((t) => t.name === "never").id;
  assert.deepEqual(history(messages, id), ["cancelling"]);
});

test("cancelling a task from the tree reports cancelling, then its end", async () => {
  const { messages } = await runScene(async (sess) => {
    const t = sess.spawnTask(async () => { try { await sleep(1000); } finally { await sleep(5); } }, { name: "slow" });
    await sleep(1);
    sess.cancelTask(t.id);
    await rt.gather(t, { returnExceptions: true });
  });
  const id = spawned(messages).find((t) => t.name === "slow").id;
  assert.deepEqual(history(messages, id), ["cancelling", "cancelled"]);
});

test("timeout() and task groups cancel without showing the task as cancelling", async () => {
  const { messages } = await runScene(async (sess) => {
    try { await rt.timeout(5, () => sleep(100)); } catch {}
  });
  assert.deepEqual(Object.values(states(messages)), ["done"]);
  assert.equal(messages.filter((m) => m.etype === "TASK_STATE").length, 1);
});

test("after main, tasks spawned by cleanup code are cancelled once the first round is gone", async () => {
  const { lines, result } = await runScene(async (sess, log) => {
    sess.spawnTask(async () => {
      try { await sleep(3_600_000); } finally {
        const [r] = await rt.gather(async () => { await sleep(10); return "cleanup helper ran"; });
        log(r);
        sess.spawnTask(async () => { try { await new rt.Event().wait(); } finally { log("late task cancelled"); } });
        await sleep(0); // the late task starts (one cancelled before it starts never runs at all)
      }
    });
    await sleep(1);
  });
  assert.deepEqual(lines, ["cleanup helper ran", "late task cancelled"]);
  assert.equal(result.status, "done");
});
