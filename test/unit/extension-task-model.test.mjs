// The extension's task model: nesting by spawner, one end per task, elapsed time, counts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { TaskModel, formatElapsed } = await loadTs("src/extension/sessions/task-model.ts");

const spawn = (m, id, parent, ts = 0, extra = {}) => m.spawn({ id, name: `task-${id}`, parent, ...extra }, ts);

test("tasks nest under the task that spawned them, in spawn order", () => {
  const m = new TaskModel();
  spawn(m, "t1", null);
  spawn(m, "t2", "t1");
  spawn(m, "t3", "t2");
  spawn(m, "t4", "t1");
  assert.deepEqual(m.roots().map((t) => t.id), ["t1"]);
  assert.deepEqual(m.children("t1").map((t) => t.id), ["t2", "t4"]);
  assert.deepEqual(m.children("t2").map((t) => t.id), ["t3"]);
  assert.deepEqual(m.children("t3"), []);
});

test("a task whose spawner was never reported becomes a root, not an orphan", () => {
  const m = new TaskModel();
  spawn(m, "t1", null);
  spawn(m, "t5", "hidden-runner-task");
  assert.deepEqual(m.roots().map((t) => t.id), ["t1", "t5"]);
  assert.equal(m.get("t5").parent, null);
});

test("the creation location is kept as reported", () => {
  const m = new TaskModel();
  const t = spawn(m, "t1", null, 0, { file: "/w/a.ts", line: 12, column: 3 });
  assert.equal(t.file, "/w/a.ts");
  assert.equal(t.line, 12);
  assert.equal(t.column, 3);
});

test("a task ends once: a late state does not overwrite the first end", () => {
  const m = new TaskModel();
  spawn(m, "t1", null, 100);
  const error = { name: "ValueError", message: "boom", location: { file: "/w/a.py", line: 7 } };
  assert.equal(m.setState("t1", "failed", 250, error), true);
  assert.equal(m.setState("t1", "cancelled", 300), false);
  assert.equal(m.get("t1").state, "failed");
  assert.equal(m.get("t1").endedAt, 250);
  assert.deepEqual(m.get("t1").error, error);
  assert.equal(m.setState("nope", "done", 1), false);
});

test("elapsed runs until now while running, and stops at the end", () => {
  const m = new TaskModel();
  const t = spawn(m, "t1", null, 1000);
  assert.equal(m.elapsedMs(t, 1500), 500);
  m.setState("t1", "done", 1800);
  assert.equal(m.elapsedMs(t, 99_999), 800);
});

test("endAll marks what never reported an end as cancelled, and only that", () => {
  const m = new TaskModel();
  spawn(m, "t1", null);
  spawn(m, "t2", "t1");
  spawn(m, "t3", "t1");
  m.setState("t2", "done", 5);
  assert.equal(m.endAll(9), 2);
  assert.deepEqual(m.counts(), { total: 3, running: 0, cancelling: 0, done: 1, failed: 0, cancelled: 2 });
  assert.equal(m.get("t3").endedAt, 9);
});

test("counts follow the states", () => {
  const m = new TaskModel();
  for (const id of ["a", "b", "c", "d"]) spawn(m, id, null);
  m.setState("b", "done", 1);
  m.setState("c", "failed", 1, { name: "E", message: "x" });
  assert.deepEqual(m.counts(), { total: 4, running: 2, cancelling: 0, done: 1, failed: 1, cancelled: 0 });
});

test("cancelling lies between running and an end: still counted as running, then ends once", () => {
  const m = new TaskModel();
  spawn(m, "t1", null, 0);
  spawn(m, "t2", null, 0);
  assert.equal(m.setState("t1", "cancelling", 10), true);
  assert.equal(m.setState("t1", "cancelling", 11), false, "a second request changes nothing");
  assert.equal(m.get("t1").state, "cancelling");
  assert.equal(m.get("t1").endedAt, undefined, "its code still runs");
  assert.deepEqual(m.counts(), { total: 2, running: 2, cancelling: 1, done: 0, failed: 0, cancelled: 0 });
  // A task that takes the cancel back (asyncio's uncancel) runs on.
  assert.equal(m.setState("t1", "running", 12), true);
  assert.deepEqual(m.counts(), { total: 2, running: 2, cancelling: 0, done: 0, failed: 0, cancelled: 0 });
  assert.equal(m.setState("t2", "running", 13), false, "a running task is already running");
  assert.equal(m.setState("t1", "cancelling", 14), true);
  // Its finally blocks may still fail it, or it may swallow the cancel and return.
  assert.equal(m.setState("t1", "done", 20), true);
  assert.equal(m.get("t1").endedAt, 20);
  assert.deepEqual(m.counts(), { total: 2, running: 1, cancelling: 0, done: 1, failed: 0, cancelled: 0 });
  assert.equal(m.setState("t1", "cancelling", 30), false, "a finished task is not cancelling");
  // A killed process leaves it cancelled.
  m.setState("t2", "cancelling", 40);
  assert.equal(m.endAll(50), 1);
  assert.deepEqual(m.counts(), { total: 2, running: 0, cancelling: 0, done: 1, failed: 0, cancelled: 1 });
});

test("elapsed time is short and readable", () => {
  assert.equal(formatElapsed(0), "0.0s");
  assert.equal(formatElapsed(1234), "1.2s");
  assert.equal(formatElapsed(59_999), "59.9s");
  assert.equal(formatElapsed(185_000), "3m 05s");
  assert.equal(formatElapsed(3_725_000), "1h 02m");
});
