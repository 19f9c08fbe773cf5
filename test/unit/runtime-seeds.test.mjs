// The behaviours the seeds promise (vuer's async tutorial, asyncio TaskGroups, Pyodide's webloop),
// each checked as an exact sequence of output lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene, states, spawned } from "../helpers/session.mjs";
const { sleep, gather, CancelledError } = rt;

test("two tasks interleave by their sleeps", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const a = async () => { log("A: start"); await sleep(50); log("A: done"); };
    const b = async () => { log("B: start"); await sleep(30); log("B: done"); };
    await gather(a, b);
  });
  assert.deepEqual(lines, ["A: start", "B: start", "B: done", "A: done"]);
});

test("a spawned background counter interleaves with main (spawn schedules, it does not run)", async () => {
  const { lines, messages } = await runScene(async (sess, log) => {
    const task = sess.spawnTask(async () => {
      for (let i = 0; i < 4; i++) { log(`Background: ${i}`); await sleep(100); }
    }, { name: "background_counter" });
    log("spawned"); // the task has not started yet: the spawner runs until its next await
    for (let i = 0; i < 3; i++) { log(`Main: ${i}`); await sleep(45); }
    await task;
    log("Done!");
  });
  // main at 0, 45, 90; background at 0, 100, 200, 300: no two events are closer than 10 ms.
  assert.deepEqual(lines, ["spawned", "Main: 0", "Background: 0", "Main: 1", "Main: 2", "Background: 1", "Background: 2", "Background: 3", "Done!"]);
  const [main, bg] = spawned(messages);
  assert.equal(bg.name, "background_counter");
  assert.equal(bg.parent, main.id);
  assert.deepEqual(states(messages), { [main.id]: "done", [bg.id]: "done" });
});

test("cancelling a ticking task after 2.5 ticks runs its finally and marks it cancelled", async () => {
  const { lines, messages } = await runScene(async (sess, log) => {
    const task = sess.spawnTask(async () => {
      try {
        for (let i = 0; i < 100; i++) { log(`Tick ${i}`); await sleep(100); }
      } finally { log("cleanup"); }
    }, { name: "long_task" });
    await sleep(250);
    assert.equal(task.cancel(), true);
    try { await task; } catch (e) { log(`awaiting it raises ${e.name}`); }
    log(`cancelled=${task.cancelled()} state=${task.state}`);
  });
  assert.deepEqual(lines, ["Tick 0", "Tick 1", "Tick 2", "cleanup", "awaiting it raises CancelledError", "cancelled=true state=cancelled"]);
  assert.equal(spawned(messages).filter((t) => t.name === "long_task").length, 1);
});

test("gather returns results in argument order, whatever order they finish in", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const slow = (t) => async () => { log(`About to sleep for ${t}`); await sleep(t); log(`Slept for ${t}`); return t; };
    const results = await gather(slow(30), slow(10), slow(20));
    log(JSON.stringify(results));
  });
  assert.deepEqual(lines, [
    "About to sleep for 30", "About to sleep for 10", "About to sleep for 20",
    "Slept for 10", "Slept for 20", "Slept for 30", "[30,10,20]",
  ]);
});

test("gather with returnExceptions gives errors in place; without, the first error is raised", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const ok = async () => { await sleep(5); return "ok"; };
    const bad = async () => { await sleep(1); throw new Error("boom"); };
    const r = await gather(ok, bad, { returnExceptions: true });
    log(`${r[0]} ${r[1] instanceof Error ? r[1].message : r[1]}`);
    try { await gather(ok, bad); } catch (e) { log(`raised ${e.message}`); }
  });
  assert.deepEqual(lines, ["ok boom", "raised boom"]);
});

test("a task group whose two children both fail raises both errors together", async () => {
  const { lines, messages } = await runScene(async (sess, log) => {
    try {
      await sess.taskGroup(async (tg) => {
        tg.spawn(async () => { throw new RangeError("First error"); }, { name: "busted-1" });
        tg.spawn(async () => { throw new RangeError("Second error"); }, { name: "busted-2" });
      });
      log("not reached");
    } catch (e) {
      log(`${e.constructor.name}: ${e.errors.map((x) => `${x.name}(${x.message})`).join(", ")}`);
    }
  });
  assert.deepEqual(lines, ["AggregateError: RangeError(First error), RangeError(Second error)"]);
  const failed = spawned(messages).filter((t) => t.name.startsWith("busted"));
  assert.deepEqual(failed.map((t) => states(messages)[t.id]), ["failed", "failed"]);
});

test("a failing child cancels its siblings and the group's body", async () => {
  const { lines } = await runScene(async (sess, log) => {
    try {
      await sess.taskGroup(async (tg) => {
        tg.spawn(async () => { try { await sleep(1000); } finally { log("sibling cancelled"); } });
        tg.spawn(async () => { await sleep(10); throw new Error("child failed"); });
        try { await sleep(1000); } finally { log("body cancelled"); }
      });
    } catch (e) {
      log(`${e.errors.length} error: ${e.errors[0].message}`);
    }
  });
  assert.deepEqual(lines, ["sibling cancelled", "body cancelled", "1 error: child failed"]);
});

test("task group results: the group waits for every child", async () => {
  const { lines } = await runScene(async (sess, log) => {
    let r1, r2, r3;
    await sess.taskGroup(async (tg) => {
      r1 = tg.spawn(async () => { await sleep(30); return 3; });
      r2 = tg.spawn(async () => { await sleep(10); return 1; });
      r3 = tg.spawn(async () => { await sleep(20); return 2; });
    });
    log(`${r1.result()} ${r2.result()} ${r3.result()}`);
  });
  assert.deepEqual(lines, ["3 1 2"]);
});

test("callSoon and callLater run in order; cancelled handles never run", async () => {
  const { lines } = await runScene(async (sess, log) => {
    sess.callLater(50, log, "later 50");
    sess.callSoon(log, "soon 1");
    const dropped = sess.callLater(40, log, "cancelled later");
    sess.callLater(40, log, "later 40");
    const droppedSoon = sess.callSoon(log, "cancelled soon");
    sess.callSoon(log, "soon 2");
    dropped.cancel();
    droppedSoon.cancel();
    log("scheduled");
    const countdown = (n) => { log(n > 0 ? `countdown ${n}` : "DONE"); if (n > 0) sess.callLater(5, countdown, n - 1); };
    sess.callSoon(countdown, 2);
    await sleep(80);
    log(`cancelled=${dropped.cancelled()}`);
  });
  assert.deepEqual(lines, ["scheduled", "soon 1", "soon 2", "countdown 2", "countdown 1", "DONE", "later 40", "later 50", "cancelled=true"]);
});
