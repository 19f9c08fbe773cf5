// Scene messages are validated node by node: a malformed node is left out and reported with its
// key; its siblings, its parent and the rest of the message stay. vuer's text children become the
// node's `text`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { validateSceneMessage } = await loadTs("src/protocol/scene.ts");

function validate(message) {
  const dropped = [];
  const m = validateSceneMessage(message, (d) => dropped.push(d));
  return { m, dropped };
}

test("a bad child is left out with its key and path; the scene keeps every good node", () => {
  const { m, dropped } = validate({
    etype: "SET",
    ts: 1,
    data: {
      tag: "Scene",
      key: "scene",
      children: [
        { tag: "Box", key: "good-box" },
        { tag: 7, key: "bad-tag" },
        { tag: "Group", key: "g", children: [{ tag: "Sphere" }, { tag: "Sphere", key: "ball" }] },
      ],
    },
  });
  assert.deepEqual(m.data.children.map((c) => c.key), ["good-box", "g"]);
  assert.deepEqual(m.data.children[1].children.map((c) => c.key), ["ball"]);
  assert.deepEqual(
    dropped.map((d) => [d.key, d.path]),
    [
      ["bad-tag", "message.data.children[1]"],
      [undefined, "message.data.children[2].children[0]"],
    ],
  );
  assert.match(dropped[0].reason, /tag: expected a string, got 7/);
  assert.match(dropped[1].reason, /key: expected a string/);
});

test("vuer's string children are the node's text, not a reason to reject the scene", () => {
  const { m, dropped } = validate({
    etype: "UPSERT",
    ts: 1,
    data: { nodes: [{ tag: "Text", key: "label", children: ["Hello ", "World", 1] }, { tag: "Billboard", key: "bb", children: [{ tag: "Text", key: "t", children: ["hi"] }] }], to: null },
  });
  assert.deepEqual(dropped, []);
  assert.equal(m.data.nodes[0].text, "Hello World1");
  assert.deepEqual(m.data.nodes[0].children, []);
  assert.equal(m.data.nodes[1].children[0].text, "hi");
});

test("an own text prop wins over text children", () => {
  const { m } = validate({ etype: "ADD", ts: 1, data: { nodes: [{ tag: "Text", key: "t", text: "mine", children: ["theirs"] }], to: null } });
  assert.equal(m.data.nodes[0].text, "mine");
});

test("upsert, add and update keep their good nodes when one is bad", () => {
  for (const etype of ["UPSERT", "ADD", "UPDATE"]) {
    const { m, dropped } = validate({ etype, ts: 1, data: { nodes: [{ tag: "Box", key: "a" }, "junk", { tag: "Box", key: "b" }, null], to: null } });
    assert.deepEqual(m.data.nodes.map((n) => n.key), ["a", "b"], etype);
    assert.equal(dropped.length, 2, etype);
  }
});

test("a broken envelope still fails as a whole, with a one-line reason", () => {
  assert.throws(() => validate({ etype: "UPSERT", ts: 1, data: { nodes: "x" } }), /message\.data\.nodes: expected an array/);
  assert.throws(() => validate({ etype: "SET", ts: 1, data: { tag: "Box", key: "b" } }), /message\.data\.tag: expected "Scene"/);
  assert.throws(() => validate({ etype: "NOPE", ts: 1, data: {} }), /message\.etype/);
});

test("nothing is copied when nothing is dropped (the hot path)", () => {
  const node = { tag: "Group", key: "g", children: [{ tag: "Box", key: "b" }] };
  const { m } = validate({ etype: "UPSERT", ts: 1, data: { nodes: [node], to: null } });
  assert.equal(m.data.nodes[0], node);
});

test("UPDATE keeps vuer's strict flag (and only a boolean one)", () => {
  const ok = validateSceneMessage({ etype: "UPDATE", ts: 1, data: { nodes: [{ key: "a", color: "red" }], strict: true } });
  assert.equal(ok.data.strict, true);
  const odd = validateSceneMessage({ etype: "UPDATE", ts: 1, data: { nodes: [{ key: "a" }], strict: "yes" } });
  assert.equal("strict" in odd.data, false);
});
