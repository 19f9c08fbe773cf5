// The viewer's framing math (webview/framing.ts) and its background contrast rule (webview/contrast.ts),
// on three's real types.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { fitDistance, framePose, showsWell, contentBounds, FILL } = await loadTs("webview/framing.ts");
const { luminance, contrastRatio, viewportBackground, MIN_WHITE_CONTRAST, MIN_BLACK_CONTRAST } = await loadTs("webview/contrast.ts");
const THREE = await loadTs("node_modules/three/build/three.module.js");
const { Sphere, Vector3, PerspectiveCamera, Mesh, BoxGeometry, Points, BufferGeometry, Float32BufferAttribute, Group, Color } = THREE;

const camera = (position, target, fov = 50, aspect = 4 / 3) => {
  const c = new PerspectiveCamera(fov, aspect, 0.01, 2000);
  c.position.set(...position);
  c.lookAt(new Vector3(...target));
  c.updateMatrixWorld();
  return c;
};

test("fitDistance: the framed sphere spans FILL of the smaller half-extent of the view", () => {
  for (const [fov, aspect] of [[50, 4 / 3], [50, 0.5], [90, 1]]) {
    const d = fitDistance(2, fov, aspect);
    const half = Math.min((fov * Math.PI) / 360, Math.atan(Math.tan((fov * Math.PI) / 360) * aspect));
    const spans = Math.tan(Math.asin(2 / d)) / Math.tan(half);
    assert.ok(Math.abs(spans - FILL) < 1e-9, `${fov}° at ${aspect}: ${spans}`);
  }
  assert.ok(fitDistance(1, 50, 0.5) > fitDistance(1, 50, 2), "a narrow view stands further back");
  assert.ok(fitDistance(0, 50, 1) > 0, "a point still gets a distance");
});

test("framePose keeps the viewing direction and centres the sphere", () => {
  const sphere = new Sphere(new Vector3(40, 5, -30), 0.5);
  const pose = framePose(sphere, { position: new Vector3(2.4, 2, 3.2), target: new Vector3(0, 0.2, 0) }, 50, 4 / 3);
  assert.deepEqual(pose.target.toArray(), [40, 5, -30]);
  const dir = pose.position.clone().sub(pose.target).normalize();
  const was = new Vector3(2.4, 1.8, 3.2).normalize();
  assert.ok(dir.distanceTo(was) < 1e-9);
  const c = camera(pose.position.toArray(), pose.target.toArray());
  assert.ok(showsWell(sphere, c), "the framed view shows the sphere well");
  // A camera standing on its target still gets somewhere to look from.
  const p2 = framePose(sphere, { position: new Vector3(1, 1, 1), target: new Vector3(1, 1, 1) }, 50, 1);
  assert.ok(Number.isFinite(p2.position.x) && p2.position.distanceTo(sphere.center) > 0.5);
});

test("showsWell: off screen, behind, beyond far or tiny is not; in view, or around the camera, is", () => {
  const home = camera([2.4, 2, 3.2], [0, 0.2, 0]);
  assert.equal(showsWell(new Sphere(new Vector3(0, 0.5, 0), 0.5), home), true, "a box at the origin");
  assert.equal(showsWell(new Sphere(new Vector3(40, 5, -30), 0.5), home), false, "far off to the side");
  assert.equal(showsWell(new Sphere(new Vector3(24, 20, 32), 1), home), false, "behind the camera");
  assert.equal(showsWell(new Sphere(new Vector3(0, 0.2, 0), 0.01), home), false, "too small to see");
  assert.equal(showsWell(new Sphere(new Vector3(-2400, -1800, -3200), 1), home), false, "past the far plane");
  assert.equal(showsWell(new Sphere(new Vector3(0, 0, 0), 50), home), true, "content all around the camera");
});

test("contentBounds: visible geometry in world space; NaN coordinates and hidden objects left out", () => {
  const root = new Group();
  const box = new Mesh(new BoxGeometry(1, 1, 1));
  box.position.set(10, 0, 0);
  const hidden = new Mesh(new BoxGeometry(1, 1, 1));
  hidden.position.set(-100, 0, 0);
  hidden.visible = false;
  const nan = new Points(new BufferGeometry().setAttribute("position", new Float32BufferAttribute([0, NaN, 0, 1e3, 0, 0], 3)));
  root.add(box, hidden, nan);
  const b = contentBounds(root);
  assert.deepEqual([b.min.toArray(), b.max.toArray()], [[9.5, -0.5, -0.5], [10.5, 0.5, 0.5]]);
  assert.equal(contentBounds(new Group()).isEmpty(), true);
});

test("viewport background: white and black content keep their contrast; mid themes are left as they are", () => {
  const white = new Color(1, 1, 1), black = new Color(0, 0, 0);
  const light = viewportBackground(new Color().setStyle("#ffffff"));
  assert.ok(contrastRatio(white, light) >= MIN_WHITE_CONTRAST - 1e-9, `white on ${light.getHexString()}`);
  assert.ok(luminance(light) > 0.5, "still a light background");
  const dark = viewportBackground(new Color().setStyle("#000000"));
  assert.ok(contrastRatio(black, dark) >= MIN_BLACK_CONTRAST - 1e-9, `black on ${dark.getHexString()}`);
  const mid = new Color().setStyle("#3c5a78");
  assert.equal(viewportBackground(mid).getHexString(), mid.getHexString());
  // The hue is kept: a cream theme stays warm.
  const cream = viewportBackground(new Color().setStyle("#fdf6e3"));
  assert.ok(cream.r > cream.b, cream.getHexString());
});
