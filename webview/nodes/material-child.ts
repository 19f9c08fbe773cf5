/**
 * Material child tags, as in react-three-fiber: `Box(meshNormalMaterial())`
 * gives the parent mesh that material. Tags are three's material classes in
 * lowerCamelCase (meshStandardMaterial, meshBasicMaterial, meshPhysicalMaterial,
 * meshPhongMaterial, meshLambertMaterial, meshNormalMaterial, meshDepthMaterial,
 * meshToonMaterial, meshMatcapMaterial, pointsMaterial, lineBasicMaterial,
 * lineDashedMaterial, shadowMaterial; the capitalised names too). Every prop
 * the material has is set from the node (colors parsed, `side` as a number or
 * "front"/"back"/"double", `*map` props loaded as textures from a URL, data URL
 * or image bytes). While the node exists its material replaces the parent's;
 * removing it gives the parent its own material back. A parent drawn through an
 * instance pool is taken out of the pool and drawn as its own mesh meanwhile.
 */
import {
  BackSide,
  DoubleSide,
  FrontSide,
  Color,
  Line,
  LineBasicMaterial,
  LineDashedMaterial,
  Mesh,
  MeshBasicMaterial,
  MeshDepthMaterial,
  MeshLambertMaterial,
  MeshMatcapMaterial,
  MeshNormalMaterial,
  MeshPhongMaterial,
  MeshPhysicalMaterial,
  MeshStandardMaterial,
  MeshToonMaterial,
  Points,
  PointsMaterial,
  ShadowMaterial,
  ShaderMaterial,
  RawShaderMaterial,
  Sprite,
  SpriteMaterial,
  SRGBColorSpace,
  Texture,
  type Material,
  type Object3D,
} from "three";
import type { InstancePools, Member } from "../instancing.js";
import { fetchAsset } from "./assets.js";
import { videoTexture } from "./video.js";
import type { Props } from "../props.js";
import { describe, parseColor } from "../props.js";
import type { Content, NodeContext } from "./types.js";

const CLASSES: Record<string, new () => Material> = {
  meshBasicMaterial: MeshBasicMaterial,
  // vuer's VideoMaterial: an unlit material whose map is a playing video (./video.ts).
  videoMaterial: MeshBasicMaterial,
  meshStandardMaterial: MeshStandardMaterial,
  meshPhysicalMaterial: MeshPhysicalMaterial,
  meshPhongMaterial: MeshPhongMaterial,
  meshLambertMaterial: MeshLambertMaterial,
  meshNormalMaterial: MeshNormalMaterial,
  meshDepthMaterial: MeshDepthMaterial,
  meshToonMaterial: MeshToonMaterial,
  meshMatcapMaterial: MeshMatcapMaterial,
  meshDistanceMaterial: MeshDepthMaterial,
  pointsMaterial: PointsMaterial,
  lineBasicMaterial: LineBasicMaterial,
  lineDashedMaterial: LineDashedMaterial,
  shadowMaterial: ShadowMaterial,
  spriteMaterial: SpriteMaterial,
  shaderMaterial: ShaderMaterial,
  rawShaderMaterial: RawShaderMaterial,
  material: MeshStandardMaterial,
};

/** Tag -> material class name key ("MeshStandardMaterial" and "meshStandardMaterial" alike). */
export function materialTag(tag: string): string | undefined {
  const k = tag[0].toLowerCase() + tag.slice(1);
  return k in CLASSES ? k : undefined;
}

const SKIP = new Set(["key", "tag", "attach", "args", "text", "children", "position", "rotation", "scale", "quaternion", "matrix", "type", "uuid", "id", "uniforms", "vertexShader", "fragmentShader"]);
const MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp" };

/** Image bytes or a URL (the program's own files mapped as everywhere: ./assets.ts) as a texture. */
export async function loadTexture(src: unknown, format: string): Promise<Texture> {
  let blob: Blob;
  if (src instanceof Uint8Array || src instanceof ArrayBuffer) blob = new Blob([src as Uint8Array<ArrayBuffer>], { type: MIME[format] ?? "image/png" });
  else {
    blob = await (await fetchAsset(String(src))).blob();
  }
  const bitmap = await createImageBitmap(blob, { imageOrientation: "flipY" });
  const t = new Texture(bitmap);
  t.needsUpdate = true;
  return t;
}

/** ShaderMaterial's GLSL (`vertexShader`, `fragmentShader`) and `uniforms` ({name: value} or {name: {value}}). */
function setShader(m: ShaderMaterial, p: Props): void {
  const vs = p.str("vertexShader"), fs = p.str("fragmentShader");
  if (vs) m.vertexShader = vs;
  if (fs) m.fragmentShader = fs;
  const u = p.raw.uniforms;
  if (u && typeof u === "object" && !Array.isArray(u)) {
    for (const [k, raw] of Object.entries(u as Record<string, unknown>)) {
      const v = raw && typeof raw === "object" && !Array.isArray(raw) && "value" in raw ? (raw as { value: unknown }).value : raw;
      const c = typeof v === "string" ? parseColor(v) : undefined;
      const value = c ?? (typeof v === "number" || typeof v === "boolean" ? v : Array.isArray(v) && v.every((x) => typeof x === "number") ? v : undefined);
      if (value === undefined) p.warn(`uniforms.${k}`, "expected a number, a list of numbers, a boolean or a color");
      else m.uniforms[k] = { value };
    }
  }
  m.needsUpdate = true;
}

function setProps(m: Material, p: Props, ctx: NodeContext, textures: Texture[]): void {
  if (m instanceof ShaderMaterial) setShader(m, p);
  const target = m as unknown as Record<string, unknown>;
  // r3f's `args={[{ color: ... }]}`: constructor parameters, same as props.
  const a = Array.isArray(p.raw.args) && p.raw.args[0] && typeof p.raw.args[0] === "object" ? (p.raw.args[0] as Record<string, unknown>) : {};
  const all: Record<string, unknown> = { ...a, ...p.raw };
  for (const [k, v] of Object.entries(all)) {
    if (SKIP.has(k) || v === undefined || v === null || !(k in target)) continue;
    const cur = target[k];
    if (k === "side") {
      const side = v === 0 || v === "front" ? FrontSide : v === 1 || v === "back" ? BackSide : v === 2 || v === "double" ? DoubleSide : undefined;
      if (side === undefined) p.warn("side", `expected 0/1/2 or "front"/"back"/"double", got ${describe(v)}`);
      else m.side = side;
    } else if (cur instanceof Color) {
      const c = parseColor(v);
      if (c) cur.copy(c);
      else p.warn(k, `not a color: ${describe(v)}`);
    } else if (/map$/i.test(k) && (typeof v === "string" || v instanceof Uint8Array || v instanceof ArrayBuffer)) {
      const job = loadTexture(v, p.str("format", "png")!).then((t) => {
        if (k === "map" || k === "emissiveMap" || k === "matcap") t.colorSpace = SRGBColorSpace;
        textures.push(t);
        target[k] = t;
        m.needsUpdate = true;
        ctx.requestRender();
      });
      ctx.track(job.catch((e) => p.warn(k, `could not load ${typeof v === "string" ? JSON.stringify(v.slice(0, 80)) : "the image"}: ${(e as Error).message}`)));
    } else if (typeof cur === "number" && typeof v === "number" && Number.isFinite(v)) target[k] = v;
    else if (typeof cur === "boolean" && typeof v === "boolean") target[k] = v;
    else if (cur instanceof Object && "isVector2" in cur && Array.isArray(v) && v.length === 2) (cur as unknown as { set(x: number, y: number): void }).set(Number(v[0]), Number(v[1]));
  }
  if (m.opacity < 1) m.transparent = true;
  m.needsUpdate = true;
}

interface Swap {
  object: Mesh | Points | Line;
  original: Material | Material[];
}

function inScene(o: Object3D): boolean {
  for (let x: Object3D | null = o; x; x = x.parent) if (x.userData.services) return true;
  return false;
}

function fits(o: Object3D, m: Material): boolean {
  if (m instanceof SpriteMaterial) return o instanceof Sprite;
  if (m instanceof PointsMaterial) return o instanceof Points;
  if (m instanceof LineBasicMaterial) return o instanceof Line;
  return o instanceof Mesh;
}

export function materialChild(tag: string, p: Props, ctx: NodeContext, pools: InstancePools | null): Content {
  const Cls = CLASSES[materialTag(tag)!];
  const textures: Texture[] = [];
  const material = new Cls();
  setProps(material, p, ctx, textures);
  const video = tag === "VideoMaterial" || tag === "videoMaterial" ? videoTexture(p, ctx) : undefined;
  if (video) (material as MeshBasicMaterial).map = video.texture;
  const parent = ctx.holder.parent;
  const swaps: Swap[] = [];
  let held: { member: Member; mesh: Mesh } | null = null;

  const claim = (root: Object3D) => {
    root.traverse((o) => {
      if (o.userData.nodeKey !== undefined || o.userData.shared) return;
      const d = o as Mesh | Points | Line;
      if (!d.material || !fits(o, material) || swaps.some((s) => s.object === d)) return;
      swaps.push({ object: d, original: d.material });
      d.material = material;
      d.userData.materialOwner = ctx.key;
    });
  };
  const contents = () => (parent ? parent.children.filter((c) => c.userData.content === true && c !== held?.mesh) : []);
  const member = parent?.userData.member as Member | undefined;
  if (member && pools && !(material instanceof PointsMaterial) && !(material instanceof LineBasicMaterial) && !(material instanceof SpriteMaterial)) {
    const geometry = pools.hold(member);
    if (geometry && parent) {
      const mesh = new Mesh(geometry, material);
      mesh.userData.materialOwner = ctx.key;
      parent.add(mesh);
      held = { member, mesh };
      member.onHeldChange = () => {
        const g = pools.heldGeometry(member);
        if (g && held) {
          held.mesh.geometry.dispose();
          held.mesh.geometry = g;
          ctx.requestRender();
        }
      };
    }
  }
  for (const c of contents()) claim(c);
  // The parent's content may be built again (a changed prop) or arrive later: claim it then too.
  const onAdded = (e: { child: Object3D }) => {
    if (e.child.userData.content === true) claim(e.child);
  };
  parent?.addEventListener("childadded", onAdded as never);

  return {
    object: null,
    update(np) {
      setProps(material, np, ctx, textures);
      return true;
    },
    dispose() {
      parent?.removeEventListener("childadded", onAdded as never);
      for (const s of swaps) {
        if (s.object.material === material) s.object.material = s.original;
        delete s.object.userData.materialOwner;
        // A parent already gone disposed what it held (our material); its own is ours to free.
        if (!inScene(s.object)) (Array.isArray(s.original) ? s.original : [s.original]).forEach((m) => m.dispose());
      }
      if (held) {
        held.mesh.geometry.dispose();
        held.mesh.removeFromParent();
        pools?.release(held.member);
      }
      for (const t of textures) t.dispose();
      video?.dispose();
      material.dispose();
    },
  };
}
