// The loaders vuer has beyond GLB/OBJ/PLY/STL/PCD, in the real viewer: Fbx (ASCII FBX), Dae
// (COLLADA), Bvh (a mocap skeleton, animated) and the depth-image point clouds, each read from
// the program's folder (test/fixtures/assets) and checked by pixels.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET, UPSERT } from "./harness.mjs";
import { blue, frame, green, notBackground, png, red, share, writePng } from "./pixels.mjs";

const fixtures = join(root, "test", "fixtures", "assets");
const dir = mkdtempSync(join(tmpdir(), "sr-loaders-"));
let v;
before(async () => {
  mkdirSync(join(dir, "assets"));
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(dir, "assets", f));
  // A 64 x 48 depth image, 16 bits in millimetres: a wall 2 m away, with a hole (0: no reading) in its left half.
  writePng(join(dir, "assets", "depth.png"), 64, 48, (x) => (x < 16 ? 0 : 2000), { grey: true, bits: 16 });
  v = await openViewer({ assets: { root: dir, workspace: "" } });
});
after(async () => {
  await v?.close();
  rmSync(dir, { recursive: true, force: true });
});

const camera = { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50 };
const scene = (children) => SET(children, { grid: false, bgChildren: [camera] });
const ws = (f) => `http://localhost:8012/workspace/assets/${f}`;
const clean = async (...keys) => {
  for (const k of keys) {
    assert.equal((await v.node(k)).placeholder, false, `${k} is not a placeholder`);
    assert.deepEqual(v.warnings().filter((w) => w.key === k).map((w) => w.message), [], `${k}: no warnings`);
  }
};

test("Fbx and Dae draw their meshes with the files' own materials", async () => {
  await v.send(scene([
    { tag: "Fbx", key: "fbx", src: ws("quad.fbx"), position: [-1.2, 0, 0], scale: 0.5 },
    { tag: "Dae", key: "dae", src: ws("quad.dae"), position: [1.2, 0, 0], scale: 0.5 },
  ]));
  const px = await frame(v, "loaders-fbx-dae");
  await clean("fbx", "dae");
  assert.ok(share(px, blue, [0.25, 0.4, 0.4, 0.6]) > 0.5, "the FBX's blue square, left");
  assert.ok(share(px, green, [0.6, 0.4, 0.75, 0.6]) > 0.5, "the COLLADA's green square, right");
  // A colour on the node overrides the file's materials.
  await v.send(UPSERT({ tag: "Fbx", key: "fbx", src: ws("quad.fbx"), position: [-1.2, 0, 0], scale: 0.5, color: "red", materialType: "basic" }));
  assert.ok(share(await frame(v), red, [0.25, 0.4, 0.4, 0.6]) > 0.5, "color overrides the FBX material");
  // Bad bytes: one warning naming the loader, nothing drawn.
  await v.send(scene([{ tag: "Dae", key: "bad", text: "<nope/>" }]));
  assert.match(v.warnings().find((w) => w.key === "bad").message, /could not load the Dae file/);
});

test("Bvh: the skeleton's bones and joints are drawn, and its clip plays", async () => {
  await v.send(scene([{ tag: "Bvh", key: "bvh", src: ws("arm.bvh"), playAnimation: false, jointColor: "red", color: "#00ff00", position: [-0.5, 0, 0] }]));
  const still = await frame(v, "loaders-bvh");
  await clean("bvh");
  assert.ok(share(still, red) > 0.001, `joint spheres (${share(still, red).toFixed(4)})`);
  assert.ok(share(still, green) > 0.0005, "bone lines");
  // The arm (x from 0.5 to 1.5 at y = 1) is drawn; nothing where the clip would swing it (above the spine).
  assert.ok(share(still, notBackground, [0.55, 0.25, 0.72, 0.38]) > 0.01, "arm to the right");

  // Playing: the arm swings up over the clip (frame 2 turns it 90° about z), so the picture changes.
  await v.send(scene([{ tag: "Bvh", key: "bvh", src: ws("arm.bvh"), jointColor: "red", color: "#00ff00", position: [-0.5, 0, 0] }]));
  const first = await frame(v);
  let changed = false;
  for (let i = 0; i < 100 && !changed; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await frame(v);
    let differ = 0;
    for (let j = 0; j < now.length; j += 4) if (Math.abs(now[j] - first[j]) + Math.abs(now[j + 1] - first[j + 1]) > 60) differ++;
    changed = differ > 100;
  }
  assert.ok(changed, "the playing clip moves the arm");
  await v.send(scene([]));
});

test("DepthPointCloud unprojects a 16-bit depth image with the camera's fov; InPlaceDepthPointCloud colours by rgb", async () => {
  // fov 60 at 2 m: the wall is 2·2·tan(30°) = 2.31 m high; seen from 5 m + 2 m... the cloud sits at the node: move it to z = 2 so the wall is at z = 0.
  await v.send(scene([{ tag: "DepthPointCloud", key: "d", depth: ws("depth.png"), fov: 60, cmap: "turbo", depthMin: 0, depthMax: 4, pointSize: 6, position: [0, 0, 2] }]));
  const px = await frame(v, "loaders-depth");
  await clean("d");
  const g = await v.page.evaluate(() => window.__sceneViewer.getNode("d"));
  assert.ok(share(px, notBackground, [0.5, 0.4, 0.7, 0.6]) > 0.5, "points on the right of the wall");
  assert.ok(share(px, notBackground, [0.3, 0.45, 0.36, 0.55]) < 0.05, "the hole (depth 0) on the left is empty");
  // turbo at t = 0.5 is green-ish: the wall is coloured by depth, not grey.
  const mid = share(px, (r, gg, b) => gg > r + 30 && gg > b, [0.5, 0.4, 0.7, 0.6]);
  assert.ok(mid > 0.5, `coloured by the turbo map (${mid.toFixed(2)})`);
  assert.ok(g, "node present");

  const rgb = png(64, 48, () => [255, 0, 0]);
  await v.send(scene([{ tag: "InPlaceDepthPointCloud", key: "ip", depth: ws("depth.png"), rgb: new Uint8Array(rgb), fov: 60, pointSize: 6, position: [0, 0, 2] }]));
  const px2 = await frame(v, "loaders-depth-rgb");
  await clean("ip");
  assert.ok(share(px2, red, [0.5, 0.4, 0.7, 0.6]) > 0.5, "coloured by the rgb image");
  // No depth: one warning.
  await v.send(scene([{ tag: "DepthPointCloud", key: "nodepth" }]));
  assert.match(v.warnings().find((w) => w.key === "nodepth").message, /expected a depth image/);
});

test("the loaders free what they made: geometries and textures return to the empty scene's count", async () => {
  await v.send(scene([]));
  const base = await v.stats();
  await v.send(scene([
    { tag: "Fbx", key: "f", src: ws("quad.fbx") },
    { tag: "Dae", key: "d", src: ws("quad.dae") },
    { tag: "Bvh", key: "b", src: ws("arm.bvh") },
    { tag: "DepthPointCloud", key: "p", depth: ws("depth.png"), rgb: new Uint8Array(png(64, 48, () => [255, 0, 0])) },
  ]));
  await frame(v);
  const full = await v.stats();
  assert.ok(full.geometries > base.geometries, "something was drawn");
  await v.send(scene([]));
  await frame(v);
  const now = await v.stats();
  assert.equal(now.geometries, base.geometries, "geometries");
  assert.equal(now.textures, base.textures, "textures");
});
