/** Model files (GLB/glTF, OBJ, PLY, STL) and point clouds (PCD) from `src` (URL), `buff` (bytes) or `text`. */
import { BufferGeometry, Group, Mesh, Points, PointsMaterial, DoubleSide, type Object3D } from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OBJLoader } from "three/addons/loaders/OBJLoader.js";
import { PCDLoader } from "three/addons/loaders/PCDLoader.js";
import { PLYLoader } from "three/addons/loaders/PLYLoader.js";
import { STLLoader } from "three/addons/loaders/STLLoader.js";
import { makeMaterial } from "../materials.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { disposeObject } from "../dispose.js";
import type { Content, NodeContext } from "./types.js";
import { fetchAssetBytes, resolveAsset } from "./assets.js";

export type ModelKind = "glb" | "obj" | "ply" | "stl" | "pcd";
export const MODEL_TAGS: Record<string, ModelKind> = { Glb: "glb", Gltf: "glb", Obj: "obj", Ply: "ply", Stl: "stl", Pcd: "pcd" };

type Source = ArrayBuffer | string;

/** Bytes of a file by the URL the program wrote (its own files are mapped to its folder: ./assets.ts). */
export const fetchBytes = fetchAssetBytes;

function toBuffer(v: ArrayBufferView | ArrayBuffer): ArrayBuffer {
  if (v instanceof ArrayBuffer) return v;
  return (v.buffer as ArrayBuffer).slice(v.byteOffset, v.byteOffset + v.byteLength);
}

async function sourceOf(p: Props): Promise<Source | undefined> {
  const buff = p.raw.buff ?? p.raw.data;
  if (buff instanceof ArrayBuffer || ArrayBuffer.isView(buff)) return toBuffer(buff as ArrayBufferView);
  if (typeof p.raw.text === "string") return p.raw.text;
  if (typeof p.raw.src === "string") return fetchBytes(p.raw.src);
  p.warn("src", `expected a URL in src, bytes in buff, or text; got ${describe(p.raw.src ?? buff ?? p.raw.text)}`);
  return undefined;
}

/** The page URL of the folder holding `src` ("" when it cannot be loaded: inline resources still work). */
export function folderOf(src: string): string {
  const t = resolveAsset(src);
  return t.kind === "refused" || t.url.startsWith("data:") || t.url.startsWith("blob:") ? "" : t.url.replace(/[^/]*$/, "");
}

const decoder = new TextDecoder();
const asText = (s: Source) => (typeof s === "string" ? s : decoder.decode(s));
const asBytes = (s: Source) => (typeof s === "string" ? (new TextEncoder().encode(s).buffer as ArrayBuffer) : s);

/** Parses a model into an Object3D; meshes get a neutral material when the file has none. */
export async function parseModel(kind: ModelKind, src: Source, p: Props): Promise<Object3D> {
  switch (kind) {
    case "glb": {
      // A .gltf's buffers and textures resolve against its own (mapped) folder.
      const gltf = await new GLTFLoader().parseAsync(asBytes(src), typeof p.raw.src === "string" ? folderOf(p.raw.src) : "");
      return gltf.scene;
    }
    case "obj":
      return new OBJLoader().parse(asText(src));
    case "stl": {
      const g = new STLLoader().parse(asBytes(src));
      const hasColors = g.hasAttribute("color");
      return new Mesh(g, makeMaterial(p, { vertexColors: hasColors, side: DoubleSide }));
    }
    case "pcd": {
      // three's PCDLoader: ascii, binary and binary_compressed, with rgb/intensity when present.
      const pts = new PCDLoader().parse(asBytes(src));
      const m = pts.material as PointsMaterial;
      m.size = p.num("size", 0.005, { min: 0 });
      const c = p.color("color");
      if (c && !pts.geometry.hasAttribute("color")) m.color.copy(c);
      if (p.bool("hide", false)) pts.visible = false;
      return pts;
    }
    case "ply": {
      const g: BufferGeometry = new PLYLoader().parse(asBytes(src));
      const hasColors = g.hasAttribute("color");
      if (!g.index) return new Points(g, new PointsMaterial({ size: p.num("size", 0.01, { min: 0 }), vertexColors: hasColors }));
      if (!g.hasAttribute("normal")) g.computeVertexNormals();
      return new Mesh(g, makeMaterial(p, { vertexColors: hasColors, side: DoubleSide, white: hasColors }));
    }
  }
}

/** color / materialType / opacity / wireframe on a model node override the file's materials. */
export function overrideMaterials(root: Object3D, p: Props): void {
  if (!["color", "materialType", "opacity", "wireframe"].some((k) => p.has(k))) return;
  root.traverse((o) => {
    const mesh = o as Mesh;
    if (!mesh.isMesh) return;
    const old = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    old.forEach((m) => m.dispose());
    mesh.material = makeMaterial(p, { side: DoubleSide });
  });
}

export function model(kind: ModelKind, p: Props, ctx: NodeContext): Content {
  const group = new Group();
  let disposed = false;
  ctx.track(
    (async () => {
      const src = await sourceOf(p);
      if (src === undefined || disposed) return;
      const obj = await parseModel(kind, src, p);
      if (disposed) return disposeObject(obj);
      overrideMaterials(obj, p);
      group.add(obj);
      ctx.requestRender();
    })().catch((e: Error) => p.warn("src", `could not load the ${kind.toUpperCase()} model: ${e.message}`)),
  );
  return {
    object: group,
    dispose() {
      disposed = true;
      disposeObject(group);
    },
  };
}
