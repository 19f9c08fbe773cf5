/** Grid, CoordsMarker (RGB axes) and Frustum (a camera's view pyramid). */
import { AxesHelper, BufferGeometry, Color, Float32BufferAttribute, GridHelper, LineBasicMaterial, LineSegments } from "three";
import type { Props } from "../props.js";
import type { Content } from "./types.js";
import { disposeObject } from "../dispose.js";

export function grid(p: Props): Content {
  const a = Array.isArray(p.raw.args) ? (p.raw.args as unknown[]) : [];
  const size = typeof a[0] === "number" && Number.isFinite(a[0]) ? a[0] : p.num("size", 10, { min: 0 });
  const divisions = typeof a[1] === "number" && Number.isFinite(a[1]) ? Math.min(1000, Math.max(1, Math.floor(a[1]))) : Math.min(1000, Math.floor(p.num("divisions", 10, { min: 1 })));
  const c1 = p.color("colorCenterLine") ?? p.color("color") ?? new Color(0x888888);
  const c2 = p.color("colorGrid") ?? p.color("color") ?? new Color(0x444444);
  const obj = new GridHelper(size, divisions, c1, c2);
  return { object: obj, dispose: () => disposeObject(obj) };
}

export function coordsMarker(p: Props): Content {
  const obj = new AxesHelper(p.num("lineLength", p.num("size", 1, { min: 0 }), { min: 0 }));
  return { object: obj, dispose: () => disposeObject(obj) };
}

/** A pyramid from the origin looking down -Z (three's camera convention), `scale` deep. */
export function frustum(p: Props): Content {
  const fov = (p.num("fov", 50, { min: 1, max: 179 }) * Math.PI) / 180;
  const aspect = p.num("aspect", 4 / 3, { min: 0.01 });
  const depth = p.num("scale", 1, { min: 0 }) * p.num("focalLength", 1, { min: 0 });
  const h = Math.tan(fov / 2) * depth;
  const w = h * aspect;
  const c = [[-w, -h], [w, -h], [w, h], [-w, h]];
  const pts: number[] = [];
  const seg = (a: number[], b: number[]) => pts.push(...a, ...b);
  if (p.bool("showFrustum", true)) for (const [x, y] of c) seg([0, 0, 0], [x, y, -depth]);
  if (p.bool("showImagePlane", true) || p.bool("showFocalPlane", true)) for (let i = 0; i < 4; i++) seg([...c[i], -depth], [...c[(i + 1) % 4], -depth]);
  // "up" tick so the image orientation is visible.
  seg([-w * 0.3, h, -depth], [0, h * 1.3, -depth]);
  seg([0, h * 1.3, -depth], [w * 0.3, h, -depth]);
  const geometry = new BufferGeometry();
  geometry.setAttribute("position", new Float32BufferAttribute(pts, 3));
  const obj = new LineSegments(geometry, new LineBasicMaterial({ color: p.color("color") ?? new Color(0xff9f1c) }));
  return { object: obj, dispose: () => disposeObject(obj) };
}
