// Automatic instancing: many primitives sharing geometry + material are one draw call, with
// per-instance colors and transforms that follow updates, parents and visibility.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, REMOVE, SET, UPDATE, UPSERT } from "./harness.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const grid = (n, extra = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({
    tag: "Box",
    key: `b${i}`,
    args: [0.04, 0.04, 0.04],
    position: [((i % 20) - 10) * 0.1, Math.floor(i / 400) * 0.1, (Math.floor(i / 20) % 20 - 10) * 0.1],
    color: `hsl(${(i * 37) % 360}, 70%, 50%)`,
    ...extra(i),
  }));

test("5,000 boxes are drawn with a handful of draw calls", async () => {
  await v.send(SET(grid(5000), { grid: false }));
  const s = await v.stats();
  assert.equal(s.nodes, 5000);
  assert.equal(s.instances, 5000);
  assert.equal(s.pools, 1, "one pool: same args and material, colors per instance");
  assert.ok(s.drawCalls <= 3, `draw calls: ${s.drawCalls}`);
  // Two materials -> two pools.
  await v.send(UPSERT(grid(10, (i) => ({ key: `w${i}`, wireframe: true }))));
  assert.equal((await v.stats()).pools, 2);
});

test("with instancing off the same scene costs one draw call per box (the comparison)", async () => {
  const off = await (await import("./harness.mjs")).openViewer({ viewerOptions: { instancing: false } });
  try {
    await off.send(SET(grid(500), { grid: false }));
    const s = await off.stats();
    assert.equal(s.pools, 0);
    assert.ok(s.drawCalls >= 500, `draw calls: ${s.drawCalls}`);
  } finally {
    await off.close();
  }
});

test("instances keep their own colors, transforms, parents and visibility", async () => {
  await v.send(
    SET(
      [
        { tag: "Box", key: "red", color: "red", materialType: "basic", position: [0, 0, 0] },
        { tag: "Box", key: "blue", color: "blue", materialType: "basic", position: [0, 0, 0], visible: false },
        { tag: "Group", key: "g", position: [50, 0, 0], children: [{ tag: "Box", key: "green", color: "#00ff00", materialType: "basic" }] },
      ],
      { grid: false },
    ),
  );
  const px = () => v.pixel(320, 240);
  let [r, g, b] = await px();
  assert.ok(r > 200 && g < 40 && b < 40, `red: ${[r, g, b]}`);
  await v.send(UPDATE([{ key: "red", visible: false }, { key: "blue", visible: true }]));
  [r, g, b] = await px();
  assert.ok(b > 200 && r < 40 && g < 40, `blue: ${[r, g, b]}`);
  // Moving the parent group brings its (instanced) child to the centre.
  await v.send(UPDATE([{ key: "blue", visible: false }, { key: "g", position: [0, 0, 0] }]));
  [r, g, b] = await px();
  assert.ok(g > 200 && r < 40 && b < 40, `green: ${[r, g, b]}`);
  // Color change of one instance.
  await v.send(UPDATE({ key: "green", color: "#ffff00" }));
  [r, g, b] = await px();
  assert.ok(r > 200 && g > 200 && b < 40, `yellow: ${[r, g, b]}`);
  // Removing the last members frees the pool.
  await v.send(REMOVE(["red", "blue", "g"]));
  assert.equal((await v.stats()).pools, 0);
});

test("clicking an instanced box reports that box's key", async () => {
  await v.send(SET(grid(400, (i) => ({ args: [0.09, 0.09, 0.09], position: [((i % 20) - 10) * 0.1 + 0.05, 0, (Math.floor(i / 20) - 10) * 0.1 + 0.05] })), { grid: false }));
  await v.send(UPSERT({ tag: "Box", key: "b_center", args: [0.3, 0.3, 0.3], color: "white" }));
  await v.page.mouse.click(320, 240);
  const click = await v.waitFor((m) => m.t === "event" && m.event.etype === "CLICK");
  assert.equal(click.event.key, "b_center");
});
