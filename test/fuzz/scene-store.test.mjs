// Property tests of the scene store (src/scene/scene-store.ts): random *valid* scene messages,
// keys drawn from a small pool (so nodes collide, move under their own descendants, and take
// names like "children" or "__proto__"), with the store's invariants checked after every
// message. Seeded and time-bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";
import { forCases, SEED, sceneMessage } from "./gen.mjs";

const { SceneStore } = await loadTs("src/scene/scene-store.ts");
const { validateSceneMessage } = await loadTs("src/protocol/scene.ts");

/** No cycles, every node reachable from the root, every parent link right, props plain. */
export function checkInvariants(store) {
  const nodes = store.nodes; // the private map (a test may look)
  const root = store.root;
  assert.ok(root, "a root");
  assert.equal(root.parent, null, "the root has no parent");
  for (const [key, n] of nodes) {
    assert.equal(n.key, key, "stored under its own key");
    assert.equal(Object.getPrototypeOf(n.props), Object.prototype, `props of "${key}" keep their prototype`);
    assert.ok(!("tag" in n.props && Object.hasOwn(n.props, "tag")), "tag is not a prop");
    if (n === root) continue;
    const parent = nodes.get(n.parent);
    assert.ok(parent, `parent "${n.parent}" of "${key}" exists`);
    const list = parent.lists[n.list];
    assert.ok(Array.isArray(list), `list ${n.list} of "${n.parent}" exists`);
    assert.equal(list.filter((k) => k === key).length, 1, `"${key}" is in its parent's list once`);
  }
  for (const [key, n] of nodes) {
    for (const [list, keys] of Object.entries(n.lists)) {
      for (const k of keys) {
        const child = nodes.get(k);
        assert.ok(child, `"${key}".${list} names "${k}", which exists`);
        assert.equal(child.parent, key, `"${k}" points back at "${key}"`);
        assert.equal(child.list, list);
      }
    }
  }
  const seen = new Set();
  for (const n of store.walk()) {
    assert.ok(!seen.has(n.key), `"${n.key}" visited once (no cycle)`);
    seen.add(n.key);
  }
  assert.equal(seen.size, nodes.size, "every node reachable from the root");
}

test("random valid messages: no exception, invariants after every message, snapshot rebuilds the same scene", (t) => {
  let messages = 0;
  let warnings = 0;
  const cases = forCases(SEED + 7, (r) => {
    const store = new SceneStore();
    for (let i = r.range(1, 25); i > 0; i--) {
      let m;
      try {
        m = validateSceneMessage(sceneMessage(r), () => {});
      } catch {
        continue; // the generator made an invalid one: only valid messages reach a store
      }
      let result;
      try {
        result = store.apply(m);
      } catch (e) {
        assert.fail(`apply threw ${e?.name}: ${e?.message}\n${JSON.stringify(m)}`);
      }
      warnings += result.warnings.length;
      messages++;
      checkInvariants(store);
    }
    // The snapshot is what a reloaded viewer gets: SET of it rebuilds exactly this scene.
    const snap = store.snapshot();
    const again = new SceneStore();
    again.apply({ etype: "SET", ts: 0, data: snap });
    checkInvariants(again);
    assert.deepEqual(again.snapshot(), snap);
  });
  t.diagnostic(`seed ${SEED + 7}: ${cases} scenes, ${messages} messages, ${warnings} warnings, 0 exceptions, 0 broken invariants`);
});

test("the cases the fuzzer found, one by one", () => {
  const s = new SceneStore();
  const up = (nodes, to = null) => s.apply({ etype: "UPSERT", ts: 0, data: { nodes, to } });
  // nested nodes sharing a key: a warning, nothing applied
  const r1 = up([{ tag: "Group", key: "p", children: [{ tag: "Group", key: "p", children: [{ tag: "Box", key: "p" }] }] }]);
  assert.match(r1.warnings[0], /share the key "p"/);
  assert.equal(s.size, 0);
  checkInvariants(s);
  // an ancestor moved under its own descendant
  up([{ tag: "Group", key: "a", children: [{ tag: "Group", key: "b" }] }]);
  const r2 = up([{ tag: "Group", key: "x", children: [{ tag: "Box", key: "a" }] }], "b");
  assert.ok(r2.warnings.length >= 1);
  checkInvariants(s);
  s.apply({ etype: "ADD", ts: 0, data: { nodes: [{ tag: "Box", key: "a" }], to: "a" } });
  checkInvariants(s);
  // special keys
  up([{ tag: "Box", key: "__proto__", __proto__: { polluted: true }, constructor: 1 }]);
  up([{ tag: "Box", key: "children" }], "children");
  s.apply({ etype: "ADD", ts: 0, data: { nodes: [{ tag: "Box", key: "scene" }], to: null } });
  up([{ tag: "Group", key: "scene" }]); // the root's tag cannot change this way
  checkInvariants(s);
  assert.equal({}.polluted, undefined);
  assert.equal(s.root.tag, "Scene");
  // a chain deeper than the stack, built one message at a time, walks and snapshots
  const deep = new SceneStore();
  for (let i = 1; i < 20_000; i++) deep.apply({ etype: "UPSERT", ts: 0, data: { nodes: [{ tag: "Group", key: `n${i}` }], to: i === 1 ? null : `n${i - 1}` } });
  assert.equal([...deep.walk()].length, 20_000);
  assert.ok(deep.snapshot());
  deep.apply({ etype: "REMOVE", ts: 0, data: { keys: ["n1"] } });
  assert.equal(deep.size, 0);
});
