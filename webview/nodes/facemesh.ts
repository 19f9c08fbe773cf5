/**
 * drei's Facemesh, as far as it can go without MediaPipe's face triangulation table (not
 * bundled): the `points` landmarks ({x, y, z} or [x, y, z], image-normalised as MediaPipe gives
 * them) drawn as points, `width` wide (height and depth in proportion), centred, y up.
 * One warning says what is missing; with no points there is nothing to draw.
 */
import { BufferGeometry, Float32BufferAttribute, Points, PointsMaterial } from "three";
import { disposeObject } from "../dispose.js";
import type { Props } from "../props.js";
import type { Content } from "./types.js";

export function facemesh(p: Props): Content {
  const raw = Array.isArray(p.raw.points) ? (p.raw.points as unknown[]) : [];
  const pts = raw
    .map((q) => (Array.isArray(q) ? q : q && typeof q === "object" ? [(q as { x?: unknown }).x, (q as { y?: unknown }).y, (q as { z?: unknown }).z ?? 0] : []))
    .filter((q) => q.length >= 3 && q.slice(0, 3).every((c) => typeof c === "number" && Number.isFinite(c))) as number[][];
  if (!pts.length) {
    p.warn("points", "no face landmarks in points, and drei's sample face is not bundled: nothing drawn");
    return { object: null, dispose() {} };
  }
  p.warn("tag", "drawn as its landmark points: MediaPipe's face triangulation is not bundled with the viewer");
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (const q of pts) for (let k = 0; k < 3; k++) (min[k] = Math.min(min[k], q[k])), (max[k] = Math.max(max[k], q[k]));
  const s = p.num("width", 1, { min: 0 }) / Math.max(max[0] - min[0], 1e-9);
  const c = min.map((m, k) => (m + max[k]) / 2);
  const pos = pts.flatMap((q) => [(q[0] - c[0]) * s, -(q[1] - c[1]) * s, -(q[2] - c[2]) * s]);
  const g = new BufferGeometry();
  g.setAttribute("position", new Float32BufferAttribute(pos, 3));
  const points = new Points(g, new PointsMaterial({ color: p.color("color") ?? 0xffffff, size: p.num("size", 3, { min: 0 }), sizeAttenuation: false }));
  return { object: points, dispose: () => disposeObject(points) };
}
