/**
 * vuer's keyframe animation: ThreeAnimate / PlaybackAnimate (`clipIndex`, `play`, `speed`) play
 * one of the AnimationClip nodes below them; a clip's VectorTrack / QuaternionTrack /
 * NumberTrack / ColorTrack children hold three.js tracks: `name` ("box.position": a node key and
 * a property), `times` and `values` (one vector per time, or flat). The animated nodes are the
 * animator's own descendants, found by key.
 *
 * The nodes are separate scene nodes, so each one records its data on its holder and tells the
 * nearest animator above it; the animator rebuilds its mixer on the next frame.
 */
import {
  AnimationClip, AnimationMixer, Clock, ColorKeyframeTrack, NumberKeyframeTrack, QuaternionKeyframeTrack, VectorKeyframeTrack,
  type KeyframeTrack, type Object3D,
} from "three";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { servicesOf } from "./services.js";
import type { Content, NodeContext } from "./types.js";

export const ANIMATOR_TAGS = new Set(["ThreeAnimate", "PlaybackAnimate"]);
const TRACKS = { VectorTrack: VectorKeyframeTrack, QuaternionTrack: QuaternionKeyframeTrack, NumberTrack: NumberKeyframeTrack, ColorTrack: ColorKeyframeTrack } as const;
export const TRACK_TAGS = new Set([...Object.keys(TRACKS), "AnimationClip"]);

interface Animator {
  invalidate(): void;
}

function invalidateAbove(o: Object3D): void {
  for (let x = o.parent; x; x = x.parent) {
    const a = x.userData.animator as Animator | undefined;
    if (a) return a.invalidate();
  }
}

/** AnimationClip and the track tags: data for the animator above; they draw nothing. */
export function keyframeData(tag: string, p: Props, ctx: NodeContext): Content {
  const record = (np: Props) => {
    if (tag === "AnimationClip") {
      ctx.holder.userData.animClip = { name: np.str("name", ctx.key), duration: np.num("duration", -1) };
    } else {
      const name = np.str("name");
      const times = Array.isArray(np.raw.times) || ArrayBuffer.isView(np.raw.times) ? Array.from(np.raw.times as ArrayLike<number>) : undefined;
      const raw = np.raw.values;
      const values = Array.isArray(raw) ? (raw as unknown[]).flat(2).map(Number) : ArrayBuffer.isView(raw) ? Array.from(raw as unknown as ArrayLike<number>) : undefined;
      if (!name || !name.includes(".")) np.warn("name", `expected "<node key>.<property>" (e.g. "box.position"), got ${describe(np.raw.name)}`);
      if (!times || !values) np.warn("times", "expected times and values arrays");
      ctx.holder.userData.animTrack = name && times && values ? { kind: tag, name, times, values } : undefined;
    }
    invalidateAbove(ctx.holder);
  };
  record(p);
  return {
    object: null,
    update(np) {
      record(np);
      return true;
    },
    dispose() {
      delete ctx.holder.userData.animClip;
      delete ctx.holder.userData.animTrack;
      invalidateAbove(ctx.holder);
    },
  };
}

function clipsUnder(root: Object3D, p: Props): AnimationClip[] {
  const clips: AnimationClip[] = [];
  root.traverse((o) => {
    const c = o.userData.animClip as { name: string; duration: number } | undefined;
    if (!c) return;
    const tracks: KeyframeTrack[] = [];
    o.traverse((t) => {
      const d = t.userData.animTrack as { kind: keyof typeof TRACKS; name: string; times: number[]; values: number[] } | undefined;
      if (!d) return;
      try {
        tracks.push(new TRACKS[d.kind](d.name, d.times, d.values));
      } catch (e) {
        p.warn("children", `track "${d.name}": ${(e as Error).message}`);
      }
    });
    clips.push(new AnimationClip(c.name, c.duration, tracks));
  });
  return clips;
}

export function animator(p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  let mixer: AnimationMixer | undefined;
  let stale = true;
  let props = p;
  let targets: Object3D[] = [];
  const clock = new Clock();
  /** Stops the clip; three puts the animated properties back as they were, and the matrices follow. */
  const stop = () => {
    mixer?.stopAllAction();
    mixer?.uncacheRoot(ctx.holder);
    mixer = undefined;
    for (const o of targets) o.updateMatrix();
    targets = [];
  };
  const rebuild = () => {
    stale = false;
    stop();
    if (!props.bool("play", true)) return;
    const clips = clipsUnder(ctx.holder, props);
    const index = Math.round(props.num("clipIndex", 0, { min: 0 }));
    const clip = clips[index];
    if (!clip) {
      if (clips.length) props.warn("clipIndex", `there are ${clips.length} AnimationClip children; there is no clip ${index}`);
      return;
    }
    // Tracks name nodes by key; three finds objects by name.
    ctx.holder.traverse((o) => {
      if (!o.name && typeof o.userData.nodeKey === "string") o.name = o.userData.nodeKey;
    });
    // Node holders keep their matrices by hand (matrixAutoUpdate off): the animated ones are refreshed after each step.
    targets = [...new Set(clip.tracks.map((t) => ctx.holder.getObjectByName(t.name.split(".")[0])).filter((o): o is Object3D => !!o))];
    mixer = new AnimationMixer(ctx.holder);
    mixer.timeScale = props.num("speed", 1);
    mixer.clipAction(clip).play();
    clock.getDelta();
  };
  ctx.holder.userData.animator = { invalidate: () => ((stale = true), ctx.requestRender()) } satisfies Animator;
  const off = s?.addFrameHook(() => {
    if (stale) rebuild();
    if (!mixer) return false;
    mixer.update(Math.min(clock.getDelta(), 0.1));
    for (const o of targets) o.updateMatrix();
    // Asked for after this frame ends, so a playing clip never holds up idle().
    requestAnimationFrame(() => ctx.requestRender());
    return true;
  });
  return {
    object: null,
    update(np) {
      props = np;
      stale = true;
      return true;
    },
    dispose() {
      off?.();
      stop();
      delete ctx.holder.userData.animator;
    },
  };
}
