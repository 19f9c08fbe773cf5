/**
 * Builds a recording's keyframes from its own segments, off the host's main thread: it keeps a
 * scene of its own (the one SceneStore) by applying every finished segment's scene records
 * (decoded with the format's record decoder, i.e. the runner pipe's frame codec), and puts the
 * whole scene as it stood in front of the next segment. Taking a keyframe on the host meant a
 * snapshot of the scene and its encoding in the middle of the live path (~1 ms for 1,000
 * boxes, once per 8 messages); here the recording worker does it (deflate-worker.ts). The same
 * class runs on the main thread where no worker can.
 *
 * The file does not change: each segment still starts with its keyframe (a `key` record whose t
 * is the segment's start, the scene after every record before it).
 */
import { isSceneMessage, type SceneMessage } from "../protocol/scene.js";
import { SceneStore } from "../scene/scene-store.js";
import { decodeTrustedAt, encodeRecord } from "./format.js";

export class Keyframer {
  private readonly store = new SceneStore();

  /**
   * A finished segment's bytes with its keyframe in front: `raw` is its records, and, when
   * `hasKey`, a keyframe the host took first (the recording's first). Returns the pieces to
   * deflate in order and the keyframe's bytes (0 when the host's). `raw` is then applied,
   * unless `nextHasKey`: the host takes the next keyframe itself, so the scene after this
   * segment is not needed (the parse of every record, the dearest part, is saved).
   */
  segment(raw: Buffer, t0: number, hasKey: boolean, nextHasKey = false): { pieces: Buffer[]; keyBytes: number } {
    const key = hasKey ? [] : encodeRecord({ k: "key", t: t0, scene: this.store.snapshot() });
    if (!nextHasKey) this.apply(raw);
    return { pieces: [...key, raw], keyBytes: key.reduce((n, p) => n + p.length, 0) };
  }

  /** Applies every scene record (keyframes as SET) of segment bytes the host recorded (trusted). */
  apply(raw: Buffer): void {
    for (let off = 0; off < raw.length; ) {
      const { record: r, next } = decodeTrustedAt(raw, off);
      off = next;
      if (r.k === "key") this.store.apply({ etype: "SET", ts: r.t, data: r.scene });
      else if (r.k === "m" && isSceneMessage(r.m)) this.store.apply(r.m as SceneMessage);
    }
  }
}
