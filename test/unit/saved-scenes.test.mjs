// Saved viewer scenes (what a panel shows again after a window reload): typed arrays come back
// as typed arrays; a scene too big to store is saved without its contents, its panel still
// restored; a stored line that no longer decodes loses only the scene.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { SavedScenes } = await loadTs("src/extension/viewer/saved-scenes.ts");

/** VS Code's Memento as it behaves: a key-value store whose update() resolves when written. */
function memento() {
  const data = new Map();
  return { get: (k) => data.get(k), update: async (k, v) => void data.set(k, v), keys: () => [...data.keys()], data };
}

const session = { state: "done", title: "a.ts" };
const cloud = (points) => ({
  tag: "Scene", key: "scene",
  children: [{ tag: "PointCloud", key: "pc", vertices: new Float32Array(points * 3).map((_, i) => i / 7), colors: new Uint8Array(points * 3).fill(200) }],
});

test("a small scene comes back with its typed arrays as typed arrays", async () => {
  const saved = new SavedScenes(memento());
  const scene = cloud(1000);
  await saved.save("/w/a.ts", "a.ts", { scene, session });
  const back = saved.get("a.ts");
  assert.equal(back.file, "/w/a.ts");
  assert.deepEqual(back.session, session);
  const pc = back.scene.children[0];
  assert.ok(pc.vertices instanceof Float32Array);
  assert.deepEqual(pc.vertices, scene.children[0].vertices);
  assert.ok(pc.colors instanceof Uint8Array);
});

test("a scene whose arrays alone are past the limit is saved without its contents", async () => {
  const state = memento();
  const saved = new SavedScenes(state);
  await saved.save("/w/a.ts", "a.ts", { scene: cloud(200_000), session }); // 3 MB of arrays
  const stored = state.data.get("sceneRunner.viewerPanels")["a.ts"];
  assert.equal(stored.sceneLine, null);
  const back = saved.get("a.ts");
  assert.equal(back.scene, null, "the panel comes back, empty, rather than a reload stalling on megabytes");
  assert.equal(back.file, "/w/a.ts");
});

test("a scene of many small nodes past the limit in text is saved without its contents too", async () => {
  const saved = new SavedScenes(memento());
  const children = Array.from({ length: 30_000 }, (_, i) => ({ tag: "Box", key: `box-${i}`, position: [i, i / 3, -i / 7], color: "#ff8800" }));
  await saved.save("/w/a.ts", "a.ts", { scene: { tag: "Scene", key: "scene", children }, session });
  assert.equal(saved.get("a.ts").scene, null);
});

test("a stored line that does not decode restores the panel without its scene; delete forgets it", async () => {
  const state = memento();
  const saved = new SavedScenes(state);
  await saved.save("/w/a.ts", "a.ts", { scene: cloud(10), session });
  state.data.get("sceneRunner.viewerPanels")["a.ts"].sceneLine = "{not json";
  assert.equal(saved.get("a.ts").scene, null);
  assert.equal(saved.get("a.ts").title, "a.ts");
  await saved.delete("a.ts");
  assert.equal(saved.get("a.ts"), undefined);
});
