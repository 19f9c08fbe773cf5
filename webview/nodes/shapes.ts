/**
 * Curves and constructed geometry, as drei and three take them:
 * - CatmullRomLine (`points`, `closed`, `curveType`, `tension`, `segments`),
 *   CubicBezierLine (`start`, `end`, `midA`, `midB`), QuadraticBezierLine
 *   (`start`, `end`, `mid`): lines `lineWidth` pixels wide (three's Line2), `color`,
 *   `dashed`.
 * - Tube (`args: [path points, tubularSegments, radius, radialSegments, closed]`),
 *   Lathe (`args: [[x, y] points, segments, phiStart, phiLength]`), Shape
 *   (`args: [[x, y] outline, curveSegments]`), Extrude (`shapes`/`args[0]` outline,
 *   `options`/`args[1]` ExtrudeGeometry options), Polyhedron
 *   (`args: [vertices, indices, radius, detail]`): meshes with the usual material props.
 * - Edges and Wireframe, children of a mesh: its edges (EdgesGeometry, `threshold`)
 *   or all its triangle edges as lines. BBox (`min`, `max`) and BoundingBox (a box
 *   around its children, kept up to date) as box outlines.
 */
import {
  Box3,
  Box3Helper,
  Group,
  CatmullRomCurve3,
  Color,
  CubicBezierCurve3,
  EdgesGeometry,
  ExtrudeGeometry,
  LatheGeometry,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  PolyhedronGeometry,
  QuadraticBezierCurve3,
  Shape,
  ShapeGeometry,
  TubeGeometry,
  Vector2,
  Vector3,
  WireframeGeometry,
  DoubleSide,
  type BufferGeometry,
  type Curve,
  type InterleavedBuffer,
  type InterleavedBufferAttribute,
  type Object3D,
} from "three";
import { Line2 } from "three/addons/lines/Line2.js";
import { LineGeometry } from "three/addons/lines/LineGeometry.js";
import { LineMaterial } from "three/addons/lines/LineMaterial.js";
import { disposeObject } from "../dispose.js";
import { DEFAULT_COLOR, makeMaterial, tagMaterialKind } from "../materials.js";
import type { Props } from "../props.js";
import { drawnBox } from "./layout.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";
import type { Member } from "../instancing.js";

export const CURVE_TAGS = new Set(["CatmullRomLine", "CubicBezierLine", "QuadraticBezierLine"]);
export const SHAPE_TAGS = new Set(["Tube", "Lathe", "Shape", "Extrude", "Polyhedron"]);

/** [[x,y,z], ...], [{x,y,z}, ...] or a flat list of numbers; `dim` 2 or 3. */
export function readPoints(v: unknown, dim: 2 | 3): number[][] | undefined {
  const list = Array.isArray(v) ? v : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : undefined;
  if (!list) return undefined;
  const out: number[][] = [];
  if (list.every((x) => typeof x === "number")) {
    for (let i = 0; i + dim <= list.length; i += dim) out.push((list as number[]).slice(i, i + dim));
  } else {
    for (const x of list) {
      if (Array.isArray(x) && x.length >= dim - 1) out.push([Number(x[0]), Number(x[1]), Number(x[2] ?? 0)].slice(0, dim));
      else if (x && typeof x === "object" && "x" in x) {
        const o = x as { x: number; y: number; z?: number };
        out.push([Number(o.x), Number(o.y), Number(o.z ?? 0)].slice(0, dim));
      } else return undefined;
    }
  }
  return out.every((pt) => pt.every(Number.isFinite)) ? out : undefined;
}

const v3 = (a: number[]) => new Vector3(a[0], a[1], a[2] ?? 0);

function curveOf(tag: string, p: Props): Curve<Vector3> | undefined {
  if (tag === "CatmullRomLine") {
    const pts = readPoints(p.raw.points, 3);
    if (!pts || pts.length < 2) {
      p.warn("points", "expected at least two [x, y, z] points");
      return undefined;
    }
    const type = p.str("curveType", "centripetal") as "centripetal" | "chordal" | "catmullrom";
    return new CatmullRomCurve3(pts.map(v3), p.bool("closed", false), ["centripetal", "chordal", "catmullrom"].includes(type) ? type : "centripetal", p.num("tension", 0.5));
  }
  const get = (name: string, d: number[]) => p.vec(name, 3) ?? d;
  if (tag === "CubicBezierLine") return new CubicBezierCurve3(v3(get("start", [0, 0, 0])), v3(get("midA", [0, 1, 0])), v3(get("midB", [1, 1, 0])), v3(get("end", [1, 0, 0])));
  const start = get("start", [0, 0, 0]), end = get("end", [1, 0, 0]);
  const mid = p.vec("mid", 3) ?? [(start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.5, (start[2] + end[2]) / 2];
  return new QuadraticBezierCurve3(v3(start), v3(mid), v3(end));
}

export function curveLine(tag: string, p: Props, ctx: NodeContext): Content {
  const curve = curveOf(tag, p);
  const segments = Math.min(2000, Math.max(2, Math.floor(p.num("segments", tag === "CatmullRomLine" ? 64 : 20, { min: 2 }))));
  const pts = curve ? curve.getPoints(segments) : [new Vector3(), new Vector3()];
  const geometry = new LineGeometry();
  geometry.setPositions(pts.flatMap((v) => [v.x, v.y, v.z]));
  const s = servicesOf(ctx.holder);
  const material = new LineMaterial({
    color: (p.color("color") ?? new Color(0xffffff)).getHex(),
    linewidth: p.num("lineWidth", 1, { min: 0 }),
    dashed: p.bool("dashed", false),
    dashSize: p.num("dashSize", 1, { min: 0 }),
    gapSize: p.num("gapSize", 1, { min: 0 }),
    dashScale: p.num("dashScale", 1, { min: 0 }),
    transparent: p.num("opacity", 1) < 1,
    opacity: p.num("opacity", 1, { min: 0, max: 1 }),
  });
  const fit = () => {
    const el = s?.container;
    material.resolution.set(el?.clientWidth || 640, el?.clientHeight || 480);
  };
  fit();
  const offResize = s?.onResize(fit);
  const line = new Line2(geometry, material);
  if (material.dashed) line.computeLineDistances();
  return {
    object: line,
    update(np, changed) {
      if (!changed.every((c) => c === "color" || c === "lineWidth")) return false;
      material.color.copy(np.color("color") ?? new Color(0xffffff));
      material.linewidth = np.num("lineWidth", 1, { min: 0 });
      return true;
    },
    dispose() {
      offResize?.();
      geometry.dispose();
      material.dispose();
      line.removeFromParent();
    },
  };
}

function shape2d(v: unknown): Shape | undefined {
  const pts = readPoints(v, 2);
  if (!pts || pts.length < 3) return undefined;
  return new Shape(pts.map((q) => new Vector2(q[0], q[1])));
}

function shapeGeometry(tag: string, p: Props): BufferGeometry | undefined {
  const a = Array.isArray(p.raw.args) ? (p.raw.args as unknown[]) : [];
  const n = (i: number, name: string, d: number) => (typeof a[i] === "number" && Number.isFinite(a[i]) ? (a[i] as number) : p.num(name, d));
  const seg = (i: number, name: string, d: number, max = 512) => Math.min(max, Math.max(1, Math.floor(n(i, name, d))));
  switch (tag) {
    case "Tube": {
      const pts = readPoints(a[0] ?? p.raw.path ?? p.raw.points, 3);
      if (!pts || pts.length < 2) return void p.warn("args", "Tube needs a path of at least two [x, y, z] points (args[0])");
      const curve = new CatmullRomCurve3(pts.map(v3), Boolean(a[4] ?? p.raw.closed ?? false));
      return new TubeGeometry(curve, seg(1, "tubularSegments", 64, 4096), n(2, "radius", 1), seg(3, "radialSegments", 8, 256), Boolean(a[4] ?? p.raw.closed ?? false));
    }
    case "Lathe": {
      const pts = readPoints(a[0] ?? p.raw.points, 2);
      if (!pts || pts.length < 2) return void p.warn("args", "Lathe needs at least two [x, y] points (args[0])");
      return new LatheGeometry(pts.map((q) => new Vector2(q[0], q[1])), seg(1, "segments", 12), n(2, "phiStart", 0), n(3, "phiLength", Math.PI * 2));
    }
    case "Shape": {
      const sh = shape2d(a[0] ?? p.raw.shape ?? p.raw.shapes ?? p.raw.points);
      if (!sh) return void p.warn("args", "Shape needs an outline of at least three [x, y] points (args[0])");
      return new ShapeGeometry(sh, seg(1, "curveSegments", 12));
    }
    case "Extrude": {
      const sh = shape2d(a[0] ?? p.raw.shapes ?? p.raw.shape ?? p.raw.points);
      if (!sh) return void p.warn("shapes", "Extrude needs an outline of at least three [x, y] points");
      const o = (a[1] ?? p.raw.options ?? {}) as Record<string, unknown>;
      const opt: Record<string, number | boolean> = {};
      for (const k of ["depth", "bevelThickness", "bevelSize", "bevelOffset"]) if (typeof o[k] === "number" && Number.isFinite(o[k])) opt[k] = o[k] as number;
      for (const k of ["curveSegments", "steps", "bevelSegments"]) if (typeof o[k] === "number" && Number.isFinite(o[k])) opt[k] = Math.min(256, Math.max(1, Math.floor(o[k] as number)));
      if (typeof o.bevelEnabled === "boolean") opt.bevelEnabled = o.bevelEnabled;
      return new ExtrudeGeometry(sh, { depth: 1, ...opt });
    }
    case "Polyhedron": {
      const verts = (Array.isArray(a[0]) ? (a[0] as unknown[]).flat(2) : []) as number[];
      const idx = (Array.isArray(a[1]) ? (a[1] as unknown[]).flat(2) : []) as number[];
      if (verts.length < 9 || idx.length < 3 || !verts.every(Number.isFinite) || !idx.every((i) => Number.isInteger(i) && i >= 0 && i < verts.length / 3)) {
        return void p.warn("args", "Polyhedron needs [vertices, indices, radius, detail] with at least one triangle");
      }
      return new PolyhedronGeometry(verts, idx, n(2, "radius", 1), Math.min(6, Math.max(0, Math.floor(n(3, "detail", 0)))));
    }
  }
  return undefined;
}

export function shapeMesh(tag: string, p: Props): Content {
  const geometry = shapeGeometry(tag, p);
  if (!geometry) return { object: null, dispose() {} };
  const flat = tag === "Shape" || tag === "Lathe";
  const mesh = new Mesh(geometry, tagMaterialKind(makeMaterial(p, { side: flat ? DoubleSide : undefined }), p));
  return {
    object: mesh,
    dispose() {
      geometry.dispose();
      if (mesh.userData.materialOwner === undefined) mesh.material.dispose();
      mesh.removeFromParent();
    },
  };
}

/** The geometries drawn by the parent node (its own mesh, or its pool's shape for an instanced member). */
function parentGeometries(holder: Object3D): Array<{ geometry: BufferGeometry; owned: boolean }> {
  const parent = holder.parent;
  if (!parent) return [];
  const member = parent.userData.member as Member | undefined;
  if (member?.pool) return [{ geometry: member.pool.geometry, owned: false }];
  const out: Array<{ geometry: BufferGeometry; owned: boolean }> = [];
  for (const c of parent.children) {
    if (c.userData.content !== true && !c.userData.materialOwner) continue;
    c.traverse((o) => {
      if (o instanceof Mesh && o.geometry?.attributes?.position) out.push({ geometry: o.geometry, owned: false });
    });
  }
  return out;
}

/** Edges / Wireframe: lines over the parent mesh; redrawn when the parent's content is rebuilt. */
export function edges(tag: string, p: Props, ctx: NodeContext): Content {
  const group = new Group();
  const material = new LineBasicMaterial({ color: p.color("color") ?? (tag === "Edges" ? new Color(0x000000) : DEFAULT_COLOR) });
  const parts: LineSegments[] = [];
  const rebuild = () => {
    for (const l of parts.splice(0)) {
      l.geometry.dispose();
      l.removeFromParent();
    }
    for (const { geometry } of parentGeometries(ctx.holder)) {
      const a = Array.isArray(p.raw.args) ? (p.raw.args as unknown[]) : [];
      const threshold = typeof a[1] === "number" ? a[1] : p.num("threshold", p.num("thresholdAngle", 15));
      const g = tag === "Edges" ? new EdgesGeometry(geometry, threshold) : new WireframeGeometry(geometry);
      const l = new LineSegments(g, material);
      parts.push(l);
      group.add(l);
    }
    ctx.requestRender();
  };
  // The parent's mesh may be there already, arrive later (a load), or be rebuilt.
  queueMicrotask(rebuild);
  const parent = ctx.holder.parent;
  const onAdded = () => queueMicrotask(rebuild);
  parent?.addEventListener("childadded", onAdded as never);
  // The lines hang under this node's holder, a child of the parent: same frame as the parent's mesh.
  // A hair larger than the surface, so the lines do not fight with it in the depth buffer.
  group.scale.setScalar(1.002);
  return {
    object: group,
    update(np) {
      material.color.copy(np.color("color") ?? (tag === "Edges" ? new Color(0x000000) : DEFAULT_COLOR));
      return true;
    },
    dispose() {
      parent?.removeEventListener("childadded", onAdded as never);
      for (const l of parts) l.geometry.dispose();
      material.dispose();
      group.removeFromParent();
    },
  };
}

function corner(v: unknown, d: number): Vector3 | undefined {
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x))) return new Vector3(v[0], v[1], v[2]);
  if (v && typeof v === "object" && "x" in v) {
    const o = v as Record<string, unknown>;
    const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : d);
    return new Vector3(n(o.x), n(o.y), n(o.z));
  }
  return undefined;
}

/** BBox: a box outline from `min` to `max`. BoundingBox: around its children, following them. */
export function bbox(tag: string, p: Props, ctx: NodeContext): Content {
  const box = new Box3();
  const helper = new Box3Helper(box, p.color("color") ?? new Color(tag === "BBox" ? 0xffffff : 0xffd24d));
  const scale = p.num("scale", tag === "BBox" ? 1.01 : 1, { min: 0 });
  if (tag === "BBox") {
    box.set(corner(p.raw.min, -0.5) ?? new Vector3(-0.5, -0.5, -0.5), corner(p.raw.max, 0.5) ?? new Vector3(0.5, 0.5, 0.5));
    if (scale !== 1) {
      const c = box.getCenter(new Vector3());
      const h = box.getSize(new Vector3()).multiplyScalar(scale / 2);
      box.set(c.clone().sub(h), c.add(h));
    }
    return { object: helper, dispose: () => disposeObject(helper) };
  }
  // Box3Helper draws in its parent's frame: measure the children in world space, then bring the box back.
  const s = servicesOf(ctx.holder);
  const world = new Box3();
  const off = s?.addFrameHook(() => {
    helper.visible = false;
    drawnBox(ctx.holder, world);
    helper.visible = !world.isEmpty();
    if (world.isEmpty()) return false;
    const inv = ctx.holder.matrixWorld.clone().invert();
    const local = world.clone().applyMatrix4(inv);
    if (local.equals(box)) return false;
    box.copy(local);
    helper.updateMatrixWorld(true);
    return false;
  });
  return {
    object: helper,
    dispose() {
      off?.();
      disposeObject(helper);
    },
  };
}

/**
 * Trail (drei's): a ribbon behind its first drawn child (or the node itself) as it
 * moves: the last `length` x 10 world positions, `width` wide in world units, `color`
 * (hotpink), a new point once the child moved `stride` from the last one. Points are
 * taken when frames are drawn (the program moving the child draws them).
 */
export function trail(p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  const max = Math.min(2000, Math.max(2, Math.round(p.num("length", 1, { min: 0 }) * 10)));
  const stride = p.num("stride", 0, { min: 0 });
  const pts: Vector3[] = [];
  const geometry = new LineGeometry();
  const material = new LineMaterial({ color: (p.color("color") ?? new Color("hotpink")).getHex(), linewidth: p.num("width", 0.2, { min: 0 }), worldUnits: true, transparent: true, opacity: 0.9 });
  const line = new Line2(geometry, material);
  line.visible = false;
  line.frustumCulled = false;
  // The ribbon is in world space: it must not move with the node.
  line.matrixAutoUpdate = false;
  line.updateMatrixWorld = function (this: Line2) {
    const parent = this.parent;
    this.matrixWorld.identity();
    if (parent) this.matrix.copy(parent.matrixWorld).invert();
  };
  const here = new Vector3();
  let segments: InterleavedBuffer | undefined;
  const source = (): Object3D => {
    for (const c of ctx.holder.children) if (c.userData.nodeKey !== undefined) return c;
    return ctx.holder;
  };
  const off = s?.addFrameHook(() => {
    source().getWorldPosition(here);
    const last = pts[pts.length - 1];
    if (last && last.distanceTo(here) <= Math.max(stride, 1e-9)) return false;
    pts.push(here.clone());
    if (pts.length > max) pts.shift();
    if (pts.length >= 2) {
      // A fixed number of segments, filled in place (no new GPU buffers per frame); the
      // unused ones at the start repeat the oldest point and draw nothing.
      if (!segments) {
        geometry.setPositions(new Float32Array(max * 3));
        segments = (geometry.attributes.instanceStart as InterleavedBufferAttribute).data as InterleavedBuffer;
      }
      const a = segments.array as Float32Array;
      const at = (i: number) => pts[Math.max(0, i - (max - pts.length))];
      for (let i = 0; i < max - 1; i++) {
        const p0 = at(i), p1 = at(i + 1);
        a.set([p0.x, p0.y, p0.z, p1.x, p1.y, p1.z], i * 6);
      }
      segments.needsUpdate = true;
      line.visible = true;
    }
    return false;
  });
  return {
    object: line,
    dispose() {
      off?.();
      geometry.dispose();
      material.dispose();
      line.removeFromParent();
    },
  };
}
