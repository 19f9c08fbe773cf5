/** Tag -> factory. Unknown tags get a visible placeholder and one warning. */
import { BoxGeometry, Mesh, MeshBasicMaterial } from "three";
import type { InstancePools } from "../instancing.js";
import type { WidgetPanel } from "../panel.js";
import type { Props } from "../props.js";
import { disposeObject } from "../dispose.js";
import { pointCloud, triMesh } from "./geometry-data.js";
import { coordsMarker, frustum, grid } from "./helpers.js";
import { image, imageBackground } from "./images.js";
import { instancedPrimitive } from "./instanced-primitive.js";
import { instances } from "./instances.js";
import { LIGHT_TAGS, light } from "./lights.js";
import { arrow, line } from "./lines.js";
import { MODEL_TAGS, model } from "./models.js";
import { PRIMITIVE_TAGS, primitiveMesh } from "./primitives.js";
import { text } from "./text.js";
import type { Content, NodeContext } from "./types.js";
import { urdf } from "./urdf.js";
import { billboard, center } from "./layout.js";
import { CAMERA_HELPER_TAGS, CAMERA_TAGS, CONTROL_TAGS, camera, cameraHelper, controls } from "./cameras.js";
import { backgroundColor, fog } from "./environment.js";
import { materialChild, materialTag } from "./material-child.js";
import { OVERLAY_TAGS, overlay } from "./overlays.js";
import { CURVE_TAGS, SHAPE_TAGS, bbox, curveLine, edges, shapeMesh, trail } from "./shapes.js";
import { text3d } from "./text3d.js";
import { gripper } from "./gripper.js";
import { withOutlines } from "./outlines.js";
import { ANIMATED_MODEL_TAGS, animatedModel } from "./animated-models.js";
import { DEPTH_CLOUD_TAGS, depthCloud } from "./depth-cloud.js";
import { SPLAT_TAGS, splat } from "./splats.js";
import { facemesh } from "./facemesh.js";
import { materialMaps, withMaterialMaps } from "./material-maps.js";
import { ANIMATOR_TAGS, TRACK_TAGS, animator, keyframeData } from "./keyframes.js";
import { VIDEO_TAGS, WEBRTC_TAGS, hudPlane, videoPlane, webrtc } from "./video.js";

/** Nodes that only group and transform their children. */
export const GROUP_TAGS = new Set(["Scene", "Group", "VuerGroup", "group", "Movable", "Pivot", "Clickable", "Fragment", "BoundingBoxProvider", "DepthPointCloudProvider", "mesh",
  // drei's AccumulativeShadows: a shadow catcher around its RandomizedLights (the shadows themselves are not drawn).
  "AccumulativeShadows"]);
export const WIDGET_TAGS = new Set(["Button", "Slider", "Input", "InputBox"]);
/** Tags that draw nothing in 3D and are not worth a warning. */
const SILENT_TAGS = new Set([
  "GrabRender", "KeyboardMonitor", "PointerControls", "CameraPreviewThumbs", "CameraPreviewOverlay", "ViewportHud",
  // XR-only: they do something only in a headset; accepted without a placeholder or a warning.
  "Gamepad", "Gamepads", "Hands", "MotionControllers", "Body", "Head", "WebXRMesh", "HandActuator", "MotionControllerActuator", "XR", "XRHitTest",
]);

/**
 * vuer tags this viewer knows but cannot carry out here: each is one warning saying why (no
 * placeholder: the node is understood, and the rest of the scene draws).
 */
const EXPLAINED_TAGS: Record<string, string> = {
  ContribLoader: "loads a third-party component library (a UMD script) from a URL; the viewer runs only its own bundled code under its content policy: not loaded",
  MuJoCo: "MuJoCo physics (vuer runs MuJoCo's WebAssembly build in the browser) is not part of this viewer yet: the model is not simulated or drawn",
  MuJoCoProvider: "MuJoCo physics is not part of this viewer yet: its children draw, nothing is simulated",
  TimelineControls: "vuer's timeline bar for its own recorded playback is not drawn here",
};

export interface Env {
  pools: InstancePools | null;
  panel: WidgetPanel;
}

const empty = (): Content => ({ object: null, dispose() {} });

export function buildContent(tag: string, p: Props, ctx: NodeContext, env: Env): Content {
  if (GROUP_TAGS.has(tag) || SILENT_TAGS.has(tag)) return empty();
  if (tag in EXPLAINED_TAGS) {
    p.warn("tag", EXPLAINED_TAGS[tag]);
    return empty();
  }
  if (PRIMITIVE_TAGS.has(tag)) {
    const textured = materialMaps(p).length > 0; // a texture of its own: not pooled
    let c = env.pools && p.raw.instanced !== false && !textured ? instancedPrimitive(tag, p, ctx, env.pools) : primitiveMesh(tag, p);
    if (textured) c = withMaterialMaps(c, p, ctx);
    return p.has("outlines") ? withOutlines(c, p, ctx) : c;
  }
  if (LIGHT_TAGS.has(tag)) return light(tag, p, ctx);
  if (CAMERA_TAGS.has(tag)) return camera(tag, p, ctx);
  if (CONTROL_TAGS.has(tag)) return controls(p, ctx);
  if (CAMERA_HELPER_TAGS.has(tag)) return cameraHelper(tag, p, ctx);
  if (CURVE_TAGS.has(tag)) return curveLine(tag, p, ctx);
  if (SHAPE_TAGS.has(tag)) return shapeMesh(tag, p);
  if (OVERLAY_TAGS.has(tag)) return overlay(tag, p, ctx);
  if (materialTag(tag)) return materialChild(tag, p, ctx, env.pools);
  if (tag in MODEL_TAGS) return model(MODEL_TAGS[tag], p, ctx);
  if (ANIMATED_MODEL_TAGS.has(tag)) return animatedModel(tag, p, ctx);
  if (DEPTH_CLOUD_TAGS.has(tag)) return depthCloud(p, ctx);
  if (SPLAT_TAGS.has(tag)) return splat(tag, p, ctx);
  if (VIDEO_TAGS.has(tag)) return videoPlane(tag, p, ctx);
  if (WEBRTC_TAGS.has(tag)) return webrtc(tag, p);
  if (tag === "HUDPlane") return hudPlane(p, ctx);
  if (ANIMATOR_TAGS.has(tag)) return animator(p, ctx);
  if (TRACK_TAGS.has(tag)) return keyframeData(tag, p, ctx);
  if (WIDGET_TAGS.has(tag)) {
    env.panel.add(ctx.key, tag === "InputBox" ? "Input" : tag, p);
    return {
      object: null,
      update(np) {
        env.panel.update(ctx.key, np);
        return true;
      },
      dispose: () => env.panel.remove(ctx.key),
    };
  }
  switch (tag) {
    case "Facemesh": return facemesh(p);
    case "Line": return line(p);
    case "Arrow": return arrow(p);
    case "Text": return text(p, ctx);
    case "Text3D": return text3d(p, ctx);
    case "Billboard": return billboard(p, ctx);
    case "Center": return center(p, ctx);
    case "Fog": case "fog": return fog(p, ctx);
    case "BackgroundColor": return backgroundColor(p, ctx);
    case "SceneBackground": return imageBackground(p, ctx);
    case "Edges": case "Wireframe": return edges(tag, p, ctx);
    case "BBox": case "BoundingBox": return bbox(tag, p, ctx);
    case "Gripper": case "SkeletalGripper": return gripper(tag, p);
    case "Trail": return trail(p, ctx);
    case "PointCloud": case "p": return pointCloud(p);
    case "TriMesh": return triMesh(p);
    case "Grid": return grid(p);
    case "CoordsMarker": return coordsMarker(p);
    case "Frustum": return frustum(p);
    case "Image": return image(p, ctx);
    case "ImageBackground": return imageBackground(p, ctx);
    case "Urdf": return urdf(p, ctx);
    case "Instances": case "InstancedMesh": return instances(p);
  }
  return placeholder(tag, p);
}

/** What an unknown tag looks like: a small magenta wireframe cube where the node is. */
export function placeholder(tag: string, p: Props, reason = `unknown tag "${tag}": drawn as a placeholder`): Content {
  p.warn("tag", reason);
  const mesh = new Mesh(new BoxGeometry(0.25, 0.25, 0.25), new MeshBasicMaterial({ color: 0xff00ff, wireframe: true }));
  mesh.userData.placeholder = true;
  return { object: mesh, dispose: () => disposeObject(mesh) };
}
