// The program's own files in the real viewer (headless Chromium): vuer's localhost URLs and
// relative paths load from the program's folder through the host's route, and nothing outside
// it is read — not through `..`, not through a symbolic link. A missing file is one warning
// naming it.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET } from "./harness.mjs";
import { frame, green, notBackground, red, share, writePng } from "./pixels.mjs";

const fixtures = join(root, "test", "fixtures", "assets");
const dir = mkdtempSync(join(tmpdir(), "sr-viewer-assets-"));
const ws = join(dir, "ws");
let v;
const reads = [];
before(async () => {
  mkdirSync(join(ws, "prog", "models"), { recursive: true });
  copyFileSync(join(fixtures, "cube.obj"), join(ws, "prog", "models", "cube.obj"));
  writePng(join(ws, "prog", "green.png"), 4, 4, () => [0, 255, 0]);
  // Outside the root: readable by this user, so only the viewer's own rule keeps it out.
  copyFileSync(join(fixtures, "cube.obj"), join(dir, "outside.obj"));
  symlinkSync(join(dir, "outside.obj"), join(ws, "prog", "models", "leak.obj"));
  v = await openViewer({ assets: { root: ws, workspace: "prog" } });
  v.page.on("request", (r) => reads.push(r.url()));
});
after(async () => {
  await v?.close();
  rmSync(dir, { recursive: true, force: true });
});

const camera = { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50 };
const scene = (children) => SET(children, { grid: false, bgChildren: [camera] });
const warningsFor = (key) => v.warnings().filter((w) => w.key === key).map((w) => w.message);

test("vuer's localhost URLs and relative paths load the program's own files", async () => {
  await v.send(scene([
    { tag: "Obj", key: "model", src: "http://localhost:8012/workspace/models/cube.obj", position: [-1, 0, 0], color: "red", materialType: "basic" },
    { tag: "Image", key: "img", src: "green.png", height: 1, position: [1, 0, 0] },
  ]));
  const px = await frame(v, "assets-local");
  assert.deepEqual([...warningsFor("model"), ...warningsFor("img")], []);
  assert.ok(share(px, red, [0.2, 0.35, 0.45, 0.65]) > 0.3, "the OBJ from /workspace/ is drawn (red, left)");
  assert.ok(share(px, green, [0.55, 0.35, 0.8, 0.65]) > 0.3, "the PNG from a relative path is drawn (green, right)");
  // The same file by vuer's older /static/ route, and a texture map by app.localhost_prefix.
  await v.send(scene([
    { tag: "Obj", key: "model", src: "http://localhost:8012/static/models/cube.obj", color: "red", materialType: "basic" },
    { tag: "Plane", key: "tex", args: [1, 1], position: [1.2, 0, 0], children: [{ tag: "meshBasicMaterial", key: "m", attach: "material", map: "http://localhost:8012/workspace/green.png" }] },
  ]));
  const px2 = await frame(v, "assets-static");
  assert.ok(share(px2, red, [0.4, 0.4, 0.6, 0.6]) > 0.5, "the /static/ OBJ");
  assert.ok(share(px2, green, [0.66, 0.43, 0.78, 0.57]) > 0.5, "the map texture");
  assert.deepEqual([...warningsFor("model"), ...warningsFor("m"), ...warningsFor("tex")], []);
});

test("a missing file is one warning naming it; escapes are refused and the file outside is never read", async () => {
  const before = v.warnings().length;
  await v.send(scene([
    { tag: "Obj", key: "missing", src: "http://localhost:8012/workspace/models/nope.obj" },
    { tag: "Obj", key: "leak", src: "http://localhost:8012/workspace/models/leak.obj", color: "red", materialType: "basic" },
    { tag: "Obj", key: "dots", src: "../outside.obj", color: "red", materialType: "basic" },
    { tag: "Obj", key: "encoded", src: "http://localhost:8012/workspace/..%2f..%2foutside.obj", color: "red", materialType: "basic" },
  ]));
  const px = await frame(v, "assets-refused");
  assert.ok(share(px, notBackground) < 0.002, "nothing drawn");
  const missing = warningsFor("missing");
  assert.equal(missing.length, 1);
  assert.match(missing[0], /prog\/models\/nope\.obj: no such file in the program's folder/);
  assert.ok(!missing[0].includes("\n"), "one line");
  assert.match(warningsFor("leak")[0], /prog\/models\/leak\.obj: a link to a file outside the program's folder/);
  assert.match(warningsFor("dots")[0], /leaves the program's folder/);
  assert.match(warningsFor("encoded")[0], /leaves the program's folder/);
  assert.equal(v.warnings().length - before, 4);
  // The page asked only for files under the mapped root (the link was asked for and refused by the host).
  assert.ok(!reads.some((u) => u.includes("outside.obj")), `no request names the outside file: ${reads.filter((u) => u.includes("outside"))}`);
});

test("a page cannot read past the root by writing the mapped URL itself", async () => {
  const status = await v.page.evaluate(async () => {
    const base = document.querySelector('meta[name="scene-runner-assets"]').content;
    const { base: b } = JSON.parse(base);
    const out = [];
    for (const p of ["/prog/models/leak.obj", "/%2e%2e/outside.obj", "/prog/..%2f..%2foutside.obj", "/prog/models/cube.obj"]) {
      const r = await fetch(b + p);
      out.push(r.status);
    }
    return out;
  });
  // (The URL parser turns %2e%2e into "..", so the second lands outside files/ and gets the plain 404.)
  assert.deepEqual(status, [403, 404, 403, 200]);
});

test("a URDF from the program's folder finds its meshes next to it (relative, package://, workingPath); a mesh path cannot climb out", async () => {
  mkdirSync(join(ws, "prog", "robot", "meshes"), { recursive: true });
  copyFileSync(join(fixtures, "cube.obj"), join(ws, "prog", "robot", "meshes", "cube.obj"));
  const urdf = (mesh) => `<robot name="r"><link name="base"><visual><geometry><mesh filename="${mesh}"/></geometry><material name="m"><color rgba="1 0 0 1"/></material></visual></link></robot>`;
  writeFileSync(join(ws, "prog", "robot", "r.urdf"), urdf("meshes/cube.obj"));
  writeFileSync(join(ws, "prog", "robot", "pkg.urdf"), urdf("package://robot/meshes/cube.obj"));
  writeFileSync(join(ws, "prog", "robot", "out.urdf"), urdf("../../../outside.obj"));
  for (const [src, extra] of [["robot/r.urdf", {}], ["http://localhost:8012/workspace/robot/pkg.urdf", {}], ["robot/r.urdf", { workingPath: "http://localhost:8012/workspace/robot/" }]]) {
    await v.send(scene([{ tag: "Urdf", key: "u", src, ...extra, color: "red", materialType: "basic" }]));
    assert.deepEqual(warningsFor("u"), [], `${src} ${JSON.stringify(extra)}`);
    assert.ok(share(await frame(v, "assets-urdf"), red, [0.4, 0.4, 0.6, 0.6]) > 0.5, `the mesh of ${src} is drawn`);
  }
  const from = reads.length;
  await v.send(scene([{ tag: "Urdf", key: "uo", src: "robot/out.urdf", color: "red", materialType: "basic" }]));
  assert.match(warningsFor("uo")[0], /leaves the program's folder/);
  assert.deepEqual(reads.slice(from).filter((u) => u.includes("outside.obj")), [], "the mesh outside was never asked for");
});

test("vuer's sky ball: a primitive's material dict with a map URL from the program's folder is textured (inside view, side 1)", async () => {
  await v.send(scene([]));
  const empty = await v.stats();
  const sky = { tag: "Sphere", key: "sky", args: [10, 24, 16], material: { map: "http://localhost:8012/workspace/green.png", side: 1 }, materialType: "basic" };
  await v.send(SET([sky], { grid: false, bgChildren: [{ ...camera, position: [0, 0, 0], lookAt: [0, 0, -1] }] }));
  assert.ok(share(await frame(v, "assets-skyball"), green) > 0.95, "the inside of the ball is the texture");
  assert.deepEqual(warningsFor("sky"), []);
  await v.send(scene([]));
  const now = await v.stats();
  assert.deepEqual([now.geometries, now.textures], [empty.geometries, empty.textures], "its texture is freed with it");
});
