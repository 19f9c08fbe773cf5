/** Line (a polyline through `points`) and Arrow (shaft + head along `direction`). */
import { ArrowHelper, BufferGeometry, Color, Line, LineBasicMaterial, Vector3 } from "three";
import { DEFAULT_COLOR } from "../materials.js";
import type { Props } from "../props.js";
import { vertexAttribute } from "./arrays.js";
import type { Content } from "./types.js";
import { disposeObject } from "../dispose.js";

export function line(p: Props): Content {
  const geometry = new BufferGeometry();
  const v = vertexAttribute(p, "points");
  if (v) geometry.setAttribute("position", v.attr);
  const material = new LineBasicMaterial({ color: p.color("color") ?? DEFAULT_COLOR, transparent: p.num("opacity", 1) < 1, opacity: p.num("opacity", 1, { min: 0, max: 1 }) });
  const obj = new Line(geometry, material);
  if (!v?.finite) obj.frustumCulled = false;
  return {
    object: obj,
    update(np, changed) {
      if (changed.some((c) => c !== "color" && c !== "lineWidth")) return false;
      material.color.copy(np.color("color") ?? DEFAULT_COLOR);
      return true;
    },
    dispose: () => disposeObject(obj),
  };
}

export function arrow(p: Props): Content {
  const d = p.vec("direction", 3) ?? p.vec("dir", 3) ?? [0, 0, 1];
  const dir = new Vector3(d[0], d[1], d[2]);
  if (dir.lengthSq() === 0) {
    p.warn("direction", "is the zero vector");
    dir.set(0, 0, 1);
  }
  const length = p.num("length", 1, { min: 0 });
  const color = p.color("color") ?? new Color(0xffcc33);
  const obj = new ArrowHelper(dir.normalize(), new Vector3(), length, color, p.num("headLength", length * 0.2, { min: 0 }), p.num("headWidth", length * 0.1, { min: 0 }));
  return { object: obj, dispose: () => disposeObject(obj) };
}
