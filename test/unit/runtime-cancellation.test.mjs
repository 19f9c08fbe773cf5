// Cancellation edge cases: asyncio's rules, delivered at the task's next suspension point.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene, states, spawned } from "../helpers/session.mjs";
const { sleep, gather, timeout, CancelledError, TimeoutError } = rt;

test("a cancel during finally interrupts the cleanup's own await", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const task = sess.spawnTask(async () => {
      try {
        await sleep(1000);
      } finally {
        log("cleanup starts");
        try { await sleep(1000); log("cleanup finished"); } catch (e) { log(`cleanup interrupted by ${e.name}`); throw e; }
      }
    });
    await sleep(10);
    task.cancel();
    await sleep(10);
    log(`still running: ${!task.done()}`);
    task.cancel();
    await gather(task, { returnExceptions: true });
    log(task.state);
  });
  assert.deepEqual(lines, ["cleanup starts", "still running: true", "cleanup interrupted by CancelledError", "cancelled"]);
});

test("a task may catch CancelledError and go on (it is a request, not a kill)", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const task = sess.spawnTask(async () => {
      try { await sleep(1000); } catch (e) { log(`caught ${e.name}`); }
      await sleep(5);
      return "finished anyway";
    });
    await sleep(5);
    task.cancel();
    log(await task);
  });
  assert.deepEqual(lines, ["caught CancelledError", "finished anyway"]);
});

test("cancelling a task that awaits another task cancels the inner one too", async () => {
  const { lines, messages } = await runScene(async (sess, log) => {
    const inner = sess.spawnTask(async () => {
      try { await sleep(1000); } finally { log("inner finally"); }
    }, { name: "inner" });
    const outer = sess.spawnTask(async () => {
      try { await inner; } finally { log("outer finally"); }
    }, { name: "outer" });
    await sleep(10);
    outer.cancel();
    await gather(outer, { returnExceptions: true });
    log(`outer=${outer.state} inner=${inner.state}`);
  });
  assert.deepEqual(lines, ["inner finally", "outer finally", "outer=cancelled inner=cancelled"]);
  const byName = Object.fromEntries(spawned(messages).map((t) => [t.name, t]));
  assert.equal(byName.outer.parent, byName.main.id);
  assert.equal(states(messages)[byName.inner.id], "cancelled");
});

test("cancelling a gather cancels each of its children", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const child = (n) => async () => { try { await sleep(1000); } finally { log(`child ${n} finally`); } };
    const g = gather(child(1), child(2), child(3));
    await sleep(10);
    g.cancel();
    try { await g; } catch (e) { log(`gather raised ${e.name}`); }
    log(`cancelled=${g.cancelled()}`);
  });
  assert.deepEqual(lines, ["child 1 finally", "child 2 finally", "child 3 finally", "gather raised CancelledError", "cancelled=true"]);
});

test("a task cancelled before it starts never runs", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const t = sess.spawnTask(async () => log("ran"));
    t.cancel();
    await sleep(5);
    log(t.state);
  });
  assert.deepEqual(lines, ["cancelled"]);
});

test("a background exception nobody awaits is reported with its stack", async () => {
  const { lines, messages, diagnostics } = await runScene(async (sess, log) => {
    sess.spawnTask(async function exploder() { await sleep(1); throw new TypeError("nobody is listening"); });
    await sleep(100);
    log("main done");
  }, { unretrievedAfterMs: 20 });
  assert.deepEqual(lines, ["main done"]);
  const failed = messages.find((m) => m.etype === "TASK_STATE" && m.task.state === "failed");
  assert.equal(failed.task.error.name, "TypeError");
  assert.equal(failed.task.error.message, "nobody is listening");
  assert.match(failed.task.error.stack, /exploder/);
  assert.match(failed.task.error.location.file, /runtime-cancellation\.test\.mjs$/);
  const report = diagnostics.join("");
  assert.match(report, /Task exception was never retrieved: exploder/);
  assert.match(report, /TypeError: nobody is listening/);
});

test("an exception that main awaits is not reported as unretrieved", async () => {
  const { diagnostics, lines } = await runScene(async (sess, log) => {
    const t = sess.spawnTask(async () => { throw new Error("seen"); });
    try { await t; } catch (e) { log(e.message); }
  }, { unretrievedAfterMs: 5 });
  assert.deepEqual(lines, ["seen"]);
  assert.equal(diagnostics.join(""), "");
});

test("stopping a session with 1,000 sleeping tasks cancels them all and runs every finally", async () => {
  let finallies = 0;
  let sessRef;
  const started = new Promise((resolve) => {
    runScene(async (sess) => {
      sessRef = sess;
      for (let i = 0; i < 1000; i++) sess.spawnTask(async () => { try { await sleep(3_600_000); } finally { finallies++; } });
      await sleep(10);
      resolve();
      await sess.forever();
    }).then((r) => (result = r));
  });
  let result;
  await started;
  const stopped = await sessRef.stop();
  assert.equal(stopped.status, "stopped");
  assert.equal(finallies, 1000);
  // It ended because every task finished, not because the grace period ran out.
  assert.equal(sessRef.running.length, 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(Object.values(states(result.messages)).filter((s) => s === "cancelled").length, 1001);
});

test("a task stuck in a foreign promise is marked cancelled at once, and sees CancelledError at its next runtime await", async () => {
  const { lines } = await runScene(async (sess, log) => {
    let release;
    const foreign = new Promise((r) => (release = r));
    const t = sess.spawnTask(async () => {
      try {
        await foreign; // not a runtime await: cancel cannot interrupt it
        log("foreign promise resolved");
        await sleep(0); // the next runtime await delivers the cancellation
        log("not reached");
      } finally { log("finally ran"); }
    });
    await sleep(5);
    t.cancel();
    log(`signal aborted=${t.signal.aborted} cancelled=${t.cancelled()}`);
    try { await t; } catch (e) { log(`awaiter sees ${e.name}`); }
    release();
    await sleep(5);
  });
  assert.deepEqual(lines, ["signal aborted=true cancelled=true", "awaiter sees CancelledError", "foreign promise resolved", "finally ran"]);
});

test("timeout() turns its own cancellation into TimeoutError", async () => {
  const { lines } = await runScene(async (sess, log) => {
    try { await timeout(20, () => sleep(1000)); } catch (e) { log(`${e.name}`); }
    log(String(await timeout(100, async () => { await sleep(5); return 42; })));
  });
  assert.deepEqual(lines, ["TimeoutError", "42"]);
});

test("events from the viewer reach on() handlers and nextEvent() waiters", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const off = sess.on("CLICK", (ev) => log(`handler ${ev.key}`));
    sess.callLater(10, () => sess.dispatch({ etype: "CLICK", ts: 0, key: "box" }));
    const ev = await sess.nextEvent("CLICK", { timeoutMs: 1000 });
    log(`waiter ${ev.key}`);
    off();
    sess.dispatch({ etype: "CLICK", ts: 0, key: "ignored" });
    try { await sess.nextEvent("CLICK", { timeoutMs: 10 }); } catch (e) { log(e.name); }
  });
  assert.deepEqual(lines, ["handler box", "waiter box", "TimeoutError"]);
});

test("scene operations produce vuer's envelopes and reject malformed nodes at the call", async () => {
  const { messages, lines } = await runScene(async (sess, log) => {
    sess.set(rt.Scene({ key: "scene" }, rt.Box({ key: "a" })));
    sess.upsert([rt.Box({ key: "b", color: "red" }), rt.Sphere({ key: "c" })], { to: "a" });
    sess.update({ key: "b", color: "blue" });
    sess.add(rt.Group({ key: "g" }));
    sess.remove(["a"]);
    try { sess.upsert({ key: "x" }); } catch (e) { log(e.message); }
  });
  const scene = messages.filter((m) => ["SET", "UPSERT", "UPDATE", "ADD", "REMOVE"].includes(m.etype));
  assert.deepEqual(scene.map((m) => m.etype), ["SET", "UPSERT", "UPDATE", "ADD", "REMOVE"]);
  assert.deepEqual(scene[1].data, { nodes: [{ tag: "Box", key: "b", color: "red" }, { tag: "Sphere", key: "c" }], to: "a" });
  assert.deepEqual(scene[4].data, { keys: ["a"] });
  assert.deepEqual(lines, ["sess.upsert(): a node needs a string tag (use a factory such as Box({...}))"]);
});

test("nodes made without a key get stable, distinct keys", () => {
  const a = rt.TorusKnot({});
  const b = rt.TorusKnot();
  assert.match(a.key, /^TorusKnot-\d+$/);
  assert.notEqual(a.key, b.key);
  assert.equal(rt.node("SomethingNew", { key: "k" }).tag, "SomethingNew");
});

test("cancelling a timer that already fired (timeout's cleanup) leaves other sleepers on time", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const sleeper = sess.spawnTask(async () => { await sleep(200); log("sleeper woke"); });
    try { await timeout(20, () => sleep(100_000)); } catch (e) { log(e.name); }
    const fired = sess.callLater(5, () => log("callback ran"));
    await sleep(20);
    fired.cancel(); // after it ran: must change nothing
    await sleeper;
  });
  assert.deepEqual(lines, ["TimeoutError", "callback ran", "sleeper woke"]);
});

test("a CancelledError carries its name and message, and no frames (none are captured for it)", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const task = sess.spawnTask(() => sleep(1000));
    await sleep(0);
    task.cancel("enough");
    const [e] = await gather(task, { returnExceptions: true });
    log(`${e instanceof CancelledError} ${e instanceof Error} ${e.name} ${JSON.stringify(e.message)}`);
    log(JSON.stringify(e.stack));
    log(String(new CancelledError()));
  });
  assert.deepEqual(lines, ["true true CancelledError \"task was cancelled\"", JSON.stringify("CancelledError: task was cancelled"), "CancelledError: task was cancelled"]);
});
