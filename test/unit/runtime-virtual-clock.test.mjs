// The loop's clock seam: new EventLoop({ clock }) with a VirtualClock that jumps to the next
// timer whenever nothing is ready, so tests neither wait nor depend on machine load.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rt, onVirtualTime, runScene } from "../helpers/session.mjs";
const { sleep, gather } = rt;

test("an hour of sleeping takes no real time, and timers fire in deadline order", async () => {
  await onVirtualTime(async (clock) => {
    const started = performance.now();
    const { lines } = await runScene(async (sess, log) => {
      const at = (ms, name) => async () => { await sleep(ms); log(`${name} at ${rt.currentTask() && clock.now()}`); };
      await gather(at(3_600_000, "hour"), at(1, "one"), at(60_000, "minute"));
    }, { realTime: true }); // already on the virtual loop set up above
    assert.deepEqual(lines, ["one at 1", "minute at 60000", "hour at 3600000"]);
    assert.ok(performance.now() - started < 5_000);
  });
});

test("time does not move while something is ready", async () => {
  await onVirtualTime(async (clock) => {
    const { lines } = await runScene(async (sess, log) => {
      const t0 = clock.now();
      for (let i = 0; i < 100; i++) await sleep(0);
      log(`after 100 zero sleeps: +${clock.now() - t0}`);
      sess.callLater(10, () => log(`callLater(10) at +${clock.now() - t0}`));
      await sleep(20);
    }, { realTime: true });
    assert.deepEqual(lines, ["after 100 zero sleeps: +0", "callLater(10) at +10"]);
  });
});

test("each loop keeps its own clock; the process loop is back on real time afterwards", async () => {
  const real = rt.setEventLoop(new rt.EventLoop());
  rt.setEventLoop(real);
  assert.ok(real.time() > 0);
  const loop = new rt.EventLoop({ clock: new rt.VirtualClock(500) });
  assert.equal(loop.time(), 500);
  const fired = [];
  await new Promise((resolve) => {
    loop.callLater(250, () => fired.push(loop.time()));
    loop.callLater(100, () => fired.push(loop.time()));
    loop.callLater(300, resolve);
  });
  assert.deepEqual(fired, [600, 750]);
});
