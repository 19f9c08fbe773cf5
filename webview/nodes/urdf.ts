/**
 * A compact URDF loader: links, joints (fixed, revolute, continuous, prismatic),
 * visual geometry (box, cylinder, sphere, mesh via the STL/OBJ/PLY/GLB parsers),
 * material colors, and `jointValues` applied without reloading.
 * Mesh files come from `assets` ({ path: bytes }) or are fetched relative to `src`.
 */
import { BoxGeometry, Color, CylinderGeometry, Euler, Group, Mesh, MeshStandardMaterial, Object3D, SphereGeometry, Vector3 } from "three";
import { disposeObject } from "../dispose.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { resolveNested } from "../../src/viewer/assets.js";
import { resolveAsset } from "./assets.js";
import { fetchBytes, overrideMaterials, parseModel, type ModelKind } from "./models.js";
import type { Content, NodeContext } from "./types.js";

interface Joint {
  type: string;
  axis: Vector3;
  motion: Object3D;
  lower: number;
  upper: number;
}

const nums = (s: string | null, n: number, fallback: number): number[] => {
  const parts = (s ?? "").trim().split(/\s+/).filter(Boolean).map(Number);
  return Array.from({ length: n }, (_, i) => (Number.isFinite(parts[i]) ? parts[i] : fallback));
};

function child(el: Element, name: string): Element | undefined {
  for (const c of Array.from(el.children)) if (c.tagName === name) return c;
  return undefined;
}

function applyOrigin(obj: Object3D, el: Element | undefined): void {
  if (!el) return;
  const [x, y, z] = nums(el.getAttribute("xyz"), 3, 0);
  const [r, p, yaw] = nums(el.getAttribute("rpy"), 3, 0);
  obj.position.set(x, y, z);
  obj.rotation.copy(new Euler(r, p, yaw, "ZYX"));
}

const EXT: Record<string, ModelKind> = { stl: "stl", obj: "obj", ply: "ply", glb: "glb", gltf: "glb" };

export function urdf(p: Props, ctx: NodeContext): Content {
  const root = new Group();
  const joints = new Map<string, Joint>();
  let disposed = false;
  let latest = p;

  const setJoints = (np: Props) => {
    const values = np.raw.jointValues;
    if (values === undefined || values === null) return;
    if (typeof values !== "object" || Array.isArray(values)) return np.warn("jointValues", "expected { jointName: value }");
    for (const [name, v] of Object.entries(values as Record<string, unknown>)) {
      const j = joints.get(name);
      if (!j) continue; // before the robot loaded, or a joint it does not have
      if (typeof v !== "number" || !Number.isFinite(v)) {
        np.warn(`jointValues.${name}`, `expected a finite number, got ${describe(v)}`);
        continue;
      }
      const val = j.type === "continuous" ? v : Math.min(j.upper, Math.max(j.lower, v));
      if (j.type === "prismatic") j.motion.position.copy(j.axis).multiplyScalar(val);
      else if (j.type === "revolute" || j.type === "continuous") j.motion.quaternion.setFromAxisAngle(j.axis, val);
    }
    ctx.requestRender();
  };

  const resolveMesh = async (filename: string): Promise<ArrayBuffer | string> => {
    const assets = p.raw.assets;
    const stripped = filename.replace(/^package:\/\/[^/]*\//, "").replace(/^file:\/\//, "");
    if (assets && typeof assets === "object") {
      const table = assets as Record<string, unknown>;
      const base = filename.split("/").pop()!;
      const hit = table[filename] ?? table[stripped] ?? table[base];
      if (typeof hit === "string") return hit;
      if (ArrayBuffer.isView(hit)) return (hit.buffer as ArrayBuffer).slice(hit.byteOffset, hit.byteOffset + hit.byteLength);
    }
    const src = p.str("src");
    const basePath = p.str("workingPath") ?? src;
    if (!basePath) throw new Error(`mesh ${filename}: no entry in assets and no src to resolve it against`);
    // Relative to the URDF as the page loads it (its mapped URL for the program's own files), then mapped again: a
    // mesh path cannot climb out of the program's folder either.
    // (A workingPath is a folder: resolve against a name inside it.)
    const parent = resolveAsset(basePath.endsWith("/") ? `${basePath}_` : basePath);
    if (parent.kind === "refused") throw new Error(`mesh ${filename}: ${parent.reason}`);
    return fetchBytes(resolveNested(filename.startsWith("package://") ? stripped : filename, parent.url));
  };

  const build = async (xmlText: string) => {
    // Cheap check first: the browser's XML error page carries inline styles a strict CSP reports.
    if (!/<robot[\s>]/.test(xmlText)) throw new Error("not a URDF document (no <robot>)");
    const doc = new DOMParser().parseFromString(xmlText, "application/xml");
    const robot = doc.querySelector("robot");
    if (!robot || doc.querySelector("parsererror")) throw new Error("not a URDF document (no <robot>)");
    const named = new Map<string, Color>();
    for (const m of Array.from(robot.children).filter((c) => c.tagName === "material")) {
      const rgba = child(m, "color")?.getAttribute("rgba");
      if (rgba) named.set(m.getAttribute("name") ?? "", new Color().setRGB(...(nums(rgba, 3, 0.7) as [number, number, number])));
    }
    const links = new Map<string, Object3D>();
    const loads: Promise<void>[] = [];
    for (const l of Array.from(robot.querySelectorAll(":scope > link"))) {
      const link = new Group();
      link.name = l.getAttribute("name") ?? "";
      links.set(link.name, link);
      for (const vis of Array.from(l.querySelectorAll(":scope > visual"))) {
        const holder = new Group();
        applyOrigin(holder, child(vis, "origin"));
        link.add(holder);
        const matEl = child(vis, "material");
        const rgba = matEl && child(matEl, "color")?.getAttribute("rgba");
        const color = rgba ? new Color().setRGB(...(nums(rgba, 3, 0.7) as [number, number, number])) : named.get(matEl?.getAttribute("name") ?? "") ?? new Color(0xb8b8b8);
        const geom = child(vis, "geometry");
        const shape = geom?.children[0];
        if (!shape) continue;
        const mat = () => new MeshStandardMaterial({ color, roughness: 0.6 });
        if (shape.tagName === "box") holder.add(new Mesh(new BoxGeometry(...(nums(shape.getAttribute("size"), 3, 0.1) as [number, number, number])), mat()));
        else if (shape.tagName === "sphere") holder.add(new Mesh(new SphereGeometry(nums(shape.getAttribute("radius"), 1, 0.1)[0], 24, 16), mat()));
        else if (shape.tagName === "cylinder") {
          const r = nums(shape.getAttribute("radius"), 1, 0.1)[0];
          const len = nums(shape.getAttribute("length"), 1, 0.1)[0];
          const m = new Mesh(new CylinderGeometry(r, r, len, 24), mat());
          m.rotation.x = Math.PI / 2; // URDF cylinders run along Z, three's along Y
          holder.add(m);
        } else if (shape.tagName === "mesh") {
          const file = shape.getAttribute("filename") ?? "";
          const kind = EXT[file.split(".").pop()?.toLowerCase() ?? ""];
          const scale = nums(shape.getAttribute("scale"), 3, 1);
          if (!kind) {
            p.warn("src", `mesh ${file}: unsupported format (STL, OBJ, PLY, GLB)`);
            continue;
          }
          loads.push(
            resolveMesh(file)
              .then((data) => parseModel(kind, data, p))
              .then((obj) => {
                obj.scale.set(scale[0], scale[1], scale[2]);
                obj.traverse((o) => {
                  const mesh = o as Mesh;
                  if (mesh.isMesh && kind !== "glb" && !(mesh.material as MeshStandardMaterial).vertexColors) {
                    (mesh.material as MeshStandardMaterial).color?.copy(color);
                  }
                });
                holder.add(obj);
              })
              .catch((e: Error) => p.warn("src", `mesh ${file}: ${e.message}`)),
          );
        }
      }
    }
    const children = new Set<string>();
    for (const j of Array.from(robot.querySelectorAll(":scope > joint"))) {
      const parent = links.get(child(j, "parent")?.getAttribute("link") ?? "");
      const kid = links.get(child(j, "child")?.getAttribute("link") ?? "");
      if (!parent || !kid) {
        p.warn("src", `joint ${j.getAttribute("name")}: unknown parent or child link`);
        continue;
      }
      const frame = new Group();
      applyOrigin(frame, child(j, "origin"));
      const motion = new Group();
      frame.add(motion);
      motion.add(kid);
      parent.add(frame);
      children.add(kid.name);
      const limit = child(j, "limit");
      const axis = new Vector3(...nums(child(j, "axis")?.getAttribute("xyz") ?? "1 0 0", 3, 0));
      if (axis.lengthSq() === 0) axis.set(1, 0, 0);
      joints.set(j.getAttribute("name") ?? "", {
        type: j.getAttribute("type") ?? "fixed",
        axis: axis.normalize(),
        motion,
        lower: limit ? nums(limit.getAttribute("lower"), 1, -Infinity)[0] : -Infinity,
        upper: limit ? nums(limit.getAttribute("upper"), 1, Infinity)[0] : Infinity,
      });
    }
    for (const [name, link] of links) if (!children.has(name)) root.add(link);
    await Promise.all(loads);
    overrideMaterials(root, p);
  };

  ctx.track(
    (async () => {
      const text = typeof p.raw.text === "string" ? p.raw.text : typeof p.raw.src === "string" ? new TextDecoder().decode(await fetchBytes(p.raw.src)) : undefined;
      if (text === undefined) return p.warn("src", "expected the URDF as a URL in src or XML in text");
      if (disposed) return;
      await build(text);
      setJoints(latest);
      ctx.requestRender();
    })().catch((e: Error) => p.warn("src", `could not load the URDF: ${e.message}`)),
  );

  return {
    object: root,
    update(np, changed) {
      if (!changed.every((c) => c === "jointValues")) return false;
      latest = np;
      setJoints(np);
      return true;
    },
    dispose() {
      disposed = true;
      disposeObject(root);
    },
  };
}
