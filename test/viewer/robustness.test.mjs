// Malformed messages and bad props never stop the viewer: it warns once per problem and keeps drawing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, SET, UPDATE, UPSERT } from "./harness.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const isRed = ([r, g, b]) => r > 120 && g < 60 && b < 60;
const redBox = { tag: "Box", key: "good", args: [1, 1, 1], color: "red", materialType: "basic" };

test("malformed messages are skipped with a warning and a later good node still draws", async () => {
  await v.send(SET([], { grid: false }));
  const before = v.warnings().length;
  await v.send(
    null,
    42,
    { etype: "EXPLODE", ts: 1, data: {} },
    { etype: "UPSERT", ts: 1, data: { nodes: "not a list" } },
    { etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "Box" }] } }, // no key
    { etype: "SET", ts: 1, data: { tag: "Group", key: "x" } }, // root must be a Scene
    { etype: "REMOVE", ts: 1, data: { keys: [7] } },
    { etype: "UPDATE", ts: "yesterday", data: { nodes: [] } },
    UPSERT(redBox),
  );
  assert.ok(v.warnings().length - before >= 7, `one warning per bad message (${v.warnings().length - before})`);
  assert.ok(isRed(await v.pixel(320, 240)), "the good box after the bad messages is drawn");
  // Non-scene junk on the window channel is ignored.
  await v.page.evaluate(() => window.postMessage({ t: "scene", seq: "x", messages: "nope" }, "*"));
  await v.page.evaluate(() => window.postMessage("hello", "*"));
  await v.idle();
  assert.ok(isRed(await v.pixel(320, 240)));
  assert.equal(v.errors.length, 0, v.errors.join("\n"));
});

test("one malformed node in a scene costs only that node: the rest draws, the badge counts it, the list names it", async () => {
  await v.send(SET([], { grid: false }));
  const before = v.warnings().length;
  await v.send({
    etype: "SET",
    ts: 1,
    data: {
      tag: "Scene",
      key: "scene",
      grid: false,
      children: [redBox, { tag: 12, key: "broken" }, { tag: "Text", key: "label", children: ["Hello"], position: [5, 5, 0] }],
    },
  });
  assert.ok(isRed(await v.pixel(320, 240)), "the good box of the same message is drawn");
  const keys = await v.page.evaluate(() => window.__sceneViewer.keys());
  assert.deepEqual(keys.sort(), ["good", "label"], "the text node (a vuer string child) is kept too");
  const warnings = v.warnings().slice(before);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.equal(warnings[0].key, "broken");
  const hud = await v.page.evaluate(() => ({
    badge: document.querySelector(".sr-warn-badge")?.textContent,
    hidden: document.querySelector(".sr-warn-badge")?.hidden,
    list: [...document.querySelectorAll(".sr-warnings li")].map((li) => li.textContent),
  }));
  assert.equal(hud.hidden, false);
  assert.match(hud.badge, /^\d+$/); // a codicon warning glyph (CSS) and the count
  assert.ok(hud.list.some((t) => t.includes("broken") && t.includes("tag")), JSON.stringify(hud.list));
  // Clicking the badge opens the list; a new scene (a new run) starts with none.
  await v.page.click(".sr-warn-badge");
  assert.equal(await v.page.evaluate(() => document.querySelector(".sr-warnings").hidden), false);
  await v.post({ t: "snapshot", scene: { tag: "Scene", key: "scene", children: [] }, session: { state: "running", title: "x" } });
  await v.idle();
  assert.equal(await v.page.evaluate(() => document.querySelector(".sr-warn-badge").hidden), true);
});

test("bad props: NaN, wrong length, wrong type -> one warning each, the node still draws", async () => {
  await v.send(SET([], { grid: false }));
  const before = v.warnings().length;
  const bad = [
    { tag: "Box", key: "nan", position: [NaN, 0, 0], color: "red", materialType: "basic" },
    { tag: "Box", key: "short", position: [1, 2], color: "red", materialType: "basic" },
    { tag: "Box", key: "str", scale: "big", rotation: "sideways", color: "red", materialType: "basic" },
    { tag: "Box", key: "color", color: "not-a-color" },
    { tag: "Box", key: "args", args: ["wide", NaN, -1, 1e9] },
    { tag: "Sphere", key: "mt", materialType: "chrome" },
    { tag: "PointCloud", key: "pc", vertices: new Float32Array([0, 0]) },
    { tag: "TriMesh", key: "tm", vertices: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), faces: new Uint32Array([0, 1, 9]) },
    { tag: "Text", key: "txt", text: { oops: 1 }, fontSize: "huge" },
    { tag: "Image", key: "img", src: 12 },
    { tag: "Urdf", key: "urdf", text: "<not-xml" },
    { tag: "Glb", key: "glb", buff: new Uint8Array([1, 2, 3, 4]) },
    { tag: "Whatever", key: "unknown" },
  ];
  // Everything but the red boxes (whose bad transforms fall back to the origin) is moved aside.
  for (const n of bad) if (n.color !== "red") n.position = [4, 0, -4];
  await v.send(UPSERT(bad));
  const mine = v.warnings().slice(before);
  const keys = new Set(mine.map((w) => w.key));
  for (const n of bad) assert.ok(keys.has(n.key), `a warning for ${n.key}: ${JSON.stringify(mine.map((w) => w.message))}`);
  // Each bad node is still in the scene (placeholder or defaults).
  for (const n of bad) assert.ok(await v.node(n.key), `${n.key} exists`);
  assert.equal((await v.node("unknown")).placeholder, true);
  assert.equal((await v.node("nan")).worldPosition[0], 0, "NaN position falls back to 0");
  assert.ok(isRed(await v.pixel(320, 240)), "boxes with bad transforms draw at the origin");

  // The same problem again (a program re-sending every frame) does not repeat the warning.
  const count = v.warnings().length;
  await v.send(UPDATE({ key: "nan", position: [NaN, 0, 0] }), UPSERT(bad));
  assert.equal(v.warnings().length, count, "no repeated warnings");
  assert.equal(v.errors.length, 0, v.errors.join("\n"));
});

test("Instances with a malformed positions array warns and draws nothing for it", async () => {
  await v.send(SET([], { grid: false }));
  await v.send(UPSERT([{ tag: "Instances", key: "inst", positions: new Float32Array(7) }, redBox]));
  assert.ok(await v.node("inst"));
  assert.ok(isRed(await v.pixel(320, 240)));
});
