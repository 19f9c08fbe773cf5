// The timeline strip's layout (lanes in tree order, time <-> x) and what the host sends it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { layoutLanes, TimeScale, laneAt, aliveAt, formatTime } = await loadTs("webview/timeline/lanes.ts");
const { timelineMessage, MAX_SPANS } = await loadTs("src/extension/viewer/timeline-feed.ts");
const { validateToViewer } = await loadTs("src/protocol/viewer.ts");

const span = (id, parent, start, end, state = end === undefined ? "running" : "done") => ({ id, name: id, parent, start, ...(end !== undefined ? { end } : {}), state });

test("lanes follow the task tree: a task right under its spawner, children by start", () => {
  const lanes = layoutLanes([span("main", null, 0), span("b", "main", 50, 90), span("a", "main", 10, 20), span("a1", "a", 12, 15), span("orphan", "gone", 5, 6)]);
  assert.deepEqual(lanes.map((l) => `${"  ".repeat(l.depth)}${l.span.id}`), ["main", "  a", "    a1", "  b", "orphan"]);
});

test("a parent cycle in bad input draws each task once, and deep chains do not overflow", () => {
  const cyc = layoutLanes([span("x", "y", 0), span("y", "x", 1), span("r", null, 2)]);
  assert.deepEqual(cyc.map((l) => l.span.id), ["r"]);
  const deep = Array.from({ length: 20000 }, (_, i) => span(`t${i}`, i ? `t${i - 1}` : null, i));
  assert.equal(layoutLanes(deep).length, 20000);
});

test("time <-> x round-trips and clamps; lanes are hit by y; alive means spawned and not ended", () => {
  const s = new TimeScale(0, 1000, 500);
  assert.equal(s.x(500), 250);
  assert.equal(s.t(250), 500);
  assert.equal(s.t(-10), 0);
  assert.equal(s.t(9999), 1000);
  const lanes = layoutLanes([span("a", null, 0), span("b", null, 1)]);
  assert.equal(laneAt(lanes, 5, 18, 12, 0), undefined, "the ruler is not a lane");
  assert.equal(laneAt(lanes, 18 + 13, 18, 12, 0).span.id, "b");
  assert.equal(laneAt(lanes, 18 + 1, 18, 12, 1).span.id, "b", "scrolled by one lane");
  assert.ok(aliveAt(span("a", null, 10, 20), 10));
  assert.ok(!aliveAt(span("a", null, 10, 20), 20));
  assert.ok(aliveAt(span("a", null, 10), 1e9));
  assert.equal(formatTime(850), "850 ms");
  assert.equal(formatTime(12_400), "12.4 s");
  assert.equal(formatTime(185_200), "3:05.2");
});

test("the host's message keeps every running span and the newest finished ones, and passes the viewer's validator", () => {
  const spans = [];
  for (let i = 0; i < MAX_SPANS + 500; i++) spans.push({ id: `f${i}`, name: "f", parent: null, start: i, end: i + 1, states: [[i, "running"], [i + 1, "done"]] });
  spans.push({ id: "live", name: "main", parent: null, start: 0, states: [[0, "running"]], file: "/w/p.ts", line: 3 });
  const m = timelineMessage(spans, [{ t: 5, kind: "error", label: "boom", task: "f5" }], 2000, true, null);
  assert.equal(m.spans.length, MAX_SPANS);
  assert.equal(m.omitted, 501);
  assert.ok(m.spans.some((s) => s.id === "live" && s.state === "running" && s.file === "/w/p.ts"));
  assert.ok(m.spans.some((s) => s.id === `f${MAX_SPANS + 499}`), "the newest finished span is kept");
  assert.ok(!m.spans.some((s) => s.id === "f0"), "the oldest finished span is left out");
  assert.deepEqual(validateToViewer(JSON.parse(JSON.stringify(m))), m);
  assert.throws(() => validateToViewer({ ...m, spans: [{ id: 1 }] }), /spans\[0\]\.id/);
});
