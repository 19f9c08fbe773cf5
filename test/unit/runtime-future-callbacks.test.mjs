// A future's done callbacks and task wake-ups are one list, run on the loop in registration order
// (the first is kept in a field of its own, the rest in an array: both must read as one list).
import { test } from "node:test";
import assert from "node:assert/strict";
import { onVirtualTime, rt } from "../helpers/session.mjs";
const { Future, sleep } = rt;

test("done callbacks run in registration order, on the loop, not inside setResult", async () => {
  await onVirtualTime(async () => {
    const f = new Future();
    const seen = [];
    for (const name of ["a", "b", "c"]) f.addDoneCallback((g) => seen.push([name, g.result()]));
    f.setResult(7);
    assert.deepEqual(seen, []);
    await sleep(0);
    assert.deepEqual(seen, [["a", 7], ["b", 7], ["c", 7]]);
  });
});

test("removeDoneCallback removes every registration of that callback, the first one included", async () => {
  await onVirtualTime(async () => {
    for (const [registered, removed, expected] of [
      [["a"], "a", []],
      [["a", "b"], "a", ["b"]],
      [["a", "b", "a", "c"], "a", ["b", "c"]],
      [["a", "b", "c"], "b", ["a", "c"]],
      [["a", "b"], "x", ["a", "b"]],
    ]) {
      const f = new Future();
      const seen = [];
      const fns = Object.fromEntries(["a", "b", "c", "x"].map((n) => [n, () => seen.push(n)]));
      for (const n of registered) f.addDoneCallback(fns[n]);
      f.removeDoneCallback(fns[removed]);
      f.setResult(undefined);
      await sleep(0);
      assert.deepEqual(seen, expected, `${registered} without ${removed}`);
    }
  });
});

test("a callback added after the first removal still runs after the ones left", async () => {
  await onVirtualTime(async () => {
    const f = new Future();
    const seen = [];
    const a = () => seen.push("a");
    f.addDoneCallback(a);
    f.addDoneCallback(() => seen.push("b"));
    f.removeDoneCallback(a);
    f.addDoneCallback(() => seen.push("c"));
    f.cancel();
    await sleep(0);
    assert.deepEqual(seen, ["b", "c"]);
  });
});

test("a task awaiting a future resumes after the callbacks registered before it awaited", async () => {
  await onVirtualTime(async () => {
    const f = new Future();
    const seen = [];
    f.addDoneCallback(() => seen.push("callback"));
    const waiter = new rt.Task(async () => {
      await f;
      seen.push("task resumed");
    });
    await sleep(0);
    f.addDoneCallback(() => seen.push("later callback"));
    f.setResult(1);
    await waiter;
    assert.deepEqual(seen, ["callback", "task resumed", "later callback"]);
  });
});
