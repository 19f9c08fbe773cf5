// The scene store's merge (UPSERT/UPDATE of an existing node) and the pipeline's typed-array
// byte count, the two things every scene message costs the host: props merge shallowly with
// the change list naming them, a child list replaces the old one, a "__proto__" prop stays data.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { SceneStore } = await loadTs("src/scene/scene-store.ts");
const { binaryBytes } = await loadTs("src/scene/pipeline.ts");

const upsert = (nodes, to = null) => ({ etype: "UPSERT", ts: 1, data: { nodes, to } });

test("an upsert of an existing node merges its props and names them in the changes", () => {
  const s = new SceneStore();
  s.apply(upsert([{ tag: "Box", key: "b", position: [0, 0, 0], color: "red" }]));
  const r = s.apply(upsert([{ tag: "Box", key: "b", position: [1, 2, 3], opacity: 0.5 }]));
  assert.deepEqual(r.changes, [{ op: "update", key: "b", props: ["position", "opacity"] }]);
  assert.deepEqual(s.get("b").props, { position: [1, 2, 3], color: "red", opacity: 0.5 });
  const u = s.apply({ etype: "UPDATE", ts: 2, data: { nodes: [{ key: "b" }] } });
  assert.deepEqual(u.changes, [], "an update with no props changes nothing");
});

test("a child list in an upsert replaces the old children; a prop named __proto__ stays a prop", () => {
  const s = new SceneStore();
  s.apply(upsert([{ tag: "Group", key: "g", children: [{ tag: "Box", key: "a" }, { tag: "Box", key: "b" }] }]));
  const r = s.apply(upsert([{ tag: "Group", key: "g", visible: false, children: [{ tag: "Sphere", key: "c" }] }]));
  assert.deepEqual(s.get("g").lists.children, ["c"]);
  assert.equal(s.has("a"), false);
  assert.equal(s.has("b"), false);
  assert.deepEqual(r.changes.map((c) => c.op), ["update", "remove", "remove", "create"]);
  const evil = JSON.parse('{"tag":"Group","key":"g","__proto__":{"polluted":true}}');
  s.apply(upsert([evil]));
  const props = s.get("g").props;
  assert.equal(Object.getPrototypeOf(props), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(props, "__proto__").value, { polluted: true });
  assert.equal({}.polluted, undefined);
});

test("the root's tag cannot change by upsert; its props still merge", () => {
  const s = new SceneStore();
  const r = s.apply(upsert([{ tag: "Group", key: "scene", up: [0, 0, 1] }]));
  assert.equal(r.warnings.length, 1);
  assert.equal(s.root.tag, "Scene");
  assert.deepEqual(s.root.props.up, [0, 0, 1]);
});

test("binaryBytes counts typed arrays at any depth and nothing else", () => {
  assert.equal(binaryBytes(null), 0);
  assert.equal(binaryBytes(5), 0);
  assert.equal(binaryBytes(upsert([{ tag: "Box", key: "b", position: [1, 2, 3], color: "red" }])), 0);
  const pc = { tag: "PointCloud", key: "p", vertices: new Float32Array(30), colors: new Uint8Array(30) };
  const nested = { tag: "Group", key: "g", children: [pc, { tag: "Mesh", key: "m", faces: [new Uint32Array(4)], extra: { deep: [[new Float64Array(2)]] } }] };
  assert.equal(binaryBytes(upsert([nested])), 120 + 30 + 16 + 16);
  assert.equal(binaryBytes(new Uint16Array(5)), 10);
});
