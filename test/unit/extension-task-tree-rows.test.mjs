// How the Tasks view folds repeated runs into one row, and which rows it redraws.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { TaskModel } = await loadTs("src/extension/sessions/task-model.ts");
const { GROUP_MIN, RUNS_SHOWN, groupSiblings, shownRuns, summarise, SiblingKinds, runKey } = await loadTs("src/extension/tasks/run-groups.ts");
const { outermostRows } = await loadTs("src/extension/tasks/refresh-plan.ts");

const site = { file: "/w/prog.py", line: 12 };

function model(spec) {
  const m = new TaskModel();
  spec.forEach(([id, name, extra = {}], i) => m.spawn({ id, name, parent: null, ...site, ...extra }, i));
  return m;
}

test("runs of one handler fold into one row in the place of the first; others stay rows", () => {
  const m = model([
    ["a", "main", { line: 1 }],
    ["b", "on_click"],
    ["c", "worker", { line: 20 }],
    ["d", "on_click"],
    ["e", "on_click"],
    ["f", "on_click"],
  ]);
  const rows = groupSiblings(m.roots());
  assert.deepEqual(
    rows.map((r) => (r.kind === "runs" ? `runs:${r.name}×${r.members.length}` : r.id)),
    ["a", "runs:on_click×4", "c"],
  );
});

test("fewer than GROUP_MIN runs stay separate rows", () => {
  const m = model(Array.from({ length: GROUP_MIN - 1 }, (_, i) => [`t${i}`, "on_click"]));
  assert.ok(groupSiblings(m.roots()).every((r) => r.kind !== "runs"));
});

test("the same name from another line is another kind (two handlers both called handler)", () => {
  const m = model([
    ["a", "handler", { line: 3 }],
    ["b", "handler", { line: 3 }],
    ["c", "handler", { line: 9 }],
    ["d", "handler", { line: 3 }],
  ]);
  const rows = groupSiblings(m.roots());
  assert.equal(rows.length, 2);
  assert.equal(rows[0].kind, "runs");
  assert.equal(rows[0].members.length, 3);
  assert.equal(rows[1].id, "c");
});

test("a group lists every live run and the last RUNS_SHOWN finished ones, in spawn order", () => {
  const n = RUNS_SHOWN + 6;
  const m = model(Array.from({ length: n }, (_, i) => [`t${i}`, "on_click"]));
  for (let i = 0; i < n; i++) if (i !== 1) m.setState(`t${i}`, i % 4 === 0 ? "failed" : "done", 100 + i);
  const shown = shownRuns(m.roots()).map((t) => t.id);
  const lastFinished = Array.from({ length: n }, (_, i) => `t${i}`).filter((id) => id !== "t1").slice(-RUNS_SHOWN);
  assert.deepEqual(shown, ["t1", ...lastFinished]);
  const sum = summarise(m.roots());
  assert.equal(sum.total, n);
  assert.equal(sum.live, 1);
  assert.equal(sum.byState.failed, [0, 4, 8].filter((i) => i < n).length);
  assert.equal(sum.last.id, `t${n - 1}`);
});

test("SiblingKinds counts per parent and kind, and forgets a cleared session", () => {
  const k = new SiblingKinds();
  const t = { name: "on_click", ...site };
  for (let i = 1; i <= GROUP_MIN; i++) assert.equal(k.add("s1/", t), i);
  assert.ok(k.grouped("s1/", t));
  assert.ok(!k.grouped("s1/main", t), "another parent counts apart");
  assert.ok(!k.grouped("s1/", { ...t, line: 99 }), "another site counts apart");
  k.add("s2/", t);
  k.forget("s1/");
  assert.equal(k.count("s1/", t), 0);
  assert.equal(k.count("s2/", t), 1);
  assert.notEqual(runKey({ name: "a:b", file: "c" }), runKey({ name: "a", file: "b:c" }));
});

test("a redraw names only the outermost changed rows", () => {
  const dirty = new Map([
    ["s1/t3", { node: "t3", ancestors: ["s1/t1", "s1"] }],
    ["s1/t1", { node: "t1", ancestors: ["s1"] }],
    ["s1/t9", { node: "t9", ancestors: ["s1/t8", "s1"] }],
    ["s2", { node: "s2", ancestors: [] }],
    ["s2/t1", { node: "s2t1", ancestors: ["s2"] }],
  ]);
  assert.deepEqual(outermostRows(dirty).sort(), ["s2", "t1", "t9"]);
});
