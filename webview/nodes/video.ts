/**
 * Video: VideoPlane (a plane showing `src`, `height` high at the video's aspect), StereoVideoPlane
 * (the left eye of a side-by-side or top-bottom video: a flat screen shows one eye) and
 * VideoMaterial (a video `map` on its parent mesh). Video is muted, so it may play without a
 * click; `loop` and `autoplay` default on. With `distanceToCamera`, the plane (as HUDPlane)
 * stays that far in front of the camera, facing it.
 * WebRTC streams need vuer's signalling server, which is not here: one warning, nothing drawn.
 */
import { DoubleSide, Mesh, MeshBasicMaterial, PlaneGeometry, SRGBColorSpace, Vector3, VideoTexture, type Camera } from "three";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { resolveAsset } from "./assets.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export const VIDEO_TAGS = new Set(["VideoPlane", "StereoVideoPlane"]);
export const WEBRTC_TAGS = new Set(["WebRTCVideoPlane", "WebRTCStereoVideoPlane", "WebRTCVideoMaterial"]);

export interface Video {
  texture: VideoTexture;
  element: HTMLVideoElement;
  dispose(): void;
}

/** A playing, muted video of `src` (mapped like every other file) as a texture; errors are one warning naming the file. */
export function videoTexture(p: Props, ctx: NodeContext, onSize?: (w: number, h: number) => void): Video | undefined {
  const src = p.str("src");
  if (src === undefined) {
    p.warn("src", `expected a video URL in src, got ${describe(p.raw.src)}`);
    return undefined;
  }
  const target = resolveAsset(src);
  if (target.kind === "refused") {
    p.warn("src", target.reason);
    return undefined;
  }
  const shown = target.kind === "file" ? target.path : src;
  const el = document.createElement("video");
  el.muted = true;
  el.playsInline = true;
  el.crossOrigin = "anonymous";
  el.loop = p.bool("loop", true);
  el.preload = "auto";
  const texture = new VideoTexture(el);
  texture.colorSpace = SRGBColorSpace;
  let disposed = false;
  // The viewer draws on demand: each new video frame asks for one.
  const onFrame = () => {
    if (disposed) return;
    ctx.requestRender();
    el.requestVideoFrameCallback(onFrame);
  };
  el.requestVideoFrameCallback(onFrame);
  ctx.track(
    new Promise<void>((resolve) => {
      el.addEventListener("loadeddata", () => {
        onSize?.(el.videoWidth, el.videoHeight);
        ctx.requestRender();
        resolve();
      }, { once: true });
      el.addEventListener("error", () => {
        if (!disposed) p.warn("src", `could not play ${shown}: ${el.error?.message || (target.kind === "file" ? "missing from the program's folder, or not a format this browser plays" : "unreachable, or not a format this browser plays")}`);
        resolve();
      }, { once: true });
    }),
  );
  el.src = target.url;
  if (p.bool("autoplay", true)) void el.play().catch(() => undefined); // paused until the data is there; loadeddata draws the first frame
  return {
    texture,
    element: el,
    dispose() {
      disposed = true;
      el.pause();
      el.removeAttribute("src");
      el.load();
      texture.dispose();
    },
  };
}

/** Keeps `mesh` `distance` in front of the camera, facing it (HUDPlane, VideoPlane with distanceToCamera). */
export function followCamera(mesh: Mesh, p: Props, ctx: NodeContext): (() => void) | undefined {
  const s = servicesOf(ctx.holder);
  if (!s) return undefined;
  const distance = p.num("distanceToCamera", 1, { min: 0 });
  const offset = new Vector3(...((p.vec("position", 3) ?? [0, 0, 0]) as [number, number, number]));
  const ahead = new Vector3();
  return s.addFrameHook((camera: Camera) => {
    // The holder carries the node's own position; undo it, then place the plane in front of the camera.
    const parent = mesh.parent;
    if (!parent) return false;
    ahead.set(offset.x, offset.y, -distance).applyQuaternion(camera.quaternion).add(camera.position);
    parent.updateWorldMatrix(true, false);
    mesh.position.copy(parent.worldToLocal(ahead));
    mesh.quaternion.copy(camera.quaternion);
    const inv = parent.getWorldQuaternion(mesh.quaternion.clone()).invert();
    mesh.quaternion.premultiply(inv);
    return true;
  });
}

export function videoPlane(tag: string, p: Props, ctx: NodeContext): Content {
  const material = new MeshBasicMaterial({ color: 0xffffff, side: DoubleSide, toneMapped: false });
  const geometry = new PlaneGeometry(1, 1);
  const mesh = new Mesh(geometry, material);
  const height = p.num("height", 1, { min: 0 });
  const aspect = p.has("aspect") ? p.num("aspect", 16 / 9, { min: 0 }) : undefined;
  mesh.scale.set(height * (aspect ?? 16 / 9), height, 1);
  const layout = p.str("layout", "side-by-side");
  const stereo = tag === "StereoVideoPlane";
  if (stereo && layout !== "side-by-side" && layout !== "top-bottom") p.warn("layout", `expected "side-by-side" or "top-bottom", got ${describe(layout)}`);
  const video = videoTexture(p, ctx, (w, h) => {
    if (aspect !== undefined || !h) return;
    // The picture's aspect; a stereo frame holds two eyes.
    const a = stereo ? (layout === "top-bottom" ? (2 * w) / h : w / (2 * h)) : w / h;
    mesh.scale.set(height * a, height, 1);
  });
  if (video) {
    if (stereo) {
      // The left eye: the left half (side-by-side) or the top half (top-bottom).
      if (layout === "top-bottom") {
        video.texture.repeat.set(1, 0.5);
        video.texture.offset.set(0, 0.5);
      } else video.texture.repeat.set(0.5, 1);
    }
    material.map = video.texture;
  } else material.color.set(0x404040);
  const stop = p.has("distanceToCamera") ? followCamera(mesh, p, ctx) : undefined;
  return {
    object: mesh,
    dispose() {
      stop?.();
      video?.dispose();
      geometry.dispose();
      material.dispose();
      mesh.removeFromParent();
    },
  };
}

/** HUDPlane: a plane `height` high (`aspect` wide per unit) kept `distanceToCamera` in front of the camera; its material children colour it. */
export function hudPlane(p: Props, ctx: NodeContext): Content {
  const height = p.num("height", 1, { min: 0 });
  const geometry = new PlaneGeometry(height * p.num("aspect", 16 / 9, { min: 0 }), height);
  const material = new MeshBasicMaterial({ color: p.color("color") ?? 0xffffff, side: DoubleSide, toneMapped: false });
  const mesh = new Mesh(geometry, material);
  const stop = followCamera(mesh, p, ctx);
  return {
    object: mesh,
    dispose() {
      stop?.();
      geometry.dispose();
      material.dispose();
      mesh.removeFromParent();
    },
  };
}

/** WebRTC video: one warning saying why (vuer's client signals through its own server), nothing drawn. */
export function webrtc(tag: string, p: Props): Content {
  p.warn("stream", `${tag} plays a WebRTC stream negotiated through vuer's own server, which Scene Runner does not run: not drawn`);
  return { object: null, dispose() {} };
}
