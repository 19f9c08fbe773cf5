// Smoke tests on the real clock (every other runtime test runs on virtual time). The gaps are
// wide and the assertions are about order only, so a loaded machine cannot flip them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, runScene } from "../helpers/session.mjs";
const { sleep, gather, timeout } = rt;
const realTime = { realTime: true };

test("real time: a short sleep finishes before a long one", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const a = async () => { await sleep(300); log("long"); };
    const b = async () => { await sleep(0); log("short"); };
    await gather(a, b);
  }, realTime);
  assert.deepEqual(lines, ["short", "long"]);
});

test("real time: sleep waits at least its time", async () => {
  const { lines } = await runScene(async (sess, log) => {
    const t0 = performance.now();
    await sleep(50);
    log(performance.now() - t0 >= 49 ? "waited" : "too early");
  }, realTime);
  assert.deepEqual(lines, ["waited"]);
});

test("real time: timeout() fires on a sleep that would take a minute", async () => {
  const { lines } = await runScene(async (sess, log) => {
    try { await timeout(20, () => sleep(60_000)); } catch (e) { log(e.name); }
    await sleep(1);
    log("main goes on");
  }, realTime);
  assert.deepEqual(lines, ["TimeoutError", "main goes on"]);
});

test("real time: a session ends when main returns, cancelling a ticker", async () => {
  const { lines, result } = await runScene(async (sess, log) => {
    sess.spawnTask(async () => { try { for (;;) await sleep(10); } finally { log("ticker finally"); } });
    await sleep(30);
    log("main returns");
  }, realTime);
  assert.deepEqual(lines, ["main returns", "ticker finally"]);
  assert.equal(result.status, "done");
});
