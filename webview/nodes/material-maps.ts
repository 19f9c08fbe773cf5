/**
 * Texture maps in a primitive's `material` dict (vuer's sky ball: `material={"map": url, "side": 1}`):
 * each `...map` field holding a URL or image bytes is loaded (the program's own files through
 * ./assets.ts) and set on the mesh's material. Such a mesh is drawn on its own (not pooled), so
 * its texture is its own; a change of `material` rebuilds it.
 */
import { SRGBColorSpace, type Material, type Mesh, type Texture } from "three";
import type { Props } from "../props.js";
import { loadTexture } from "./material-child.js";
import type { Content, NodeContext } from "./types.js";

/** The `material` dict's map fields with something to load. */
export function materialMaps(p: Props): [string, unknown][] {
  const m = p.raw.material;
  if (!m || typeof m !== "object" || Array.isArray(m)) return [];
  return Object.entries(m as Record<string, unknown>).filter(([k, v]) => /map$/i.test(k) && (typeof v === "string" || v instanceof Uint8Array || v instanceof ArrayBuffer));
}

export function withMaterialMaps(c: Content, p: Props, ctx: NodeContext): Content {
  const mesh = c.object as Mesh | null;
  const textures: Texture[] = [];
  let disposed = false;
  for (const [k, v] of materialMaps(p)) {
    ctx.track(
      loadTexture(v, p.str("format", "png")!)
        .then((t) => {
          if (disposed || !mesh) return t.dispose();
          if (k === "map" || k === "emissiveMap") t.colorSpace = SRGBColorSpace;
          textures.push(t);
          const target = mesh.material as Material & Record<string, unknown>;
          if (!(k in target)) return p.warn(`material.${k}`, `this material has no ${k}`);
          target[k] = t;
          target.needsUpdate = true;
          ctx.requestRender();
        })
        .catch((e: Error) => p.warn(`material.${k}`, `could not load ${typeof v === "string" ? JSON.stringify(v.slice(0, 80)) : "the image"}: ${e.message}`)),
    );
  }
  return {
    object: c.object,
    update(np, changed) {
      if (changed.includes("material") || changed.includes("materialType")) return false;
      return c.update?.(np, changed) ?? false;
    },
    dispose() {
      disposed = true;
      textures.forEach((t) => t.dispose());
      c.dispose();
    },
  };
}
