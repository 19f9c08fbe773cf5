/**
 * Model files that may carry animation: Fbx (three's FBXLoader, binary or ASCII), Dae
 * (COLLADA, ColladaLoader) and Bvh (motion capture, BVHLoader: a skeleton drawn as bones and
 * joints). `playAnimation` plays clip `animationIndex` at `animationSpeed`, as vuer's loaders do
 * (Bvh plays by default); frames are drawn only while a clip plays.
 */
import {
  AnimationMixer, Bone, Box3, BufferGeometry, Clock, Color, Float32BufferAttribute, Group, InstancedMesh, LineBasicMaterial, LineSegments,
  Matrix4, MeshBasicMaterial, SphereGeometry, Vector3, type AnimationClip, type Object3D,
} from "three";
import { disposeObject } from "../dispose.js";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { fetchAssetBytes } from "./assets.js";
import { loadLoaders } from "./chunks.js";
import { folderOf, overrideMaterials } from "./models.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export const ANIMATED_MODEL_TAGS = new Set(["Fbx", "Dae", "Bvh"]);

/** The file as bytes (`buff`/`data`), text (`text`) or from `src`. */
async function fileOf(p: Props): Promise<ArrayBuffer | string | undefined> {
  const buff = p.raw.buff ?? p.raw.data;
  if (buff instanceof ArrayBuffer) return buff;
  if (ArrayBuffer.isView(buff)) return (buff.buffer as ArrayBuffer).slice(buff.byteOffset, buff.byteOffset + buff.byteLength);
  if (typeof p.raw.text === "string") return p.raw.text;
  if (typeof p.raw.src === "string") return fetchAssetBytes(p.raw.src);
  p.warn("src", `expected a URL in src, bytes in buff, or text; got ${describe(p.raw.src ?? buff ?? p.raw.text)}`);
  return undefined;
}

const decoder = new TextDecoder();
const asText = (f: ArrayBuffer | string) => (typeof f === "string" ? f : decoder.decode(f));
const asBytes = (f: ArrayBuffer | string) => (typeof f === "string" ? (new TextEncoder().encode(f).buffer as ArrayBuffer) : f);

interface Loaded {
  object: Object3D;
  clips: AnimationClip[];
  /** Called after each animation step (the Bvh skeleton redraws its bones). */
  afterStep?(): void;
  dispose?(): void;
}

/** A skeleton drawn as vuer draws mocap: bone lines and a sphere per joint. */
function skeletonView(root: Bone, p: Props): Loaded {
  const bones: Bone[] = [];
  root.traverse((o) => {
    if ((o as Bone).isBone) bones.push(o as Bone);
  });
  const holder = new Group();
  holder.add(root);
  const pairs = bones.filter((b) => (b.parent as Bone | null)?.isBone);
  const positions = new Float32BufferAttribute(new Float32Array(pairs.length * 6), 3);
  const lineGeometry = new BufferGeometry();
  lineGeometry.setAttribute("position", positions);
  const color = p.color("color") ?? new Color(0xffffff);
  const lines = new LineSegments(lineGeometry, new LineBasicMaterial({ color }));
  lines.frustumCulled = false;
  // Joints: one instanced sphere each; the radius follows the skeleton's size unless boneRadius says otherwise.
  const at = new Vector3();
  root.updateMatrixWorld(true);
  const box = new Box3();
  for (const bone of bones) box.expandByPoint(bone.getWorldPosition(at));
  const radius = p.num("boneRadius", Math.max(box.getSize(at).length() / 40, 1e-3), { min: 0 });
  const joints = new InstancedMesh(new SphereGeometry(radius, 10, 8), new MeshBasicMaterial({ color: p.color("jointColor") ?? new Color(0xff8800) }), bones.length);
  joints.frustumCulled = false;
  holder.add(lines, joints);
  const m = new Matrix4();
  const inv = new Matrix4();
  const a = new Vector3();
  const b = new Vector3();
  const redraw = () => {
    holder.updateMatrixWorld(true);
    inv.copy(holder.matrixWorld).invert();
    pairs.forEach((bone, i) => {
      a.setFromMatrixPosition(bone.matrixWorld).applyMatrix4(inv);
      b.setFromMatrixPosition((bone.parent as Bone).matrixWorld).applyMatrix4(inv);
      positions.setXYZ(2 * i, a.x, a.y, a.z);
      positions.setXYZ(2 * i + 1, b.x, b.y, b.z);
    });
    positions.needsUpdate = true;
    lineGeometry.computeBoundingSphere();
    bones.forEach((bone, i) => {
      a.setFromMatrixPosition(bone.matrixWorld).applyMatrix4(inv);
      joints.setMatrixAt(i, m.makeTranslation(a.x, a.y, a.z));
    });
    joints.instanceMatrix.needsUpdate = true;
  };
  redraw();
  return { object: holder, clips: [], afterStep: redraw };
}

async function load(tag: string, f: ArrayBuffer | string, p: Props): Promise<Loaded> {
  // The loaders are a separate script, added the first time a scene has one of these files.
  const { BVHLoader, ColladaLoader, FBXLoader } = await loadLoaders();
  const path = typeof p.raw.src === "string" ? folderOf(p.raw.src) : "";
  switch (tag) {
    case "Fbx": {
      const group = new FBXLoader().parse(asBytes(f), path);
      return { object: group, clips: group.animations };
    }
    case "Dae": {
      const collada = new ColladaLoader().parse(asText(f), path);
      if (!collada) throw new Error("not a COLLADA document");
      return { object: collada.scene, clips: collada.scene.animations?.length ? collada.scene.animations : (collada as unknown as { animations?: AnimationClip[] }).animations ?? [] };
    }
    default: {
      const bvh = new BVHLoader().parse(asText(f));
      const view = skeletonView(bvh.skeleton.bones[0], p);
      view.clips = [bvh.clip];
      return view;
    }
  }
}

export function animatedModel(tag: string, p: Props, ctx: NodeContext): Content {
  const group = new Group();
  let disposed = false;
  let stop: (() => void) | undefined;
  let mixer: AnimationMixer | undefined;
  ctx.track(
    (async () => {
      const f = await fileOf(p);
      if (f === undefined || disposed) return;
      const loaded = await load(tag, f, p);
      if (disposed) return disposeObject(loaded.object);
      if (tag !== "Bvh") overrideMaterials(loaded.object, p);
      group.add(loaded.object);
      const play = p.bool("playAnimation", tag === "Bvh");
      const index = Math.round(p.num("animationIndex", 0, { min: 0 }));
      const clip = loaded.clips[index];
      if (play && loaded.clips.length && !clip) p.warn("animationIndex", `the file has ${loaded.clips.length} animation clip(s); there is no clip ${index}`);
      const s = servicesOf(ctx.holder);
      if (play && clip && s) {
        mixer = new AnimationMixer(tag === "Bvh" ? (loaded.object.children[0] as Object3D) : loaded.object);
        mixer.timeScale = p.num("animationSpeed", 1);
        mixer.clipAction(clip).play();
        const clock = new Clock();
        const m = mixer;
        const off = s.addFrameHook(() => {
          m.update(Math.min(clock.getDelta(), 0.1));
          loaded.afterStep?.();
          // The next frame is asked for after this one ends, so a playing clip never holds up idle().
          requestAnimationFrame(() => ctx.requestRender());
          return true;
        });
        stop = () => {
          off();
          m.stopAllAction();
        };
      }
      ctx.requestRender();
    })().catch((e: Error) => p.warn("src", `could not load the ${tag} file: ${e.message}`)),
  );
  return {
    object: group,
    dispose() {
      disposed = true;
      stop?.();
      if (mixer) mixer.uncacheRoot(mixer.getRoot());
      disposeObject(group);
    },
  };
}
