// The coalescer's contract: fewer messages, same resulting scene; structure never dropped or reordered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";

const { SceneCoalescer } = await loadTs("src/scene/coalescer.ts");
const { SceneStore } = await loadTs("src/scene/scene-store.ts");

const upsert = (nodes, to = null, ts = 1) => ({ etype: "UPSERT", ts, data: { nodes, to } });
const box = (key, props = {}) => ({ tag: "Box", key, ...props });

test("newer upserts of the same node merge into the pending one", () => {
  const c = new SceneCoalescer(() => ({ tag: "Scene", key: "scene" }));
  for (let i = 0; i < 100; i++) c.push(upsert([box("a", { position: [i, 0, 0] })], null, i));
  c.push(upsert([box("a", { color: "red" })], null, 100));
  const out = c.drain();
  assert.equal(out.length, 1);
  assert.deepEqual(out[0].data.nodes, [box("a", { position: [99, 0, 0], color: "red" })]);
  assert.equal(out[0].ts, 100);
  assert.equal(c.stats.merged, 100);
});

test("structural messages are never dropped, and nothing merges across them", () => {
  const c = new SceneCoalescer(() => ({ tag: "Scene", key: "scene" }));
  c.push(upsert([box("a", { position: [1, 0, 0] })]));
  c.push({ etype: "REMOVE", ts: 2, data: { keys: ["a"] } });
  c.push(upsert([box("a", { position: [2, 0, 0] })]));
  c.push({ etype: "ADD", ts: 3, data: { nodes: [box("b")], to: null } });
  c.push(upsert([box("a", { position: [3, 0, 0] })]));
  assert.deepEqual(c.drain().map((m) => m.etype), ["UPSERT", "REMOVE", "UPSERT", "ADD", "UPSERT"]);
});

test("an UPDATE folds into a pending UPSERT, but an UPSERT does not fold into an UPDATE", () => {
  const c = new SceneCoalescer(() => ({ tag: "Scene", key: "scene" }));
  c.push(upsert([box("a")]));
  c.push({ etype: "UPDATE", ts: 2, data: { nodes: [{ key: "a", color: "blue" }] } });
  c.push({ etype: "UPDATE", ts: 3, data: { nodes: [{ key: "b", color: "red" }] } });
  c.push(upsert([box("b", { color: "green" })]));
  const out = c.drain();
  assert.deepEqual(out.map((m) => m.etype), ["UPSERT", "UPDATE", "UPSERT"]);
  assert.deepEqual(out[0].data.nodes[0], box("a", { color: "blue" }));
});

test("a SET discards what was queued before it", () => {
  const c = new SceneCoalescer(() => ({ tag: "Scene", key: "scene" }));
  c.push(upsert([box("a")]));
  c.push({ etype: "SET", ts: 2, data: { tag: "Scene", key: "scene", children: [] } });
  c.push(upsert([box("b")]));
  assert.deepEqual(c.drain().map((m) => m.etype), ["SET", "UPSERT"]);
});

test("an overflowing queue is replaced by one SET of the authoritative scene: memory stays bounded", () => {
  const store = new SceneStore();
  const c = new SceneCoalescer(() => store.snapshot(), 50);
  for (let i = 0; i < 1000; i++) {
    const m = { etype: "ADD", ts: i, data: { nodes: [box(`n${i}`)], to: null } };
    store.apply(m);
    c.push(m);
  }
  assert.ok(c.stats.maxPendingEntries <= 51);
  const out = c.drain();
  const viewer = new SceneStore();
  for (const m of out) viewer.apply(m);
  assert.equal(viewer.size, 1000);
  assert.deepEqual(viewer.snapshot(), store.snapshot());
});

test("switched off, it passes every message through untouched (the benchmark's baseline)", () => {
  const c = new SceneCoalescer(() => ({ tag: "Scene", key: "scene" }), 10, false);
  for (let i = 0; i < 20; i++) c.push(upsert([box("a", { position: [i, 0, 0] })]));
  assert.equal(c.drain().length, 20);
});

test("random programs: the coalesced stream builds exactly the scene the raw stream builds", () => {
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 50; round++) {
    const raw = new SceneStore();
    const c = new SceneCoalescer(() => raw.snapshot(), 40);
    const viewer = new SceneStore();
    for (let i = 0; i < 300; i++) {
      const key = `k${rand(12)}`;
      const parent = rand(3) === 0 ? `k${rand(12)}` : null;
      const kind = rand(10);
      const m =
        kind < 5 ? upsert([box(key, { position: [rand(9), 0, 0], ...(rand(2) ? { color: `c${rand(5)}` } : {}) })], parent, i)
        : kind < 7 ? { etype: "UPDATE", ts: i, data: { nodes: [{ key, scale: rand(4) }] } }
        : kind < 8 ? { etype: "ADD", ts: i, data: { nodes: [box(key, { opacity: rand(3) })], to: parent } }
        : kind < 9 ? { etype: "REMOVE", ts: i, data: { keys: [key] } }
        : { etype: "SET", ts: i, data: { tag: "Scene", key: "scene", children: [box(key)] } };
      raw.apply(m);
      c.push(m);
      if (rand(7) === 0) for (const out of c.drain()) viewer.apply(out);
    }
    for (const out of c.drain()) viewer.apply(out);
    assert.deepEqual(viewer.snapshot(), raw.snapshot(), `round ${round}`);
  }
});

test("a partial drain takes the first entries in order; what stays keeps merging", () => {
  const snapshot = () => ({ tag: "Scene", key: "scene", children: [] });
  const c = new SceneCoalescer(snapshot);
  const up = (key, x, ts = 1) => ({ etype: "UPSERT", ts, data: { nodes: [{ tag: "Box", key, position: [x, 0, 0] }], to: null } });
  for (const k of ["a", "b", "c", "d"]) c.push(up(k, 1));
  const first = c.drain(2);
  assert.deepEqual(first.flatMap((m) => m.data.nodes.map((n) => n.key)), ["a", "b"]);
  assert.equal(c.pending, 2);
  c.push(up("d", 9)); // folds into the pending d
  c.push(up("a", 5)); // a was sent: a new entry
  assert.equal(c.pending, 3);
  const rest = c.drain();
  const nodes = rest.flatMap((m) => m.data.nodes);
  assert.deepEqual(nodes.map((n) => [n.key, n.position[0]]), [["c", 1], ["d", 9], ["a", 5]]);
});
