// The catalogue montage (media/catalogue.png): one scene with a component of each family
// drawn together, with no placeholder and no warning. SCENE_MONTAGE=path writes the picture.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, SET } from "./harness.mjs";

let v;
before(async () => {
  v = await openViewer({ width: 960, height: 600 });
});
after(async () => {
  await v?.close();
});

const lbl = (key, text, position) => ({ tag: "Text", key: `l-${key}`, text, fontSize: 0.1, position, color: "#dddddd" });
const montage = () => SET([
  { tag: "Text3D", key: "t3", children: ["Scene Runner", { tag: "meshNormalMaterial", key: "t3m" }], size: 0.45, height: 0.12, bevelEnabled: true, bevelSize: 0.01, bevelThickness: 0.02, position: [-2.1, 1.9, 0] },
  // row 1: geometry
  { tag: "Tube", key: "tube", args: [[[-3.4, 0.6, 0], [-3.0, 1.2, 0], [-2.6, 0.6, 0]], 48, 0.07, 10, false], color: "#ff9f1c" }, lbl("tube", "Tube", [-3.0, 0.35, 0]),
  { tag: "Lathe", key: "lathe", args: [[[0, 0], [0.3, 0.05], [0.18, 0.35], [0.28, 0.6]], 32], position: [-1.9, 0.55, 0], color: "#7bd389" }, lbl("lathe", "Lathe", [-1.9, 0.35, 0]),
  { tag: "Extrude", key: "ex", args: [[[0, 0], [0.5, 0], [0.5, 0.2], [0.2, 0.2], [0.2, 0.5], [0, 0.5]], { depth: 0.15, bevelEnabled: true, bevelSize: 0.02, bevelThickness: 0.02 }], position: [-1.05, 0.6, 0], rotation: [0, 0.5, 0], color: "#ff6b6b" }, lbl("ex", "Extrude", [-0.85, 0.35, 0]),
  { tag: "Polyhedron", key: "po", args: [[1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1], [2, 1, 0, 0, 3, 2, 1, 3, 0, 2, 3, 1], 0.3, 0], position: [0.1, 0.85, 0], color: "#ffd166" }, lbl("po", "Polyhedron", [0.1, 0.35, 0]),
  { tag: "Box", key: "eb", args: [0.45, 0.45, 0.45], position: [1.1, 0.85, 0], rotation: [0.4, 0.6, 0], color: "#263238", materialType: "basic", children: [{ tag: "Edges", key: "ed", color: "#ffffff" }] }, lbl("eb", "Edges", [1.1, 0.35, 0]),
  { tag: "Sphere", key: "ws", args: [0.28, 14, 10], position: [2.0, 0.85, 0], color: "#10151a", materialType: "basic", children: [{ tag: "Wireframe", key: "wf", color: "#4dd0e1" }] }, lbl("ws", "Wireframe", [2.0, 0.35, 0]),
  { tag: "BoundingBox", key: "bbx", color: "#ffd24d", children: [{ tag: "TorusKnot", key: "tk", args: [0.18, 0.06, 96, 12], position: [2.95, 0.85, 0], color: "#c792ea", children: [{ tag: "meshPhysicalMaterial", key: "tkm", color: "#c792ea", roughness: 0.25, metalness: 0.3, clearcoat: 1 }] }] }, lbl("bbx", "BoundingBox", [2.95, 0.35, 0]),
  // row 2: curves, lights, materials, cameras
  { tag: "CatmullRomLine", key: "cr", points: [[-3.5, -0.5, 0], [-3.2, -0.1, 0], [-2.9, -0.6, 0], [-2.6, -0.15, 0]], color: "#ffee58", lineWidth: 4 }, lbl("cr", "CatmullRom line", [-3.05, -0.85, 0]),
  { tag: "CubicBezierLine", key: "cb", start: [-2.3, -0.6, 0], end: [-1.5, -0.6, 0], midA: [-2.2, 0, 0], midB: [-1.6, 0, 0], color: "#4fc3f7", lineWidth: 4 }, lbl("cb", "Bezier line", [-1.9, -0.85, 0]),
  { tag: "Sphere", key: "ms1", args: [0.25, 32, 16], position: [-0.9, -0.35, 0], children: [{ tag: "meshNormalMaterial", key: "mn" }] }, lbl("ms1", "normal material", [-0.9, -0.85, 0]),
  { tag: "Sphere", key: "ms2", args: [0.25, 32, 16], position: [0.0, -0.35, 0], children: [{ tag: "meshPhongMaterial", key: "mp", color: "#ef5350", shininess: 90, specular: "#ffffff" }] }, lbl("ms2", "phong material", [0.0, -0.85, 0]),
  { tag: "Box", key: "ra-box", args: [0.6, 0.5, 0.05], position: [0.95, -0.35, -0.1], color: "#ffffff" },
  { tag: "RectAreaLight", key: "ra", color: "#00e5ff", intensity: 12, width: 0.5, height: 0.3, position: [0.95, -0.35, 0.5], lookAt: [0.95, -0.35, 0] }, lbl("ra", "RectAreaLight", [0.95, -0.85, 0]),
  { tag: "CameraHelper", key: "ch", fov: 50, far: 0.5, position: [1.95, -0.35, 0.2], rotation: [0, 0.6, 0] }, lbl("ch", "CameraHelper", [1.95, -0.85, 0]),
  { tag: "Billboard", key: "bb", position: [2.95, -0.35, 0], children: [{ tag: "Plane", key: "bbp", args: [0.5, 0.3], color: "#26a69a", materialType: "basic" }] }, lbl("bb", "Billboard", [2.95, -0.85, 0]),
  { tag: "Html", key: "html", position: [0, -1.35, 0], children: [{ tag: "div", key: "hd", text: "Html overlay pinned to a node", style: { background: "#1565c0", color: "white", padding: "3px 8px", borderRadius: 4, font: "12px system-ui" } }] },
], { grid: true, bgChildren: [
  { tag: "HemisphereLightStage", key: "stage" },
  { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0.9, 6.3], lookAt: [0, 0.05, 0], fov: 45 },
  { tag: "fog", key: "fog", color: "#1e1e1e", near: 7, far: 16 },
], htmlChildren: [
  { tag: "Markdown", key: "md", text: "**Markdown** overlay: `code`, *emphasis*, [links](https://vuer.ai)" },
] });

test("the montage scene draws every component without a placeholder or a warning", async () => {
  await v.send(montage());
  const keys = await v.page.evaluate(() => window.__sceneViewer.keys());
  assert.ok(keys.length > 40, `${keys.length} nodes`);
  for (const k of keys) assert.equal((await v.node(k)).placeholder, false, k);
  assert.deepEqual(v.warnings().map((w) => w.message), []);
  assert.deepEqual(v.errors, []);
  if (process.env.SCENE_MONTAGE) await v.page.screenshot({ path: process.env.SCENE_MONTAGE });
});
