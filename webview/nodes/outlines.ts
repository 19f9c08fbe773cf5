/**
 * The `outlines` prop (drei's Outlines, which vuer's primitives take as
 * `outlines={"thickness": 0.005, "color": "white"}`): an inverted hull, the
 * node's geometry drawn again from behind, pushed out along its normals by
 * `thickness` (world units), in `color`, `opacity`, `transparent`.
 */
import { BackSide, Color, Mesh, MeshBasicMaterial, type BufferGeometry, type Object3D } from "three";
import type { Member } from "../instancing.js";
import type { Props } from "../props.js";
import { parseColor } from "../props.js";
import type { Content, NodeContext } from "./types.js";

function geometryOf(holder: Object3D, content: Content): BufferGeometry | undefined {
  const member = holder.userData.member as Member | undefined;
  if (member?.pool) return member.pool.geometry;
  let g: BufferGeometry | undefined;
  content.object?.traverse((o) => {
    if (!g && o instanceof Mesh && o.geometry?.attributes?.normal) g = o.geometry;
  });
  return g;
}

export function withOutlines(content: Content, p: Props, ctx: NodeContext): Content {
  const o = p.raw.outlines;
  if (!o || typeof o !== "object" || Array.isArray(o)) return content;
  const opts = o as Record<string, unknown>;
  const source = geometryOf(ctx.holder, content);
  if (!source?.attributes.normal) return content;
  const geometry = source.clone(); // its own copy: a pool may free the shared one first
  const thickness = typeof opts.thickness === "number" && Number.isFinite(opts.thickness) ? opts.thickness : 0.05;
  const opacity = typeof opts.opacity === "number" && Number.isFinite(opts.opacity) ? Math.min(1, Math.max(0, opts.opacity)) : 1;
  const material = new MeshBasicMaterial({ color: parseColor(opts.color) ?? new Color(0x000000), side: BackSide, transparent: opacity < 1 || opts.transparent === true, opacity });
  material.onBeforeCompile = (shader) => {
    shader.uniforms.outlineThickness = { value: thickness };
    shader.vertexShader = "uniform float outlineThickness;\n" + shader.vertexShader.replace("#include <begin_vertex>", "#include <begin_vertex>\n  transformed += normalize(normal) * outlineThickness;");
  };
  material.customProgramCacheKey = () => "sr-outline";
  const hull = new Mesh(geometry, material);
  hull.userData.outline = true;
  ctx.holder.add(hull);
  return {
    object: content.object,
    update: content.update ? (np, changed) => (changed.includes("outlines") || changed.includes("args") ? false : content.update!(np, changed)) : undefined,
    dispose() {
      geometry.dispose();
      material.dispose();
      hull.removeFromParent();
      content.dispose();
    },
  };
}
