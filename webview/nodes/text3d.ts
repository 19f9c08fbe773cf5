/**
 * Text3D: extruded text (three's TextGeometry) with the font shipped in the
 * extension (DejaVu Sans, media/fonts; gzipped into the bundle and inflated the
 * first time a Text3D is drawn). vuer's props: `text` (its string children),
 * `font` (a typeface JSON object, or a URL: three's example fonts map to the
 * shipped one, any other URL is tried and falls back to it with a warning),
 * `size`, `height`/`depth`, `curveSegments`, `bevel*`, `letterSpacing`,
 * `lineHeight`, `smooth`. A material child (meshNormalMaterial, ...) replaces
 * the default material, as on any mesh.
 */
import { Group, Mesh, type BufferGeometry } from "three";
import { Font, type FontData } from "three/addons/loaders/FontLoader.js";
import { TextGeometry } from "three/addons/geometries/TextGeometry.js";
import { mergeGeometries, mergeVertices } from "three/addons/utils/BufferGeometryUtils.js";
import dejavuGz from "scene-runner-font:dejavu_sans";
import { makeMaterial, tagMaterialKind } from "../materials.js";
import type { Props } from "../props.js";
import type { Content, NodeContext } from "./types.js";

let bundled: Promise<Font> | undefined;

/** The shipped font, inflated once per page. */
export function bundledFont(): Promise<Font> {
  bundled ??= (async () => {
    const stream = new Blob([dejavuGz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Font((await new Response(stream).json()) as FontData);
  })();
  return bundled;
}

const remote = new Map<string, Promise<Font>>();
const THREE_EXAMPLE_FONT = /(helvetiker|optimer|gentilis|droid_sans|droid_serif|kenpixel)[a-z_]*\.typeface\.json$/i;

async function fontFor(p: Props): Promise<{ font: Font; note?: string }> {
  const f = p.raw.font;
  if (f && typeof f === "object" && !Array.isArray(f) && typeof (f as { glyphs?: unknown }).glyphs === "object") {
    return { font: new Font(f as FontData) };
  }
  if (typeof f === "string" && f && !THREE_EXAMPLE_FONT.test(f)) {
    let pending = remote.get(f);
    if (!pending) {
      pending = fetch(f).then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return new Font((await r.json()) as FontData);
      });
      remote.set(f, pending);
    }
    try {
      return { font: await pending };
    } catch (e) {
      return { font: await bundledFont(), note: `could not load ${JSON.stringify(f)} (${(e as Error).message}); drawn with the bundled DejaVu Sans` };
    }
  }
  return { font: await bundledFont() };
}

export function textOf(p: Props): string {
  const v = p.raw.text ?? p.raw.value;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v !== undefined) p.warn("text", "expected a string");
  return "";
}

/** One geometry for every line of `s`, laid out the way drei's Text3D does (baseline at y = 0, lines going down). */
export function textGeometry(s: string, font: Font, p: Props): BufferGeometry {
  const size = p.num("size", 1, { min: 0 });
  const depth = p.num("depth", p.num("height", 0.2, { min: 0 }), { min: 0 });
  const params = {
    font,
    size,
    depth,
    curveSegments: Math.min(32, Math.max(1, Math.floor(p.num("curveSegments", 8, { min: 1 })))),
    bevelEnabled: p.bool("bevelEnabled", false),
    bevelThickness: p.num("bevelThickness", 0.1, { min: 0 }),
    bevelSize: p.num("bevelSize", 0.01, { min: 0 }),
    bevelOffset: p.num("bevelOffset", 0),
    bevelSegments: Math.min(16, Math.max(1, Math.floor(p.num("bevelSegments", 4, { min: 1 })))),
  };
  const data = font.data;
  const scale = size / data.resolution;
  // vuer's schema defaults letterSpacing to 1 and lineHeight to 0 (meaning "as the font says");
  // other values follow drei: letterSpacing is added after each glyph, lineHeight is a factor.
  const ls = p.num("letterSpacing", 1);
  const spacing = ls === 1 ? 0 : ls;
  const lh = p.num("lineHeight", 0);
  const lineAdvance = (data.ascender - data.descender) * scale * (lh > 0 ? lh : 1);
  const parts: BufferGeometry[] = [];
  s.split("\n").forEach((line, row) => {
    if (!line.trim()) return;
    if (spacing === 0) {
      const g = new TextGeometry(line, params);
      g.translate(0, -row * lineAdvance, 0);
      parts.push(g);
      return;
    }
    let x = 0;
    for (const ch of Array.from(line)) {
      const glyph = data.glyphs[ch] ?? data.glyphs["?"];
      if (ch.trim()) {
        const g = new TextGeometry(ch, params);
        g.translate(x, -row * lineAdvance, 0);
        parts.push(g);
      }
      x += (glyph ? glyph.ha * scale : size * 0.5) + spacing;
    }
  });
  if (!parts.length) return new TextGeometry("", params);
  let out = parts.length === 1 ? parts[0] : mergeGeometries(parts.map((g) => g.toNonIndexed()));
  if (parts.length > 1) for (const g of parts) g.dispose();
  const smooth = p.num("smooth", 0, { min: 0 });
  if (smooth > 0) {
    out.deleteAttribute("normal");
    const merged = mergeVertices(out, smooth);
    out.dispose();
    out = merged;
    out.computeVertexNormals();
  }
  out.computeBoundingBox();
  return out;
}

export function text3d(p: Props, ctx: NodeContext): Content {
  const group = new Group();
  const mesh = new Mesh(undefined, tagMaterialKind(makeMaterial(p), p));
  mesh.visible = false;
  group.add(mesh);
  let disposed = false;
  let version = 0;
  const build = (np: Props) => {
    const mine = ++version;
    const s = textOf(np);
    const job = fontFor(np).then(({ font, note }) => {
      if (disposed || mine !== version) return;
      if (note) np.warn("font", note);
      const g = textGeometry(s, font, np);
      mesh.geometry.dispose();
      mesh.geometry = g;
      mesh.visible = true;
      ctx.requestRender();
    });
    ctx.track(job.catch((e) => np.warn("text", `could not be drawn: ${(e as Error).message}`)));
  };
  build(p);
  return {
    object: group,
    update(np, changed) {
      if (changed.some((c) => c === "color" || c === "materialType" || c === "opacity" || c === "wireframe" || c === "material" || c === "side")) {
        if (mesh.userData.materialOwner === undefined) {
          mesh.material.dispose();
          mesh.material = tagMaterialKind(makeMaterial(np), np);
        }
      }
      if (changed.some((c) => c !== "color" && c !== "materialType" && c !== "opacity" && c !== "wireframe" && c !== "material" && c !== "side")) build(np);
      return true;
    },
    dispose() {
      disposed = true;
      mesh.geometry.dispose();
      if (mesh.userData.materialOwner === undefined) mesh.material.dispose();
      group.removeFromParent();
    },
  };
}
