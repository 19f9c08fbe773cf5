/**
 * Cameras and camera controls as vuer's client treats them:
 * - PerspectiveCamera / SceneCamera with `makeDefault` (SceneCamera always is the
 *   scene's camera): the view moves to the node's position (and looks at `lookAt`,
 *   or along the node's rotation); fov, near, far and zoom apply. The user can
 *   still orbit; the camera is moved again only when the node's transform changes.
 * - OrthographicCamera with `makeDefault`: frames are drawn with an orthographic
 *   camera (left/right/top/bottom when given, else fitted to the view), orbitable.
 * - OrbitControls / SceneCameraControl: target, enable{Pan,Rotate,Zoom},
 *   min/maxDistance, min/maxPolarAngle (degrees above 2π, else radians), speeds;
 *   position, fov and zoom move/zoom the camera they drive (when given or changed).
 * - CameraHelper, PerspectiveFrustum, OrthographicFrustum, FisheyeFrustum, CameraView:
 *   a camera's frustum drawn as lines at the node (CameraView draws its frustum; the
 *   picture-in-picture monitor is not drawn).
 * A camera without makeDefault draws nothing, as in vuer. FisheyeCamera is drawn as a
 * wide perspective camera (no fisheye distortion).
 */
import { CameraHelper, Matrix4, OrthographicCamera, PerspectiveCamera, Quaternion, Vector3, type Camera } from "three";
import type { OrbitControls } from "three/addons/controls/OrbitControls.js";
import type { Props } from "../props.js";
import { servicesOf, type StageServices } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export const CAMERA_TAGS = new Set(["PerspectiveCamera", "SceneCamera", "OrthographicCamera", "SimplePerspectiveCamera", "SimpleOrthographicCamera", "FisheyeCamera"]);
export const CONTROL_TAGS = new Set(["OrbitControls", "SceneCameraControl", "CameraControls", "MapControls"]);
export const CAMERA_HELPER_TAGS = new Set(["CameraHelper", "PerspectiveFrustum", "OrthographicFrustum", "FisheyeFrustum", "CameraView", "MjCameraView"]);

const DEFAULTS = { fov: 50, near: 0.01, far: 2000, zoom: 1 };
const none = (): Content => ({ object: null, dispose() {} });

/** Moves the stage camera to the node whenever the node's world transform changes. */
function follow(ctx: NodeContext, s: StageServices, camera: () => PerspectiveCamera | OrthographicCamera, props: () => Props): () => void {
  const last = new Matrix4().set(NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  let lastLook = "";
  return s.addFrameHook(() => {
    const p = props();
    const look = p.vec("lookAt", 3) ?? p.vec("target", 3);
    const lookKey = look ? look.join(",") : "";
    if (last.equals(ctx.holder.matrixWorld) && lookKey === lastLook) return false;
    last.copy(ctx.holder.matrixWorld);
    lastLook = lookKey;
    const cam = camera();
    const pos = new Vector3(), q = new Quaternion(), sc = new Vector3();
    ctx.holder.matrixWorld.decompose(pos, q, sc);
    const hasPlace = p.has("position") || p.has("matrix") || ctx.holder.parent?.userData.nodeKey !== undefined;
    if (hasPlace) cam.position.copy(pos);
    if (look) s.controls.target.set(look[0], look[1], look[2]);
    else if (p.has("rotation") || p.has("quaternion")) {
      const dist = Math.max(0.1, cam.position.distanceTo(s.controls.target));
      s.controls.target.copy(cam.position).add(new Vector3(0, 0, -1).applyQuaternion(q).multiplyScalar(dist));
    }
    s.controls.update();
    return false;
  }, true);
}

function applyLens(cam: PerspectiveCamera, p: Props): void {
  cam.fov = p.num("fov", DEFAULTS.fov, { min: 1, max: 179 });
  cam.near = p.num("near", DEFAULTS.near, { min: 1e-6 });
  cam.far = p.num("far", DEFAULTS.far, { min: 1e-5 });
  cam.zoom = p.num("zoom", DEFAULTS.zoom, { min: 1e-6 });
  cam.updateProjectionMatrix();
}

export function camera(tag: string, p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  const isDefault = tag === "SceneCamera" || p.bool("makeDefault", false) || p.bool("active", false);
  if (!s || !isDefault) return none();
  let props = p;
  if (tag === "OrthographicCamera" || tag === "SimpleOrthographicCamera") {
    const ortho = new OrthographicCamera(-1, 1, 1, -1, 0.1, 1000);
    ortho.up.copy(s.camera.up);
    ortho.position.copy(s.camera.position);
    const fit = (aspect: number) => {
      const q = props;
      const manual = ["left", "right", "top", "bottom"].every((k) => q.has(k));
      if (manual) {
        ortho.left = q.num("left", -1); ortho.right = q.num("right", 1);
        ortho.top = q.num("top", 1); ortho.bottom = q.num("bottom", -1);
      } else {
        // As much of the scene as the perspective view shows at the target's distance.
        const half = Math.tan((s.camera.fov * Math.PI) / 360) * Math.max(0.1, s.camera.position.distanceTo(s.controls.target));
        ortho.top = half; ortho.bottom = -half; ortho.left = -half * aspect; ortho.right = half * aspect;
      }
      ortho.near = q.num("near", 0.1); ortho.far = q.num("far", 1000);
      ortho.zoom = q.num("zoom", 1, { min: 1e-6 });
      ortho.updateProjectionMatrix();
    };
    ortho.userData.fit = fit;
    s.setView(ctx.key, ortho);
    const off = follow(ctx, s, () => ortho, () => props);
    return {
      object: null,
      update(np) {
        props = np;
        fit(s.container.clientWidth / Math.max(1, s.container.clientHeight));
        s.changed();
        return true;
      },
      dispose() {
        off();
        s.setView(ctx.key, null);
      },
    };
  }
  applyLens(s.camera, p);
  const off = follow(ctx, s, () => s.camera, () => props);
  return {
    object: null,
    update(np) {
      props = np;
      applyLens(s.camera, np);
      s.changed();
      return true;
    },
    dispose() {
      off();
      const c = s.camera;
      c.fov = DEFAULTS.fov; c.near = DEFAULTS.near; c.far = DEFAULTS.far; c.zoom = DEFAULTS.zoom;
      c.updateProjectionMatrix();
      s.changed();
    },
  };
}

const angle = (v: number) => (Math.abs(v) > 2 * Math.PI + 1e-6 ? (v * Math.PI) / 180 : v);
type ControlState = Pick<OrbitControls, "enablePan" | "enableRotate" | "enableZoom" | "minDistance" | "maxDistance" | "minPolarAngle" | "maxPolarAngle" | "zoomSpeed" | "rotateSpeed" | "panSpeed" | "screenSpacePanning" | "minZoom" | "maxZoom">;
const CONTROL_DEFAULTS: ControlState = {
  enablePan: true, enableRotate: true, enableZoom: true, minDistance: 0, maxDistance: Infinity, minPolarAngle: 0, maxPolarAngle: Math.PI,
  zoomSpeed: 1, rotateSpeed: 1, panSpeed: 1, screenSpacePanning: true, minZoom: 0, maxZoom: Infinity,
};

export function controls(p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  if (!s) return none();
  let props = p;
  let applied: OrbitControls | null = null;
  let lastTarget = "";
  let lastPosition = "";
  let lensSet = false;
  const apply = (c: OrbitControls, q: Props) => {
    Object.assign(c, CONTROL_DEFAULTS);
    for (const k of ["enablePan", "enableRotate", "enableZoom", "screenSpacePanning"] as const) c[k] = q.bool(k, CONTROL_DEFAULTS[k]);
    for (const k of ["minDistance", "maxDistance", "zoomSpeed", "rotateSpeed", "panSpeed", "minZoom", "maxZoom"] as const) c[k] = q.num(k, CONTROL_DEFAULTS[k], { min: 0 });
    c.minPolarAngle = angle(q.num("minPolarAngle", 0));
    c.maxPolarAngle = angle(q.num("maxPolarAngle", Math.PI));
    if (c.maxPolarAngle < c.minPolarAngle) c.maxPolarAngle = Math.PI;
    const t = q.vec("target", 3);
    const key = t ? t.join(",") : "";
    if (t && key !== lastTarget) c.target.set(t[0], t[1], t[2]);
    lastTarget = key;
    // Camera props on the controls node (vuer's SceneCameraControl takes them too).
    const pos = q.vec("position", 3);
    const posKey = pos ? pos.join(",") : "";
    if (pos && posKey !== lastPosition) c.object.position.set(pos[0], pos[1], pos[2]);
    lastPosition = posKey;
    if (q.has("fov") || q.has("zoom")) {
      s.camera.fov = q.num("fov", s.camera.fov, { min: 1, max: 179 });
      s.camera.zoom = q.num("zoom", s.camera.zoom, { min: 1e-6 });
      s.camera.updateProjectionMatrix();
      lensSet = true;
    }
    c.update();
  };
  // The stage may replace its controls (a new `up`): the props follow them.
  let lastMatrix = ctx.holder.matrix.elements.join(",");
  const off = s.addFrameHook(() => {
    if (applied !== s.controls) {
      applied = s.controls;
      lastTarget = "";
      apply(applied, props);
    }
    // An upsert of only `position` moves the node's holder without calling update().
    const m = ctx.holder.matrix.elements.join(",");
    if (m !== lastMatrix) {
      lastMatrix = m;
      const pos = new Vector3().setFromMatrixPosition(ctx.holder.matrix);
      lastPosition = pos.toArray().join(",");
      s.controls.object.position.copy(pos);
      s.controls.update();
    }
    return false;
  }, true);
  return {
    object: null,
    update(np) {
      props = np;
      apply(s.controls, np);
      s.changed();
      return true;
    },
    dispose() {
      off();
      Object.assign(s.controls, CONTROL_DEFAULTS);
      if (lensSet) {
        s.camera.fov = DEFAULTS.fov;
        s.camera.zoom = DEFAULTS.zoom;
        s.camera.updateProjectionMatrix();
      }
      s.controls.update();
    },
  };
}

/** A camera's frustum as lines (three's CameraHelper), from fov/aspect/near/far or left/right/top/bottom. */
export function cameraHelper(tag: string, p: Props, ctx: NodeContext): Content {
  const ortho = tag === "OrthographicFrustum" || p.str("type") === "orthographic";
  let cam: Camera;
  if (ortho) cam = new OrthographicCamera(p.num("left", -1), p.num("right", 1), p.num("top", 1), p.num("bottom", -1), p.num("near", 0.1, { min: 0 }), p.num("far", 1, { min: 1e-3 }));
  else {
    const w = p.num("width", 0), h = p.num("height", 0);
    const aspect = p.num("aspect", w > 0 && h > 0 ? w / h : 4 / 3, { min: 0.01 });
    const far = p.num("far", tag === "CameraHelper" ? 1 : tag === "CameraView" ? 20 : 2, { min: 1e-3 });
    // CameraView draws its frustum to distanceToCamera (vuer's default 2), not to its far plane.
    const depth = tag === "CameraView" ? Math.min(far, p.num("distanceToCamera", 2, { min: 1e-3 })) : far;
    cam = new PerspectiveCamera(p.num("fov", tag === "FisheyeFrustum" ? 120 : 50, { min: 1, max: 179 }), aspect, p.num("near", 0.1, { min: 1e-4 }), depth);
  }
  (cam as PerspectiveCamera).updateProjectionMatrix();
  cam.updateMatrixWorld();
  const helper = new CameraHelper(cam);
  // The helper's matrix is its camera's world matrix: identity, so it draws at the node.
  cam.matrixWorld.identity();
  helper.update();
  const color = p.color("color");
  if (color) helper.setColors(color, color, color, color, color);
  if (tag === "CameraView" && !p.bool("showFrustum", true)) helper.visible = false;
  // CameraView's monitor: what the camera sees, drawn over the frame at the top left.
  let offMonitor: (() => void) | undefined;
  const s = servicesOf(ctx.holder);
  if (tag === "CameraView" && s && p.bool("monitor", true) && cam instanceof PerspectiveCamera) {
    // The monitor sees as far as the camera does (vuer: far 20); the frustum drawn is shorter.
    const view = new PerspectiveCamera(cam.fov, cam.aspect, p.num("near", 0.1, { min: 1e-4 }), p.num("far", 20, { min: 1e-3 }));
    view.matrixAutoUpdate = false;
    view.updateMatrixWorld = function (this: PerspectiveCamera) {
      this.matrix.copy(ctx.holder.matrixWorld);
      this.matrixWorld.copy(ctx.holder.matrixWorld);
      this.matrixWorldInverse.copy(this.matrixWorld).invert();
    };
    offMonitor = s.addMonitor({
      camera: view,
      size: (w) => {
        const width = Math.min(p.num("width", 320, { min: 16 }), Math.round(w / 3));
        return { width, height: Math.round(width / view.aspect) };
      },
      before: () => (helper.visible = false),
      after: () => (helper.visible = tag !== "CameraView" || p.bool("showFrustum", true)),
    });
  }
  return {
    object: helper,
    dispose() {
      offMonitor?.();
      helper.dispose();
      helper.removeFromParent();
    },
  };
}
