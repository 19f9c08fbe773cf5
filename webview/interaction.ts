/**
 * Pointer, keyboard and gizmo input: CLICK on nodes, hover outline of clickable
 * nodes, CAMERA_MOVE (at most 20/s), Movable gizmos (OBJECT_MOVE, OBJECT_MOVE_END),
 * KEY_DOWN / KEY_UP (and the viewer's own keys, through onShortcut).
 */
import { Box3, Box3Helper, Color, Matrix4, Raycaster, Vector2, type Object3D, type Mesh, type Points } from "three";
import { TransformControls } from "three/addons/controls/TransformControls.js";
import { InstancePools, type Member } from "./instancing.js";
import type { SceneMirror } from "./mirror.js";
import type { Stage } from "./stage.js";
import { throttle } from "./throttle.js";

export type Emit = (etype: string, key: string | undefined, value: unknown) => void;

interface Hit {
  key: string;
  point: [number, number, number];
  object: Object3D;
  member?: Member;
}

const HOVER_POINTS_LIMIT = 200_000; // hovering does not ray-test bigger point clouds (clicks still do)
const DRAG_PX = 5;

export class Interaction {
  private readonly raycaster = new Raycaster();
  private readonly highlight = new Box3Helper(new Box3(), new Color(0xffd24d));
  private hoverKey: string | undefined;
  private hoverHit: Hit | undefined;
  /** The holder the outline was last fitted to, and where it was (refitting a big mesh each frame costs). */
  private outlined: Object3D | undefined;
  private readonly outlinedAt = new Matrix4();
  private down: { x: number; y: number; button: number } | undefined;
  private readonly gizmos = new Map<string, TransformControls>();
  private readonly sendCamera: ReturnType<typeof throttle>;
  private hoverQueued = false;
  private lastPointer: PointerEvent | undefined;
  private readonly cleanup: Array<() => void> = [];

  constructor(
    private readonly stage: Stage,
    private readonly mirror: SceneMirror,
    private readonly pools: InstancePools | null,
    private readonly emit: Emit,
    private readonly requestRender: () => void,
  ) {
    this.raycaster.params.Points = { threshold: 0.03 };
    this.raycaster.params.Line = { threshold: 0.03 };
    this.highlight.visible = false;
    this.highlight.name = "hover-outline";
    stage.scene.add(this.highlight);
    this.sendCamera = throttle(() => this.emit("CAMERA_MOVE", "defaultCamera", this.cameraValue()), 50);
    stage.onCamera = () => this.sendCamera();
    const el = stage.renderer.domElement;
    this.listen(el, "pointerdown", (e) => {
      const busy = [...this.gizmos.values()].some((g) => g.axis !== null);
      this.down = busy ? undefined : { x: e.clientX, y: e.clientY, button: e.button };
    });
    this.listen(el, "pointerup", (e) => {
      const d = this.down;
      this.down = undefined;
      if (!d || Math.hypot(e.clientX - d.x, e.clientY - d.y) > DRAG_PX) return;
      const hit = this.pick(e.clientX, e.clientY, false);
      if (hit) this.emit("CLICK", hit.key, { point: hit.point, button: d.button });
    });
    this.listen(el, "pointermove", (e) => {
      this.lastPointer = e;
      if (this.hoverQueued || e.buttons) return;
      this.hoverQueued = true;
      setTimeout(() => {
        this.hoverQueued = false;
        if (this.lastPointer) this.hover(this.lastPointer);
      }, 50);
    });
    this.listen(el, "pointerleave", () => this.setHover(undefined));
    this.listen(window, "keydown", (e) => this.key("KEY_DOWN", e));
    this.listen(window, "keyup", (e) => this.key("KEY_UP", e));
  }

  private listen<K extends keyof HTMLElementEventMap & keyof WindowEventMap>(
    target: HTMLElement | Window,
    type: K,
    fn: (e: HTMLElementEventMap[K] & WindowEventMap[K]) => void,
  ): void {
    const f = fn as EventListener;
    target.addEventListener(type, f);
    this.cleanup.push(() => target.removeEventListener(type, f));
  }

  /** The viewer's own keys (F: frame), given each plain key press; the program gets it as KEY_DOWN too. */
  onShortcut: (key: string) => void = () => {};

  private key(etype: "KEY_DOWN" | "KEY_UP", e: KeyboardEvent): void {
    const t = e.target as HTMLElement | null;
    // Typing into an overlay's input, slider or editable text is not a key for the scene.
    if (e.repeat || (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable))) return;
    if (etype === "KEY_DOWN" && !e.ctrlKey && !e.altKey && !e.metaKey) this.onShortcut(e.key);
    this.emit(etype, undefined, { key: e.key, code: e.code, shift: e.shiftKey, ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey });
  }

  cameraValue(): unknown {
    const c = this.stage.view; // what is drawn: the orbit camera, or an orthographic camera node
    const lens = this.stage.camera;
    c.updateMatrixWorld();
    return {
      camera: {
        position: c.position.toArray(),
        quaternion: c.quaternion.toArray(),
        matrix: c.matrixWorld.toArray(),
        fov: lens.fov,
        aspect: lens.aspect,
        near: c.near,
        far: c.far,
        target: this.stage.controls.target.toArray(),
        // The canvas size in CSS pixels, as vuer's client adds to every CAMERA_MOVE.
        width: this.stage.renderer.domElement.clientWidth,
        height: this.stage.renderer.domElement.clientHeight,
      },
    };
  }

  /** The node under a viewport point (innermost node key), or undefined. */
  pick(clientX: number, clientY: number, hovering: boolean): Hit | undefined {
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.stage.view); // the camera frames are drawn with (an orthographic one too)
    const targets: Object3D[] = [];
    this.stage.content.traverseVisible((o) => {
      const any = o as Mesh & Points;
      if (!any.geometry) return;
      if (hovering && (o as Points).isPoints && (any.geometry.getAttribute("position")?.count ?? 0) > HOVER_POINTS_LIMIT) return;
      targets.push(o);
    });
    for (const h of this.raycaster.intersectObjects(targets, false)) {
      let key: string | undefined;
      let member: Member | undefined;
      if (h.object.userData.pool) {
        member = InstancePools.memberAt(h.object, h.instanceId);
        key = member?.key;
      } else {
        for (let o: Object3D | null = h.object; o && !key; o = o.parent) key = o.userData.nodeKey as string | undefined;
      }
      if (!key || this.mirror.store.get(key)?.props.clickable === false) continue;
      return { key, point: [h.point.x, h.point.y, h.point.z], object: h.object, member };
    }
    return undefined;
  }

  private hover(e: PointerEvent): void {
    if ([...this.gizmos.values()].some((g) => g.dragging)) return;
    const hit = this.pick(e.clientX, e.clientY, true);
    this.setHover(hit);
  }

  private setHover(hit: Hit | undefined): void {
    const key = hit?.key;
    this.stage.renderer.domElement.style.cursor = key ? "pointer" : "";
    if (key === this.hoverKey) return;
    this.hoverKey = key;
    this.hoverHit = hit;
    this.outlineHover();
    this.requestRender();
  }

  /**
   * Keeps the hover outline on its node before each draw: the node may have moved, been
   * replaced by the mirror, or been removed while the pointer stood still (the outline of a
   * removed node stayed drawn until the mouse moved).
   */
  refreshHover(): void {
    if (this.hoverKey === undefined) return;
    const holder = this.mirror.holderOf(this.hoverKey);
    if (!holder) {
      this.hoverKey = this.hoverHit = undefined;
      this.stage.renderer.domElement.style.cursor = "";
    } else if (holder === this.outlined && holder.matrixWorld.equals(this.outlinedAt)) return; // still in place: no refit
    this.outlineHover();
  }

  /** Fits the outline to the hovered node's current bounds (world matrices are up to date). */
  private outlineHover(): void {
    const holder = this.hoverKey ? this.mirror.holderOf(this.hoverKey) : undefined;
    if (!holder) {
      this.highlight.visible = false;
      this.outlined = undefined;
      return;
    }
    holder.updateWorldMatrix(true, true);
    this.outlined = holder;
    this.outlinedAt.copy(holder.matrixWorld);
    const box = this.highlight.box;
    // An instanced member has no geometry of its own: its pool mesh's bounds, placed by the member's holder.
    const mesh = this.hoverHit?.member ? (this.hoverHit.object as Mesh) : undefined;
    if (mesh) {
      if (!mesh.geometry.boundingBox) mesh.geometry.computeBoundingBox();
      box.copy(mesh.geometry.boundingBox!).applyMatrix4(holder.matrixWorld);
    } else box.setFromObject(holder, true);
    this.highlight.visible = !box.isEmpty();
  }

  /** A Movable node: attach a translate/rotate gizmo to its holder. */
  movable(key: string, holder: Object3D | null): void {
    const old = this.gizmos.get(key);
    if (old) {
      old.detach();
      old.getHelper().removeFromParent();
      old.dispose();
      this.gizmos.delete(key);
    }
    if (!holder) return;
    const g = new TransformControls(this.stage.camera, this.stage.renderer.domElement);
    g.setSize(0.8);
    g.attach(holder);
    const send = throttle(() => this.emit("OBJECT_MOVE", key, this.moveValue(holder)), 50);
    g.addEventListener("change", () => this.requestRender());
    g.addEventListener("objectChange", () => {
      holder.updateMatrix();
      holder.matrixWorldNeedsUpdate = true;
      this.pools?.allDirty();
      send();
    });
    g.addEventListener("dragging-changed", (ev) => {
      this.stage.controls.enabled = !ev.value;
      if (!ev.value) {
        send.flush();
        const v = this.moveValue(holder);
        this.emit("OBJECT_MOVE_END", key, v);
        // Keep the store in step so later updates to other props do not snap it back.
        this.mirror.apply([{ etype: "UPDATE", ts: Date.now(), data: { nodes: [{ key, position: v.position, quaternion: v.quaternion }] } }]);
      }
    });
    this.stage.scene.add(g.getHelper());
    this.gizmos.set(key, g);
  }

  /** Switch every gizmo between translate and rotate (keyboard: T / R in the toolbar). */
  setGizmoMode(mode: "translate" | "rotate" | "scale"): void {
    for (const g of this.gizmos.values()) g.setMode(mode);
    this.requestRender();
  }

  private moveValue(holder: Object3D) {
    holder.updateWorldMatrix(true, false);
    return {
      position: holder.position.toArray() as [number, number, number],
      quaternion: holder.quaternion.toArray() as [number, number, number, number],
      scale: holder.scale.toArray() as [number, number, number],
      matrix: holder.matrix.toArray(),
    };
  }

  /** The current camera, every time the camera changes (throttled). */
  dispose(): void {
    this.sendCamera.cancel();
    for (const c of this.cleanup) c();
    for (const key of [...this.gizmos.keys()]) this.movable(key, null);
    this.highlight.dispose();
  }
}
