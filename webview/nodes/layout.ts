/**
 * Nodes that place their children: Billboard (children turn to face the camera
 * every frame; lockX/lockY/lockZ keep an axis of the node's own rotation, as in
 * drei) and Center (children moved so the box around them is centred on the
 * node's origin; top/bottom/left/right/front/back align an edge instead,
 * disable/disableX/Y/Z leave axes alone). Both work on the node's holder in a
 * per-frame hook, so a transform the program sends afterwards is kept as the
 * base and the adjustment is applied on top of it.
 */
import { Box3, Euler, Matrix4, Mesh, Object3D, Points, Quaternion, Sprite, Vector3, Line, type Camera } from "three";
import type { Member } from "../instancing.js";
import type { Props } from "../props.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

/** Tracks the holder's matrix as set by the mirror (the node's own transform) apart from our adjustment. */
class Base {
  private applied = new Matrix4();
  private base = new Matrix4();
  private has = false;
  private written = false;
  constructor(private readonly holder: Object3D) {}
  /** The node's own transform: what the mirror last wrote, or the remembered one if we wrote since. */
  get(): Matrix4 {
    if (!this.has || !this.holder.matrix.equals(this.applied)) {
      this.base.copy(this.holder.matrix);
      this.has = true;
    }
    return this.base;
  }
  /** Writes base * adjustment; true if the holder's matrix changed. */
  set(m: Matrix4): boolean {
    const changed = !this.written || !this.applied.equals(m);
    this.written = true;
    this.holder.matrix.copy(m);
    this.applied.copy(m);
    this.holder.updateMatrixWorld(true);
    return changed;
  }
  restore(): void {
    if (this.has && this.holder.matrix.equals(this.applied)) {
      this.holder.matrix.copy(this.base);
      this.holder.updateMatrixWorld(true);
    }
  }
}

const _pos = new Vector3();
const _scale = new Vector3();
const _q = new Quaternion();
const _parentQ = new Quaternion();
const _m = new Matrix4();
const _camQ = new Quaternion();

/**
 * A node with no object of its own whose adjustment runs in a per-frame hook: new props take
 * effect on the next frame; removing it gives the holder back its own transform.
 */
function hooked(ctx: NodeContext, base: Base, hook: (camera: Camera) => boolean, setProps: (p: Props) => void): Content {
  const services = servicesOf(ctx.holder);
  const off = services?.addFrameHook(hook);
  return {
    object: null,
    update(np) {
      setProps(np);
      services?.changed();
      return true;
    },
    dispose() {
      off?.();
      base.restore();
    },
  };
}

export function billboard(p: Props, ctx: NodeContext): Content {
  const base = new Base(ctx.holder);
  let props = p;
  const hook = (camera: Camera): boolean => {
    if (!props.bool("follow", true)) return base.set(base.get().clone());
    const b = base.get();
    b.decompose(_pos, _q, _scale);
    const parent = ctx.holder.parent;
    if (parent) parent.getWorldQuaternion(_parentQ);
    else _parentQ.identity();
    camera.getWorldQuaternion(_camQ);
    // Local rotation that makes the node's world rotation equal the camera's.
    const face = _parentQ.clone().invert().multiply(_camQ);
    const lockX = props.bool("lockX", false), lockY = props.bool("lockY", false), lockZ = props.bool("lockZ", false);
    if (lockX || lockY || lockZ) {
      const own = new Euler().setFromQuaternion(_q);
      const want = new Euler().setFromQuaternion(face);
      if (lockX) want.x = own.x;
      if (lockY) want.y = own.y;
      if (lockZ) want.z = own.z;
      face.setFromEuler(want);
    }
    return base.set(_m.compose(_pos, face, _scale));
  };
  return hooked(ctx, base, hook, (np) => (props = np));
}

/** World-space box of everything drawn under `root`, instance pool members included. */
export function drawnBox(root: Object3D, box = new Box3()): Box3 {
  box.makeEmpty();
  const tmp = new Box3();
  root.traverseVisible((o) => {
    const member = o.userData.member as Member | undefined;
    if (member?.pool) {
      const g = member.pool.geometry;
      if (!g.boundingBox) g.computeBoundingBox();
      box.union(tmp.copy(g.boundingBox!).applyMatrix4(o.matrixWorld));
      return;
    }
    if (o instanceof Sprite) {
      box.expandByPoint(_pos.setFromMatrixPosition(o.matrixWorld));
      return;
    }
    if (o instanceof Mesh || o instanceof Points || o instanceof Line) {
      const g = o.geometry;
      if (!g?.attributes?.position) return;
      if (!g.boundingBox) g.computeBoundingBox();
      if (g.boundingBox && !g.boundingBox.isEmpty()) box.union(tmp.copy(g.boundingBox).applyMatrix4(o.matrixWorld));
    }
  });
  return box;
}

export function center(p: Props, ctx: NodeContext): Content {
  const base = new Base(ctx.holder);
  let props = p;
  const box = new Box3();
  const inv = new Matrix4();
  const local = new Vector3();
  const hook = (): boolean => {
    const b = base.get();
    // Measure with the node's own transform only.
    ctx.holder.matrix.copy(b);
    ctx.holder.updateMatrixWorld(true);
    drawnBox(ctx.holder, box);
    if (box.isEmpty()) return base.set(b.clone());
    // The box in the holder's frame (a box around the transformed corners: exact without rotation).
    inv.copy(ctx.holder.matrixWorld).invert();
    const lb = box.clone().applyMatrix4(inv);
    const c = lb.getCenter(local);
    const pick = (axis: "x" | "y" | "z", low: string, high: string, disabled: string): number => {
      if (props.bool("disable", false) || props.bool(disabled, false)) return 0;
      if (props.bool(high, false)) return -lb.min[axis]; // its lower edge sits at the origin: the content is on top
      if (props.bool(low, false)) return -lb.max[axis];
      return -c[axis];
    };
    const offset = new Vector3(pick("x", "left", "right", "disableX"), pick("y", "bottom", "top", "disableY"), pick("z", "back", "front", "disableZ"));
    return base.set(_m.multiplyMatrices(b, new Matrix4().makeTranslation(offset.x, offset.y, offset.z)));
  };
  return hooked(ctx, base, hook, (np) => (props = np));
}
