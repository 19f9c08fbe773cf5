// The seed patterns as Python programs run through the real CLI: exact output, and the
// --events lines (tasks, parents, end states, upserts with their keys).
import assert from "node:assert/strict";
import { test } from "node:test";
import { hasModule, lineOf, py, runWithEvents, states, taskNamed, tasks } from "./helpers.mjs";

const PY = "python3";

function assertSession(events, name, status) {
  assert.equal(events[0].etype, "SESSION_START");
  assert.deepEqual([events[0].file, events[0].runtime], [py(name), "python"]);
  const end = events.at(-1);
  assert.deepEqual([end.etype, end.status], ["SESSION_END", status]);
}

test("vuer spawn_task: a background counter interleaves with main", async () => {
  const r = await runWithEvents("counter.py");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    ["Main: 0", "Background: 0", "Background: 1", "Background: 2", "Main: 1", "Background: 3", "Background: 4", "Main: 2", "Done!", ""].join("\n"),
  );
  assertSession(r.events, "counter.py", "done");
  const main = taskNamed(r.events, "main");
  const counter = taskNamed(r.events, "background_counter");
  assert.deepEqual(main, { id: main.id, name: "main", parent: null, file: py("counter.py"), line: lineOf("counter.py", "@app.spawn") });
  assert.deepEqual(counter, { id: counter.id, name: "background_counter", parent: main.id, file: py("counter.py"), line: lineOf("counter.py", "sess.spawn_task(") });
  assert.deepEqual(states(r.events), { [main.id]: "done", [counter.id]: "done" });
  assert.equal(tasks(r.events).length, 2, "the runner's own tasks stay hidden");
});

test("plain asyncio: a ticking task cancelled after 2.5 ticks runs its finally", async () => {
  const r = await runWithEvents("ticker.py");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "Tick 0\nTick 1\nTick 2\nticker stopped after 3 ticks\ncancelled: True\n");
  assertSession(r.events, "ticker.py", "done");
  const main = taskNamed(r.events, "main");
  const ticker = taskNamed(r.events, "ticker");
  assert.deepEqual([main.parent, main.line], [null, lineOf("ticker.py", "asyncio.run(main())")]);
  assert.deepEqual([ticker.parent, ticker.line], [main.id, lineOf("ticker.py", "asyncio.create_task(ticker())")]);
  assert.deepEqual(states(r.events), { [main.id]: "done", [ticker.id]: "cancelled" });
});

test("gather and TaskGroup: results in call order, grouped errors, cancelled siblings", async () => {
  const r = await runWithEvents("gather_taskgroup.py");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      "start a", "start b", "start c", "end b", "end c", "end a", "['A', 'B', 'C']",
      "start x", "start y", "end y", "end x", "X Y",
      "(RuntimeError('first error'), RuntimeError('second error'))",
      "start victim", "group: ['boom']",
      "start d", "end d", "[RuntimeError('kept'), 'D']", "",
    ].join("\n"),
  );
  const main = taskNamed(r.events, "main");
  const all = tasks(r.events);
  assert.ok(all.every((t) => t === main || t.parent === main.id), "every task was created by main");
  const gatherLine = lineOf("gather_taskgroup.py", 'work("a", 0.3)');
  assert.deepEqual(all.filter((t) => t.line === gatherLine).map((t) => t.name), ["work", "work", "work"]);
  // Names given to TaskGroup.create_task are reported (asyncio sets them after creation).
  assert.equal(taskNamed(r.events, "tg-x").line, lineOf("gather_taskgroup.py", 'name="tg-x"'));
  const end = states(r.events);
  assert.equal(end[taskNamed(r.events, "boom").id], "failed");
  assert.equal(end[taskNamed(r.events, "victim").id], "cancelled");
  const failures = r.events.filter((m) => m.etype === "TASK_STATE" && m.task.state === "failed").map((m) => m.task.error);
  assert.deepEqual(failures.map((e) => e.message), ["first error", "second error", "boom", "kept"]);
  const raiseLine = lineOf("gather_taskgroup.py", "raise RuntimeError(message)");
  for (const e of failures) {
    assert.deepEqual([e.name, e.location], ["RuntimeError", { file: py("gather_taskgroup.py"), line: raiseLine }]);
    assert.match(e.stack, /^Traceback \(most recent call last\):\n/);
  }
  assert.equal(Object.values(end).filter((s) => s === "done").length, 7); // main, 3 gathered, tg-x, tg-y, d
});

const BOX_OUTPUT = [
  "Background task running: 0",
  "Background task running: 1",
  "Background task running: 2",
  "animation done",
  "background task cancelled after 3 ticks",
  "",
].join("\n");

function checkAnimatedBox(r, name) {
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, BOX_OUTPUT);
  assertSession(r.events, name, "done");
  const boxes = r.events.filter((m) => m.etype === "UPSERT" && m.data.nodes[0].tag === "Box");
  assert.equal(boxes.length, 100);
  assert.ok(boxes.every((m) => m.data.to === null && m.data.nodes.length === 1 && m.data.nodes[0].key === "animated-box"));
  assert.deepEqual(boxes[0].data.nodes[0], { tag: "Box", key: "animated-box", args: [0.1, 0.1, 0.1], position: [0.5, 0.05, 0], color: "red", materialType: "standard" });
  const [x, y, z] = boxes[99].data.nodes[0].position;
  assert.ok(Math.abs(x - 0.5 * Math.cos(9.9)) < 1e-6 && y === 0.05 && Math.abs(z - 0.5 * Math.sin(9.9)) < 1e-6);
  const main = taskNamed(r.events, "main");
  const bg = taskNamed(r.events, "background_task");
  assert.equal(bg.parent, main.id);
  assert.equal(bg.line, lineOf(name, "session.spawn_task("));
  assert.deepEqual(states(r.events), { [main.id]: "done", [bg.id]: "cancelled" });
}

test("animated box (no numpy): 100 upserts while a background task runs, cancelled at the end", async () => {
  checkAnimatedBox(await runWithEvents("animated_box.py"), "animated_box.py");
});

test("animated box with numpy: numpy values and a numpy point cloud as binary", { skip: !hasModule(PY, "numpy") && "numpy is not installed for python3" }, async () => {
  const r = await runWithEvents("animated_box_numpy.py");
  checkAnimatedBox(r, "animated_box_numpy.py");
  const cloud = r.events.find((m) => m.etype === "UPSERT" && m.data.nodes[0].key === "cloud").data.nodes[0];
  assert.ok(cloud.vertices instanceof Float32Array);
  assert.deepEqual([...cloud.vertices], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.ok(cloud.colors instanceof Uint8Array);
  assert.deepEqual([...cloud.colors], [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
});

test("numpy absent: a program without numpy still runs; one that imports it fails at its import line", async () => {
  const env = { PYTHONPATH: py("no_numpy") }; // a numpy package that refuses to import
  const ok = await runWithEvents("animated_box.py", [], { env });
  checkAnimatedBox(ok, "animated_box.py");
  const bad = await runWithEvents("animated_box_numpy.py", [], { env });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, "");
  assert.equal(
    bad.stderr,
    `Traceback (most recent call last):\n  File "${py("animated_box_numpy.py")}", line ${lineOf("animated_box_numpy.py", "import numpy")}, in <module>\n    import numpy as np\nModuleNotFoundError: import of numpy halted; None in sys.modules\n`,
  );
  const end = bad.events.at(-1);
  assert.deepEqual([end.status, end.error.name, end.error.location], ["failed", "ModuleNotFoundError", { file: py("animated_box_numpy.py"), line: lineOf("animated_box_numpy.py", "import numpy as np") }]);
});
