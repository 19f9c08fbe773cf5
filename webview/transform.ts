/** Node transforms: position / rotation / quaternion / scale / matrix / visible / hide. */
import { Matrix4, type Object3D } from "three";
import type { Props } from "./props.js";

export const TRANSFORM_PROPS = new Set(["position", "rotation", "quaternion", "scale", "matrix", "visible", "hide"]);

const tmp = new Matrix4();

/** Sets the holder's local transform from the node's current props (absent props mean identity). */
export function applyTransform(obj: Object3D, p: Props): void {
  const matrix = p.vec("matrix", 16);
  if (matrix) {
    tmp.fromArray(matrix);
    tmp.decompose(obj.position, obj.quaternion, obj.scale);
  } else {
    const pos = p.vec("position", 3);
    obj.position.set(pos?.[0] ?? 0, pos?.[1] ?? 0, pos?.[2] ?? 0);
    const quat = p.vec("quaternion", 4);
    if (quat) obj.quaternion.set(quat[0], quat[1], quat[2], quat[3]).normalize();
    else {
      const rot = p.vec("rotation", 3);
      obj.rotation.set(rot?.[0] ?? 0, rot?.[1] ?? 0, rot?.[2] ?? 0);
    }
    const s = p.raw.scale;
    if (typeof s === "number") {
      const k = p.num("scale", 1);
      obj.scale.setScalar(k);
    } else {
      const sv = p.vec("scale", 3);
      obj.scale.set(sv?.[0] ?? 1, sv?.[1] ?? 1, sv?.[2] ?? 1);
    }
  }
  obj.visible = p.bool("visible", true) && !p.bool("hide", false);
  obj.updateMatrix();
  obj.matrixWorldNeedsUpdate = true;
}
