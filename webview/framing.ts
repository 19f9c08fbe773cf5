/**
 * Framing: where the camera goes so that some content fills the view, and whether the view
 * already shows it well. Pure math on three's types (unit-tested in test/unit/webview-framing),
 * plus `contentBounds`, the world box of what the scene draws.
 */
import { Box3, Sphere, Vector3, type InstancedMesh, type Mesh, type Object3D, type PerspectiveCamera } from "three";

export interface Pose {
  position: Vector3;
  target: Vector3;
}

/** How much of the view's smaller half-extent a framed bounding sphere takes (some margin left). */
export const FILL = 0.7;
/** Below this share of the view's half-height the content counts as too small to see well. */
export const MIN_SHOWN = 0.08;
/** The content's centre must be this far inside the view (share of the half-extent) to count as shown. */
export const EDGE = 0.9;

/** Half of the smaller field of view angle (radians) of a perspective lens. */
function halfAngle(fovDeg: number, aspect: number): number {
  const v = (fovDeg * Math.PI) / 360;
  const h = Math.atan(Math.tan(v) * aspect);
  return Math.min(v, h);
}

/** The distance at which a sphere of `radius` spans `fill` of the smaller half-extent of the view. */
export function fitDistance(radius: number, fovDeg: number, aspect: number, fill = FILL): number {
  const r = Math.max(radius, 1e-4);
  // The sphere's silhouette has angular radius asin(r/d); on screen it spans tan(that)/tan(half).
  return r / Math.sin(Math.atan(fill * Math.tan(halfAngle(fovDeg, aspect))));
}

/**
 * The camera pose that frames `sphere`: the same viewing direction as `from` (so the user keeps
 * their bearings), standing back far enough for the sphere to fill the view.
 */
export function framePose(sphere: Sphere, from: Pose, fovDeg: number, aspect: number, fill = FILL): Pose {
  const direction = from.position.clone().sub(from.target);
  if (direction.lengthSq() < 1e-12 || !Number.isFinite(direction.lengthSq())) direction.set(1, 1, 1);
  direction.normalize();
  const distance = fitDistance(sphere.radius, fovDeg, aspect, fill);
  return { position: sphere.center.clone().addScaledVector(direction, distance), target: sphere.center.clone() };
}

/**
 * Whether `camera` already shows `sphere` (the content's bounding sphere) well enough to leave
 * it be: its centre in front of the camera and inside the view (not at its very edge), within
 * the far plane, and spanning at least `minShown` of the half-height. A camera inside the
 * sphere has the content all around it: that counts as shown. Lenient on purpose: a program's
 * scene laid out for the usual home view keeps it.
 */
export function showsWell(sphere: Sphere, camera: PerspectiveCamera, minShown = MIN_SHOWN): boolean {
  camera.updateMatrixWorld();
  const local = sphere.center.clone().applyMatrix4(camera.matrixWorldInverse);
  const depth = -local.z; // the camera looks down its -Z
  if (!Number.isFinite(depth) || depth <= 0) return false;
  if (depth <= sphere.radius) return true;
  if (depth - sphere.radius > camera.far) return false;
  const tanV = Math.tan((camera.fov * Math.PI) / 360) / camera.zoom;
  const tanH = tanV * camera.aspect;
  // The centre, in units of the view's half-extents, and the silhouette's angular radius.
  const x = local.x / depth / tanH;
  const y = local.y / depth / tanV;
  if (Math.abs(x) > EDGE || Math.abs(y) > EDGE) return false;
  return Math.tan(Math.asin(sphere.radius / depth)) / tanV >= minShown;
}

/**
 * The world box of what `root` draws (visible objects with geometry), leaving out anything with
 * non-finite coordinates (a point cloud with NaNs must not make the box NaN). Instanced meshes
 * count their instances, measured now (their cached box goes stale as instances move).
 */
export function contentBounds(root: Object3D, into = new Box3()): Box3 {
  into.makeEmpty();
  const part = new Box3();
  root.updateWorldMatrix(true, true);
  root.traverseVisible((o) => {
    const mesh = o as Mesh & Partial<InstancedMesh>;
    if (!mesh.geometry) return;
    if ((mesh as InstancedMesh).isInstancedMesh) {
      if ((mesh as InstancedMesh).count === 0) return;
      (mesh as InstancedMesh).computeBoundingBox();
      part.copy((mesh as InstancedMesh).boundingBox!);
    } else {
      if (!mesh.geometry.getAttribute("position")?.count) return;
      if (!mesh.geometry.boundingBox) mesh.geometry.computeBoundingBox();
      part.copy(mesh.geometry.boundingBox!);
    }
    part.applyMatrix4(mesh.matrixWorld);
    if (!part.isEmpty() && [part.min.x, part.min.y, part.min.z, part.max.x, part.max.y, part.max.z].every(Number.isFinite)) into.union(part);
  });
  return into;
}
