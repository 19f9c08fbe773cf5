/** Materials from vuer props: materialType, color, opacity, wireframe, side, and a `material` dict of extra fields. */
import {
  BackSide,
  Color,
  DoubleSide,
  FrontSide,
  MeshBasicMaterial,
  MeshDepthMaterial,
  MeshLambertMaterial,
  MeshNormalMaterial,
  MeshPhongMaterial,
  MeshPhysicalMaterial,
  MeshStandardMaterial,
  MeshToonMaterial,
  type Material,
  type Side,
} from "three";
import { parseColor, type Props } from "./props.js";

export const MATERIAL_PROPS = new Set(["color", "materialType", "opacity", "wireframe", "material", "side", "transparent"]);

const TYPES = ["basic", "standard", "phong", "lambert", "physical", "normal", "depth", "toon"] as const;
type MaterialKind = (typeof TYPES)[number];

export const DEFAULT_COLOR = new Color("#b0b0b0");

export function materialKind(p: Props): MaterialKind {
  const t = p.str("materialType");
  if (t === undefined) return "standard";
  if ((TYPES as readonly string[]).includes(t)) return t as MaterialKind;
  p.warn("materialType", `unknown material type ${JSON.stringify(t)} (known: ${TYPES.join(", ")})`);
  return "standard";
}

function sideOf(p: Props, fallback: Side): Side {
  const s = p.raw.side;
  if (s === undefined) return fallback;
  if (s === "front" || s === 0) return FrontSide;
  if (s === "back" || s === 1) return BackSide;
  if (s === "double" || s === 2) return DoubleSide;
  p.warn("side", `expected "front", "back" or "double"`);
  return fallback;
}

/** Key of everything but the color: nodes with equal keys can share one material (instancing). */
export function materialKey(p: Props, side: Side = FrontSide): string {
  const extra = p.raw.material;
  return [materialKind(p), p.num("opacity", 1, { min: 0, max: 1 }), p.bool("wireframe", false), sideOf(p, side),
    p.bool("transparent", false), extra && typeof extra === "object" ? JSON.stringify(extra) : ""].join("|");
}

export interface MaterialOptions {
  side?: Side;
  vertexColors?: boolean;
  /** Ignore `color` (instancing supplies per-instance colors; white keeps them exact). */
  white?: boolean;
}

export function makeMaterial(p: Props, opts: MaterialOptions = {}): Material {
  const kind = materialKind(p);
  const color = opts.white ? new Color(1, 1, 1) : (p.color("color") ?? DEFAULT_COLOR.clone());
  const opacity = p.num("opacity", 1, { min: 0, max: 1 });
  const common = {
    transparent: opacity < 1 || p.bool("transparent", false),
    opacity,
    side: sideOf(p, opts.side ?? FrontSide),
  };
  const wireframe = p.bool("wireframe", false);
  let m: Material;
  switch (kind) {
    case "basic": m = new MeshBasicMaterial({ ...common, color, wireframe }); break;
    case "phong": m = new MeshPhongMaterial({ ...common, color, wireframe }); break;
    case "lambert": m = new MeshLambertMaterial({ ...common, color, wireframe }); break;
    case "physical": m = new MeshPhysicalMaterial({ ...common, color, wireframe, roughness: 0.6 }); break;
    case "normal": m = new MeshNormalMaterial({ ...common, wireframe }); break;
    case "depth": m = new MeshDepthMaterial({ ...common, wireframe }); break;
    case "toon": m = new MeshToonMaterial({ ...common, color, wireframe }); break;
    default: m = new MeshStandardMaterial({ ...common, color, wireframe, roughness: 0.6, metalness: 0.05 });
  }
  if (opts.vertexColors) m.vertexColors = true;
  applyExtra(m, p);
  return m;
}

/** The `material` dict: copies simple fields the material already has (roughness, metalness, emissive...). */
function applyExtra(m: Material, p: Props): void {
  const extra = p.raw.material;
  if (extra === undefined || extra === null) return;
  if (typeof extra !== "object" || Array.isArray(extra)) {
    p.warn("material", "expected an object of material fields");
    return;
  }
  const target = m as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra as Record<string, unknown>)) {
    if (k === "type" || !(k in target)) continue;
    const cur = target[k];
    if (cur instanceof Color) {
      const c = parseColor(v);
      if (c) cur.copy(c);
      else p.warn(`material.${k}`, "not a color");
    } else if (typeof cur === typeof v && (typeof v === "number" || typeof v === "boolean")) {
      if (typeof v === "number" && !Number.isFinite(v)) p.warn(`material.${k}`, "not a finite number");
      else target[k] = v;
    }
  }
  m.needsUpdate = true;
}

/** Updates color/opacity/wireframe in place when the material kind did not change; false = rebuild. */
export function updateMaterial(m: Material, p: Props): boolean {
  const kindNow = materialKind(p);
  if ((m.userData.kind ?? "") !== "" && m.userData.kind !== kindNow) return false;
  const withColor = m as Material & { color?: Color; wireframe?: boolean };
  if (withColor.color) withColor.color.copy(p.color("color") ?? DEFAULT_COLOR);
  const opacity = p.num("opacity", 1, { min: 0, max: 1 });
  m.opacity = opacity;
  const transparent = opacity < 1 || p.bool("transparent", false);
  if (m.transparent !== transparent) {
    m.transparent = transparent;
    m.needsUpdate = true;
  }
  if (withColor.wireframe !== undefined) withColor.wireframe = p.bool("wireframe", false);
  return true;
}

export function tagMaterialKind(m: Material, p: Props): Material {
  m.userData.kind = materialKind(p);
  return m;
}
