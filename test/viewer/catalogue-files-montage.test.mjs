// The second catalogue montage (media/catalogue-files.png): components that read the program's
// own files, each loaded by vuer's localhost URL from a folder the test fills — OBJ, FBX,
// COLLADA, BVH, a depth image, a Gaussian splat file — drawn with no placeholder and no
// warning. SCENE_MONTAGE_FILES=path writes the picture.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET } from "./harness.mjs";
import { frame, notBackground, share, writePng } from "./pixels.mjs";

const fixtures = join(root, "test", "fixtures", "assets");
const dir = mkdtempSync(join(tmpdir(), "sr-files-montage-"));
let v;
before(async () => {
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(dir, f));
  // A dome 1.4 m in front of a wall 2 m away (millimetres, 16 bits): the depth cloud's colours run through turbo.
  writePng(join(dir, "dome.png"), 96, 72, (x, y) => {
    const r = Math.hypot((x - 48) / 30, (y - 36) / 30);
    return Math.round(2000 - (r < 1 ? 600 * Math.sqrt(1 - r * r) : 0));
  }, { grey: true, bits: 16 });
  // A 24 x 24 disc of splats coloured by angle.
  const n = 24, buf = Buffer.alloc(n * n * 32);
  let o = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const x = (2 * i) / (n - 1) - 1, y = (2 * j) / (n - 1) - 1;
      const inside = Math.hypot(x, y) <= 1;
      buf.writeFloatLE(x, o), buf.writeFloatLE(y, o + 4), buf.writeFloatLE(0, o + 8);
      for (let k = 0; k < 3; k++) buf.writeFloatLE(k < 2 ? 0.06 : 0.01, o + 12 + 4 * k);
      const a = Math.atan2(y, x);
      buf.set([128 + 127 * Math.cos(a), 128 + 127 * Math.cos(a + 2.1), 128 + 127 * Math.cos(a + 4.2), inside ? 255 : 0], o + 24);
      buf.set([255, 128, 128, 128], o + 28);
      o += 32;
    }
  }
  writeFileSync(join(dir, "disc.splat"), buf);
  v = await openViewer({ width: 960, height: 600, assets: { root: dir, workspace: "" } });
});
after(async () => {
  await v?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ws = (f) => `http://localhost:8012/workspace/${f}`;
const lbl = (key, text, position) => ({ tag: "Text", key: `l-${key}`, text, fontSize: 0.1, position, color: "#dddddd" });
const montage = () => SET([
  { tag: "Text", key: "title", text: "the program's own files: http://localhost:8012/workspace/…", fontSize: 0.14, position: [0, 1.55, 0], color: "#ffffff" },
  { tag: "Obj", key: "obj", src: ws("cube.obj"), position: [-2.7, 0.5, 0], rotation: [0.5, 0.7, 0], scale: 0.6, color: "#ff9f1c" }, lbl("obj", "Obj", [-2.7, -0.25, 0]),
  { tag: "Fbx", key: "fbx", src: ws("quad.fbx"), position: [-1.6, 0.5, 0], rotation: [0, 0.4, 0], scale: 0.35 }, lbl("fbx", "Fbx", [-1.6, -0.25, 0]),
  { tag: "Dae", key: "dae", src: ws("quad.dae"), position: [-0.5, 0.5, 0], rotation: [0, -0.4, 0], scale: 0.35 }, lbl("dae", "Dae", [-0.5, -0.25, 0]),
  { tag: "Bvh", key: "bvh", src: ws("arm.bvh"), playAnimation: false, position: [0.3, 0.1, 0], scale: 0.4, color: "#7bd389", jointColor: "#ff6b6b" }, lbl("bvh", "Bvh", [0.5, -0.25, 0]),
  { tag: "DepthPointCloud", key: "depth", depth: ws("dome.png"), fov: 60, cmap: "turbo", depthMin: 1.3, depthMax: 2.05, pointSize: 3, position: [1.6, 0.5, 0.6], scale: 0.32 }, lbl("depth", "DepthPointCloud", [1.6, -0.25, 0]),
  { tag: "SparkSplats", key: "splat", src: ws("disc.splat"), position: [2.7, 0.5, 0], scale: 0.45 }, lbl("splat", "SparkSplats", [2.7, -0.25, 0]),
], { grid: true, bgChildren: [
  { tag: "HemisphereLightStage", key: "stage" },
  { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0.6, 5.2], lookAt: [0, 0.45, 0], fov: 45 },
] });

test("the files montage draws every file-backed component without a placeholder or a warning", async () => {
  await v.send(montage());
  const keys = await v.page.evaluate(() => window.__sceneViewer.keys());
  for (const k of keys) assert.equal((await v.node(k)).placeholder, false, k);
  // The splats appear once Spark has sorted them (in a worker): wait for colour where they are.
  let px;
  for (let i = 0; i < 120; i++) {
    px = await frame(v);
    if (share(px, notBackground, [0.86, 0.42, 0.92, 0.56], 960, 600) > 0.5) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(share(px, notBackground, [0.86, 0.42, 0.92, 0.56], 960, 600) > 0.5, "the splat disc is drawn");
  assert.deepEqual(v.warnings().map((w) => w.message), []);
  assert.deepEqual(v.errors, []);
  if (process.env.SCENE_MONTAGE_FILES) await v.page.screenshot({ path: process.env.SCENE_MONTAGE_FILES });
});
