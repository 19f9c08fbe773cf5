// Gaussian splats in the real viewer: Spark's renderer is a separate script the page adds only
// when a splat node appears, it draws with the viewer's own three, and a .splat file from the
// program's folder shows up as pixels. Luma captures are one warning (Luma's service is remote).
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET } from "./harness.mjs";
import { frame, red, share } from "./pixels.mjs";

const dir = mkdtempSync(join(tmpdir(), "sr-splats-"));
let v;
const requests = [];
before(async () => {
  copyFileSync(join(root, "test", "fixtures", "assets", "grid.splat"), join(dir, "grid.splat"));
  v = await openViewer({ assets: { root: dir, workspace: "" } });
  v.page.on("request", (r) => requests.push(r.url()));
});
after(async () => {
  await v?.close();
  rmSync(dir, { recursive: true, force: true });
});

const camera = { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50 };
const scene = (children) => SET(children, { grid: false, bgChildren: [camera] });
const chunkRequests = () => requests.filter((u) => u.endsWith("/webview-splats.js")).length;
const warningsFor = (key) => v.warnings().filter((w) => w.key === key).map((w) => w.message);

/** Polls the picture until `pred` holds (Spark sorts in a worker, so the first frames may be empty). */
async function until(pred, what, name) {
  let px;
  for (let i = 0; i < 120; i++) {
    px = await frame(v, i === 0 ? undefined : name);
    if (pred(px)) return px;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what}: not seen after 30 s (red share ${share(px, red).toFixed(4)})`);
}

test("a scene without splats never loads the splat renderer (nor one without FBX/COLLADA/BVH/depth files the loaders); a Luma capture is one warning", async () => {
  await v.send(scene([{ tag: "Box", key: "b", args: [1, 1, 1], color: "red", materialType: "basic" }]));
  await v.send(scene([{ tag: "Splats", key: "luma", src: "https://lumalabs.ai/capture/83e9aae8-7023-448e-83a6-53ccb377ec86" }]));
  assert.equal(chunkRequests(), 0, "no request for dist/webview-splats.js");
  assert.equal(requests.filter((u) => u.endsWith("/webview-loaders.js")).length, 0, "nor for the file loaders (dist/webview-loaders.js)");
  assert.equal(await v.page.evaluate(() => typeof window.__sceneRunnerSplats), "undefined");
  const w = warningsFor("luma");
  assert.equal(w.length, 1);
  assert.match(w[0], /Luma's web service, which the viewer does not reach/);
  assert.equal((await v.node("luma")).placeholder, false);
});

test("SparkSplats, Splat and VuerSplat draw a .splat file from the program's folder with one lazily loaded renderer", async () => {
  await v.send(scene([{ tag: "SparkSplats", key: "s", src: "http://localhost:8012/workspace/grid.splat" }]));
  assert.equal(chunkRequests(), 1, "the renderer script was added once");
  assert.deepEqual(warningsFor("s"), []);
  assert.equal((await v.node("s")).placeholder, false);
  // The square of red Gaussians covers the middle of the view.
  await until((px) => share(px, red, [0.4, 0.4, 0.6, 0.6]) > 0.5, "the red splat square", "splats-spark");
  const threes = await v.page.evaluate(() => window.__sceneRunnerThree.REVISION);
  assert.equal(threes, "187", "the chunk draws with the viewer's three");

  // Removed, nothing of it stays but one geometry Spark keeps for the page (made on first use, not per node).
  await v.send(scene([]));
  await frame(v);
  const emptyStats = await v.stats();

  // drei's Splat and VuerSplat, side by side, from the same renderer (no second script).
  await v.send(scene([
    { tag: "Splat", key: "a", src: "grid.splat", position: [-1.3, 0, 0], scale: 0.5 },
    { tag: "VuerSplat", key: "b", src: "grid.splat", position: [1.3, 0, 0], scale: 0.5 },
  ]));
  await until((px) => share(px, red, [0.25, 0.42, 0.35, 0.58]) > 0.4 && share(px, red, [0.65, 0.42, 0.75, 0.58]) > 0.4, "two splat squares", "splats-two");
  assert.deepEqual([...warningsFor("a"), ...warningsFor("b")], []);
  assert.equal(chunkRequests(), 1, "still one script");

  // Removing them leaves nothing drawn (the shared Spark renderer goes with the last splat node).
  await v.send(scene([]));
  await until((px) => share(px, red) < 0.001, "an empty scene again");
  const after = await v.stats();
  assert.equal(after.geometries, emptyStats.geometries, "the second pair freed all it made");
  assert.equal(after.textures, emptyStats.textures, "and its textures");
});

test("a missing splat file is one warning naming it", async () => {
  await v.send(scene([{ tag: "SparkSplats", key: "gone", src: "http://localhost:8012/workspace/nope.splat" }]));
  const w = warningsFor("gone");
  assert.equal(w.length, 1);
  assert.match(w[0], /nope\.splat: no such file in the program's folder/);
});
