/**
 * The axes gizmo in the bottom-right corner (three's ViewHelper): it turns with the camera to
 * show the world's orientation, and a click on an axis bubble swings the camera (animated)
 * around the orbit target to look along that axis. Drawn into the frame after the scene, only
 * on screen: pictures for the program (grabRender) and snapshots leave it out.
 */
import { Vector3, type Camera } from "three";
import { ViewHelper } from "three/addons/helpers/ViewHelper.js";
import type { Stage } from "./stage.js";

/** ViewHelper's square, in CSS pixels (fixed by three). */
const SIZE = 128;
const MARGIN = 4;
/** Longest step of the swing per frame, so slow frames still show it turning (seconds). */
const MAX_STEP_S = 1 / 30;

/** ViewHelper keeps the camera it turns in `camera` (public in three, missing from its typings). */
type Helper = ViewHelper & { camera: Camera };

export type Axis = "x" | "y" | "z" | "-x" | "-y" | "-z";

export class AxesGizmo {
  private readonly helper: Helper;
  private pressed = false;
  private lastFrame = 0;
  private readonly cleanup: Array<() => void> = [];

  constructor(
    private readonly stage: Stage,
    private readonly requestRender: () => void,
  ) {
    const canvas = stage.renderer.domElement;
    this.helper = new ViewHelper(stage.view, canvas) as Helper;
    this.helper.setLabels("X", "Y", "Z");
    this.helper.location.right = MARGIN;
    this.helper.location.bottom = MARGIN;
    // Capture on the container: these run before the canvas's own listeners (orbit controls,
    // clicks on nodes), which must not see a press that lands on the gizmo.
    const onDown = (e: PointerEvent) => {
      if (!this.enabled || e.button !== 0 || !this.contains(e.clientX, e.clientY)) return;
      e.stopPropagation();
      e.preventDefault();
      this.pressed = true;
    };
    const onUp = (e: PointerEvent) => {
      if (!this.pressed) return;
      this.pressed = false;
      e.stopPropagation();
      if (!this.contains(e.clientX, e.clientY)) return;
      this.helper.camera = stage.view;
      this.helper.center.copy(stage.controls.target);
      if (this.helper.handleClick(e)) {
        stage.userMovedCamera = true;
        this.lastFrame = 0;
        this.requestRender();
      }
    };
    stage.container.addEventListener("pointerdown", onDown, true);
    stage.container.addEventListener("pointerup", onUp, true);
    this.cleanup.push(
      () => stage.container.removeEventListener("pointerdown", onDown, true),
      () => stage.container.removeEventListener("pointerup", onUp, true),
    );
  }

  /** Off where the page shows the scene alone (snapshots without the HUD). */
  enabled = true;

  get animating(): boolean {
    return this.helper.animating;
  }

  /** Whether a viewport point (client pixels) is on the gizmo's square. */
  contains(clientX: number, clientY: number): boolean {
    const r = this.stage.renderer.domElement.getBoundingClientRect();
    const x = clientX - (r.right - MARGIN - SIZE);
    const y = clientY - (r.bottom - MARGIN - SIZE);
    return x >= 0 && x <= SIZE && y >= 0 && y <= SIZE;
  }

  /** Where an axis bubble is drawn now (client pixels): for tests and for the debug hook. */
  axisPoint(axis: Axis): { x: number; y: number } {
    const v = new Vector3(axis.endsWith("x") ? 1 : 0, axis.endsWith("y") ? 1 : 0, axis.endsWith("z") ? 1 : 0);
    if (axis.startsWith("-")) v.negate();
    // The helper's scene is the camera's rotation undone, seen by an orthographic camera spanning [-2, 2].
    v.applyQuaternion(this.stage.view.quaternion.clone().invert());
    const r = this.stage.renderer.domElement.getBoundingClientRect();
    const left = r.right - MARGIN - SIZE;
    const top = r.bottom - MARGIN - SIZE;
    return { x: left + ((v.x / 2 + 1) / 2) * SIZE, y: top + ((1 - v.y / 2) / 2) * SIZE };
  }

  /** Advances a swing in progress (call before drawing); true while it goes on. */
  step(now: number): boolean {
    if (!this.helper.animating) return false;
    const dt = this.lastFrame ? Math.min(MAX_STEP_S, Math.max(0, (now - this.lastFrame) / 1000)) : MAX_STEP_S;
    this.lastFrame = now;
    this.helper.update(dt);
    if (!this.helper.animating) {
      // Done: the orbit controls take over from the pose the swing ended in.
      this.stage.controls.update();
      this.stage.changed();
    }
    this.requestRender();
    return true;
  }

  /** Draws the gizmo over the frame just rendered, in its corner. */
  render(): void {
    if (!this.enabled) return;
    const r = this.stage.renderer;
    this.helper.camera = this.stage.view;
    const autoClear = r.autoClear;
    // The frame's draw counts (HUD, stats) are the scene's: the gizmo's render would reset them.
    const counts = { ...r.info.render };
    r.autoClear = false; // keep the scene's pixels under the gizmo
    try {
      this.helper.render(r);
    } finally {
      r.autoClear = autoClear;
      Object.assign(r.info.render, counts);
    }
  }

  dispose(): void {
    for (const c of this.cleanup) c();
    this.helper.dispose();
  }
}
