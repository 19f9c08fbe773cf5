/**
 * What the stage offers to node factories beyond NodeContext: the camera and
 * controls, fog, background colors, environment lighting, per-frame hooks and
 * the 2D overlay layer. A node reaches it through its holder (every holder
 * hangs under the stage's scene, whose userData carries the services), so no
 * global state is shared between viewers.
 */
import type { Camera, Color, Fog, FogExp2, Object3D, OrthographicCamera, PerspectiveCamera, Texture } from "three";
import type { OrbitControls } from "three/addons/controls/OrbitControls.js";

/** Runs before each drawn frame; returns true when it moved something (instance pools recopy). */
export type FrameHook = (camera: Camera) => boolean;

/** A picture-in-picture view drawn over the frame (vuer's CameraView monitor). */
export interface Monitor {
  camera: PerspectiveCamera | OrthographicCamera;
  /** Its size in CSS pixels (it is stacked at the top left, under the toolbar). */
  size(viewWidth: number, viewHeight: number): { width: number; height: number };
  before?(): void;
  after?(): void;
}

export interface StageServices {
  /** The perspective camera the user orbits (kept even while an orthographic view is shown). */
  readonly camera: PerspectiveCamera;
  /** The camera frames are drawn with. */
  readonly view: PerspectiveCamera | OrthographicCamera;
  readonly controls: OrbitControls;
  readonly container: HTMLElement;
  /** `first`: runs before the others (cameras move before billboards turn to them). */
  addFrameHook(hook: FrameHook, first?: boolean): () => void;
  /** An orthographic (or other) camera drawn instead of the default one; null gives it back. */
  setView(owner: string, camera: PerspectiveCamera | OrthographicCamera | null): void;
  setFog(owner: string, fog: Fog | FogExp2 | null): void;
  setBackgroundColor(owner: string, color: Color | null): void;
  setBackgroundTexture(owner: string, texture: Texture | null): void;
  /** Image-based lighting for physical materials (Stage, Environment); null removes this owner's. */
  setEnvironment(owner: string, kind: "room" | null, intensity?: number): void;
  /** The layer HTML overlays (Html, Markdown, Img...) are put in, above the canvas. */
  overlay(): HTMLElement;
  addMonitor(m: Monitor): () => void;
  /** Called after the viewport changed size. */
  onResize(fn: () => void): () => void;
  changed(): void;
}

export function servicesOf(o: Object3D | null): StageServices | undefined {
  for (let x: Object3D | null = o; x; x = x.parent) {
    const s = x.userData.services as StageServices | undefined;
    if (s) return s;
  }
  return undefined;
}
