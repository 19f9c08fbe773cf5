/**
 * Records a session as it runs: every runner message and viewer event with its time since
 * the session's first message, plus periodic keyframes (the whole scene) so any moment is
 * rebuilt from the nearest keyframe before it and the messages after it.
 *
 * Records are kept encoded in segments, each a keyframe and the records up to the next one.
 * Records are copied into slabs as they come (chunk.ts); a finished segment goes to the
 * recording worker (deflate-worker.ts), which puts its keyframe in front (built from a scene
 * of its own, keyframer.ts: the host's thread takes only the recording's first) and deflates
 * it, and is handed, in order, to the sink (the file writer). Bounded: segments, recycled
 * slabs and the worker's scene are counted against a budget, and past it the oldest segments
 * go, so every moment still held can be rebuilt.
 * Pure: the clocks are injected; no vscode, no files.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { DEFLATE_LEVEL, SegmentDeflater } from "./deflate-worker.js";
import type { ClientEvent } from "../protocol/events.js";
import type { RunnerToHost } from "../protocol/runner.js";
import { isSceneMessage, type SceneNode } from "../protocol/scene.js";
import { SceneStore } from "../scene/scene-store.js";
import { SegmentChunk, SlabPool, slabBytes } from "./chunk.js";
import { encodeRecord, encodeSegmentBlock, frameRecordPieces, holdsBinary, SREC_FORMAT, SREC_VERSION, type HeaderRecord, type SrecRecord } from "./format.js";
import { MemorySource, RecordingReader } from "./reader.js";
import { TaskTimeline, type Marker, type TaskSpan } from "./timeline.js";

/** The default memory budget of a recording (the extension's setting overrides it). */
export const DEFAULT_BUDGET_BYTES = 256 * 2 ** 20;
/**
 * A keyframe at least this often while records come, if the scene is small (see SMALL_KEYFRAME_BYTES):
 * each keyframe closes a segment, and a closed segment is on disk, so a killed writer loses
 * about this much of the end.
 */
export const DEFAULT_KEYFRAME_EVERY_MS = 1000;
/** A keyframe this small may be taken on time alone; a bigger one waits for its share of records. */
const SMALL_KEYFRAME_BYTES = 64 * 2 ** 10;
/** ...and once the records since the last one reach max(this, KEYFRAME_RATIO × its size). */
export const DEFAULT_KEYFRAME_MIN_BYTES = 256 * 2 ** 10;
/**
 * Keyframes cost at most about 1/KEYFRAME_RATIO of a recording's bytes. Encoding one is the
 * recorder's dearest work per byte (the scene's snapshot and JSON: ~1 ms for 1,000 boxes,
 * where copying a message of them is 0.015 ms), but a seek replays up to this many messages'
 * worth after its keyframe: measured at 16, the slowest of recording.seek's 400 seeks went
 * from 22 ms to 240-460 ms on the loaded machine (its median from 11 to 25 ms), so it stays 8.
 */
const KEYFRAME_RATIO = 8;
/** What a task span or marker costs in memory, roughly (counted against the budget). */
const TIMELINE_ITEM_BYTES = 256;
/** For a segment deflated here and now (saving a file): the same level the worker uses. */
const DEFLATE = { level: DEFLATE_LEVEL };
/**
 * Recycled slabs kept for the next segments, at most this much (and an eighth of the budget):
 * a steady 1,000-box stream reuses its few; a point cloud's 40 MB segments reuse part.
 */
const POOL_MAX_BYTES = 32 * 2 ** 20;
/**
 * The worker is behind when this many segments are out at it (see splitHow()). A keyframe due
 * then waits while the segment is under its usual size, and for a big scene (BIG_SCENE_BYTES)
 * under twice that: its keyframe on the host would block it for tens of milliseconds (a
 * 500,000-point cloud: 10-27 ms of on-CPU in host.block.cloud's longest gaps, 0.4-8 ms when it
 * waits). A small scene's segments are not stretched: its keyframe costs the host ~1 ms, and at
 * 2× recording.seek (a producer far faster than the worker) had half the keyframes and its
 * slowest seek went from ~30 to 651 ms (median 50 ms, load 12).
 */
const WORKER_BEHIND_SEGMENTS = 2;
const BIG_SCENE_BYTES = 2 ** 20;

export interface SegmentInfo {
  t0: number;
  end: number;
  records: number;
}

export interface RecordingSink {
  header(parts: Buffer[]): void;
  /** One segment's bytes (a deflated block, or its records as they are), in time order. */
  segment(parts: Buffer[], info: SegmentInfo): void;
  /** The session is over: write what a reader needs to seek (the index) and finish. */
  close(summary: { spans: TaskSpan[]; markers: Marker[] }): void;
}

export interface RecorderOptions {
  budgetBytes?: number;
  /** Keep records in memory (default); off, they only go to the sink. */
  retain?: boolean;
  /** Deflate finished segments (default on). */
  compress?: boolean;
  keyframeEveryMs?: number;
  keyframeMinBytes?: number;
  sink?: RecordingSink;
  /**
   * The host's own scene store, to take keyframes from (the first, and any while the worker is
   * behind) instead of keeping a copy of the scene here.
   * Call record(m) before that store applies m: a keyframe is taken at the next record, when
   * the store holds exactly what was recorded before it.
   */
  scene?: { snapshot(): SceneNode };
  /** Monotonic milliseconds (default performance.now) and the wall clock (default Date.now). */
  now?: () => number;
  epoch?: () => number;
  /** The recording worker's program (default: dist/recording-worker.js beside this bundle); false: none, all on this thread. */
  workerFile?: string | false;
}

export interface Segment extends SegmentInfo {
  /** Its records while it is being written... */
  chunk?: SegmentChunk;
  /** ...then finished (views of its slabs), until deflated... */
  pieces?: Buffer[];
  /** ...then deflated, its keyframe first. */
  z?: Buffer;
  /**
   * Its bytes start with its keyframe. Until the worker has put one in front, a segment is
   * read after the one before it (the scene at its start is that one's end).
   */
  hasKey: boolean;
  /** Bytes of memory it holds now (its slabs, or deflated). */
  bytes: number;
  /** Its bytes, undeflated. */
  rawBytes: number;
}

export class Recorder {
  readonly budgetBytes: number;
  readonly timeline = new TaskTimeline();
  private readonly retain: boolean;
  private readonly compress: boolean;
  private readonly keyEveryMs: number;
  private readonly keyMinBytes: number;
  private readonly sink?: RecordingSink;
  private readonly deflater: SegmentDeflater;
  /** Keyframes after the first are built by the worker, not taken here. */
  private readonly workerKeys: boolean;
  private readonly pool: SlabPool;
  private readonly scene: { snapshot(): SceneNode };
  private readonly ownStore?: SceneStore;
  private readonly now: () => number;
  private readonly epoch: () => number;
  private origin: number | undefined;
  private headerRecord: HeaderRecord | undefined;
  private segmentList: Segment[] = [];
  private current: Segment | undefined;
  private held = 0;
  private sinceKey = 0;
  private lastKeyT = 0;
  private lastKeyBytes = 0;
  /**
   * Whether anything recorded (so anything the scene can hold) carried typed arrays. Until it
   * has, a keyframe is plain JSON: no walk of the whole scene looking for them.
   */
  private binarySeen = false;
  private recordCount = 0;
  private keysHere = 0;
  private keysOff = 0;
  private lastT = 0;
  private keyDue = false;
  private closed = false;
  /** Finished segments in order: deflated, then given to the sink. */
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** The last moment sceneAt built, and what it was built from. */
  private lastScene: { store: SceneStore; t: number; asked: number; oldest: Segment | undefined; end: number; records: number } | undefined;

  constructor(options: RecorderOptions = {}) {
    this.budgetBytes = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
    if (!(this.budgetBytes > 0)) throw new RangeError(`a recording budget must be a positive number of bytes, got ${options.budgetBytes}`);
    this.retain = options.retain ?? true;
    this.compress = options.compress ?? true;
    this.keyEveryMs = options.keyframeEveryMs ?? DEFAULT_KEYFRAME_EVERY_MS;
    this.keyMinBytes = options.keyframeMinBytes ?? DEFAULT_KEYFRAME_MIN_BYTES;
    this.sink = options.sink;
    this.now = options.now ?? (() => performance.now());
    this.epoch = options.epoch ?? Date.now;
    const slab = slabBytes(this.budgetBytes);
    this.pool = new SlabPool(slab, Math.min(POOL_MAX_BYTES, Math.floor(this.budgetBytes / 8 / slab) * slab));
    this.deflater = new SegmentDeflater({ keyframes: this.compress, workerFile: options.workerFile });
    this.workerKeys = this.deflater.keyframes;
    if (options.scene) this.scene = options.scene;
    else this.scene = this.ownStore = new SceneStore();
  }

  /** A message from the runner, as the host received it (after validation). */
  /**
   * `frame`: the frame body the message arrived in, when it was taken whole (the supervisor
   * says so): recorded as it is, a copy rather than a second encoding of the message.
   */
  record(m: RunnerToHost, frame?: Buffer): void {
    if (this.closed) return;
    const t = this.clock(m);
    // Without the host's store, a scene of its own: for the keyframes taken here (the worker
    // behind, or none). The extension always gives its store, so applies nothing twice.
    if (isSceneMessage(m)) this.ownStore?.apply(m);
    else this.timeline.message(t, m);
    if (frame) this.added(this.appendFrame(frame, t, isSceneMessage(m)), t);
    else this.add({ k: "m", t, m });
  }

  /** A viewer event on its way to the program. */
  recordEvent(e: ClientEvent): void {
    if (this.closed) return;
    const t = this.clock();
    this.timeline.event(t, e);
    this.add({ k: "e", t, m: e });
  }

  /**
   * Ends the recording: the last segment is finished and the sink writes its index. Later
   * records are ignored. Rejects if the sink failed (a full disk), with its error.
   */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    if (this.origin === undefined) this.clock(); // nothing came: still a valid (empty) recording
    this.closed = true;
    if (this.current) this.finish(this.current, true);
    this.current = undefined;
    await this.chain;
    this.deflater.end();
    if (!this.failure) {
      try {
        this.sink?.close({ spans: this.timeline.spans(), markers: this.timeline.markers() });
      } catch (e) {
        this.failure = e as Error;
      }
    }
    if (this.failure) throw this.failure;
  }

  /** Resolves once every finished segment is deflated and handed to the sink. */
  settled(): Promise<void> {
    return this.chain;
  }

  get header(): HeaderRecord | undefined {
    return this.headerRecord;
  }

  /**
   * Bytes held in memory: segments (whole slabs while written), recycled slabs, the worker's
   * scene (about its last keyframe's size), the task spans and markers.
   */
  get bytes(): number {
    const workerScene = this.workerKeys ? this.lastKeyBytes : 0;
    return this.held + this.pool.bytes + workerScene + (this.timeline.count + this.timeline.markerCount) * TIMELINE_ITEM_BYTES;
  }

  /** Segments held, oldest first (the last is the one being written). */
  get segments(): readonly Segment[] {
    return this.segmentList;
  }

  get records(): number {
    return this.recordCount;
  }

  /** Keyframes taken on this thread (the first; all of them without the worker; those while it was behind) and built by the worker. */
  get keyframes(): { here: number; worker: number } {
    return { here: this.keysHere, worker: this.keysOff };
  }

  /**
   * The scene at `t` (a reader's sceneAt over what is held now), built once per moment: the
   * viewer's timeline and the Scene view ask for the same scrubbed moment, and a scene rebuilt
   * from a keyframe is the dearest read there is. The store is shared: read it, never change it.
   * Built again only when the answer could differ: another moment, the oldest segment gone (the
   * moment may no longer be held), or `t` at the recording's end and more recorded since.
   */
  sceneAt(t: number): { store: SceneStore; t: number } {
    const c = this.lastScene;
    if (c && c.asked === t && c.oldest === this.segmentList[0] && (c.t < c.end || c.records === this.recordCount)) return c;
    const { store, t: at } = this.reader().sceneAt(t);
    this.lastScene = { store, t: at, asked: t, oldest: this.segmentList[0], end: this.lastT, records: this.recordCount };
    return this.lastScene;
  }

  /** Milliseconds since t = 0 now (0 before anything was recorded); records made later have a t past it. */
  get elapsed(): number {
    if (this.origin === undefined) return 0;
    return Math.max(this.lastT, Math.round((this.now() - this.origin) * 1000) / 1000);
  }

  /** t of the latest record. */
  get end(): number {
    return this.lastT;
  }

  /** A reader over what is held now (a snapshot: later records are not seen by it). */
  reader(): RecordingReader {
    if (!this.headerRecord) throw new Error("nothing has been recorded yet");
    const segs = this.readable().map((g) => ({ t0: g.t0, bytes: () => (g.segs.length === 1 ? segmentBytes(g.segs[0]) : Buffer.concat(g.segs.map(segmentBytes))) }));
    return new RecordingReader(new MemorySource(this.headerRecord, segs, this.lastT, this.timeline.spans(), this.timeline.markers()));
  }

  /** Milliseconds since the first message; the first call starts the recording. */
  private clock(first?: RunnerToHost): number {
    const now = this.now();
    if (this.origin === undefined) {
      this.origin = now;
      const header: HeaderRecord = { k: "header", format: SREC_FORMAT, version: SREC_VERSION, origin: this.epoch() };
      if (first?.etype === "SESSION_START") Object.assign(header, { program: first.file, runtime: first.runtime });
      this.headerRecord = header;
      this.sink?.header(encodeRecord(header));
      this.keyframe(0);
    } else if (this.keyDue) {
      // Decided at the last record, taken now that a shared store holds it; stamped with its time.
      const how = this.splitHow();
      if (how !== "wait") {
        this.keyDue = false;
        this.keyframe(this.lastT, how === "here");
      }
    }
    // Microseconds are plenty, and keep the envelope short.
    const t = Math.max(this.lastT, Math.round((now - this.origin) * 1000) / 1000);
    this.lastT = t;
    return t;
  }

  /**
   * How a due keyframe is made: by the worker; or not yet, while the worker is behind and the
   * segment is short of its usual size (twice that for a big scene): the segment grows a while
   * and its keyframe costs the host nothing; or here, from the host's store (the worker then
   * skips replaying the segment before it). So the host takes keyframes only while the worker
   * is behind, and no more than two segments wait for one.
   */
  private splitHow(): "worker" | "wait" | "here" {
    if (!this.workerKeys) return "here";
    if (this.deflater.pending.segments < WORKER_BEHIND_SEGMENTS) return "worker";
    const stretch = this.lastKeyBytes >= BIG_SCENE_BYTES ? 2 : 1;
    return this.sinceKey < stretch * this.segmentTarget() ? "wait" : "here";
  }

  /** The records' bytes after which a keyframe is due. */
  private segmentTarget(): number {
    return Math.min(this.budgetBytes / 4, Math.max(this.keyMinBytes, KEYFRAME_RATIO * this.lastKeyBytes));
  }

  /**
   * Starts a segment at `t`. Its keyframe is taken here only for the recording's first segment
   * (the store may hold what was there before), without the worker, or when `here` (splitHow);
   * otherwise the worker puts it in front once the segment is finished.
   */
  private keyframe(t: number, hostKey = false): void {
    const first = t === 0 && this.recordCount === 0;
    const here = first || !this.workerKeys || hostKey;
    if (this.current) this.finish(this.current, here);
    const seg: Segment = { t0: t, end: t, records: 0, chunk: new SegmentChunk(this.pool), hasKey: here, bytes: 0, rawBytes: 0 };
    this.current = seg;
    if (this.retain) this.segmentList.push(seg);
    this.sinceKey = 0;
    this.lastKeyT = t;
    if (!seg.hasKey) return;
    this.keysHere++;
    const record = { k: "key", t, scene: this.scene.snapshot() } as const;
    // The first one looks (the store may hold what was there before); later ones know.
    if (first) this.binarySeen = holdsBinary(record.scene);
    // Plain JSON straight into the segment: no buffer of its own first.
    this.lastKeyBytes = this.binarySeen ? this.append(encodeRecord(record), t) : this.appendText(`${JSON.stringify(record)}\n`, t);
  }

  private add(record: SrecRecord & { t: number }): void {
    if (!this.binarySeen && record.k === "m" && isSceneMessage(record.m)) this.binarySeen = holdsBinary(record.m);
    this.added(this.append(encodeRecord(record), record.t), record.t);
  }

  /** Counts a record's bytes toward the next keyframe, and decides whether one is due. */
  private added(bytes: number, t: number): void {
    this.sinceKey += bytes;
    // Until the worker says how big its keyframes are, a record is a lower bound of the scene's
    // size (what it upserts ends up in the scene): a point cloud's segments are sized for its
    // keyframe from its first message, not cut after 256 kB while the worker is still at it.
    if (this.workerKeys && bytes > this.lastKeyBytes) this.lastKeyBytes = bytes;
    const enough = this.segmentTarget();
    // On time too, unless a big scene would make keyframes most of the recording (a 100 MB point
    // cloud with small updates takes one only after 1/8 of its size in records).
    const onTime = t - this.lastKeyT >= this.keyEveryMs && this.lastKeyBytes <= Math.max(SMALL_KEYFRAME_BYTES, KEYFRAME_RATIO * this.sinceKey);
    if (this.sinceKey >= enough || onTime) this.keyDue = true;
  }

  private append(parts: Buffer[], t: number): number {
    const chunk = this.current!.chunk!;
    let n = 0;
    for (const p of parts) n += chunk.append(p);
    return this.appended(n, t);
  }

  /**
   * A message record straight from its frame (format.ts: messageRecordFromFrame), copied once
   * into the segment. The slabs are shared memory, into which V8 copies word by word only where
   * source and destination agree modulo 8, else byte by byte (measured: 0.03 against 0.004 ms
   * per 128 kB, and up to 0.1 ms on the loaded machine, most of what recording cost the host's
   * thread): up to 7 spaces after the envelope's `"m":` and before its closing brace (JSON
   * whitespace, read the same) line the JSON and the typed arrays up with where they come from.
   */
  private appendFrame(frame: Buffer, t: number, scene: boolean): number {
    const chunk = this.current!.chunk!;
    const { head, json, area } = frameRecordPieces(t, frame);
    // A typed array of no bytes leaves no area, only its reference in the JSON. Looked for only
    // where a "$" is at all: memchr is ~100× faster than searching 130 kB for the word.
    if (!this.binarySeen && scene) this.binarySeen = area !== undefined || (json.indexOf(0x24) >= 0 && json.includes('"$bin"'));
    let n = chunk.appendText(head + SPACES[mod8(json.byteOffset - chunk.length - head.length)]) + chunk.append(json);
    n += chunk.appendText(area ? `${SPACES[mod8(area.byteOffset - chunk.length - 2)]}}\n` : "}\n");
    if (area) n += chunk.append(area);
    return this.appended(n, t);
  }

  private appendText(text: string, t: number): number {
    return this.appended(this.current!.chunk!.appendText(text), t);
  }

  private appended(n: number, t: number): number {
    const seg = this.current!;
    seg.records++;
    seg.end = t;
    seg.rawBytes += n;
    this.recordCount++;
    // Memory is taken a slab at a time: counted as it is taken.
    const capacity = seg.chunk!.capacity;
    if (this.retain) this.held += capacity - seg.bytes;
    seg.bytes = capacity;
    if (this.retain) this.trim();
    return n;
  }

  /**
   * A segment is complete: to the worker (its keyframe put in front, deflated), then to the
   * sink, in order; its slabs are recycled once the deflated block replaced them.
   */
  private finish(seg: Segment, nextHasKey: boolean): void {
    const pieces = seg.chunk!.finish(!this.compress);
    seg.chunk = undefined;
    seg.pieces = pieces;
    const memory = pieces.reduce((n, p) => n + p.buffer.byteLength, 0);
    if (this.segmentList.includes(seg)) this.held += memory - seg.bytes;
    seg.bytes = memory;
    const deflated = this.compress ? this.deflater.submit(pieces, seg.t0, seg.hasKey, nextHasKey) : undefined;
    // Its failure is taken in turn below (and reported by close()), not as an unhandled rejection meanwhile.
    deflated?.catch(() => {});
    this.chain = this.chain.then(async () => {
      if (deflated) {
        let r;
        try {
          r = await deflated;
        } catch (e) {
          this.failure ??= e as Error; // reported by close(); the segment stays as it is
          return;
        }
        if (r.keyBytes) {
          this.keysOff++;
          seg.records++;
          this.recordCount++;
          this.lastKeyBytes = r.keyBytes;
        }
        seg.z = r.z;
        seg.rawBytes = r.raw;
        seg.hasKey = true;
        // Readers are given copies of undeflated bytes (segmentBytes), the sink the deflated
        // block: nothing else holds the slabs, and the next segments may be written into them.
        this.pool.give(seg.pieces!);
        seg.pieces = undefined;
        if (this.segmentList.includes(seg)) this.held += r.z.length - seg.bytes;
        seg.bytes = r.z.length;
      }
      if (!this.sink || this.failure) return;
      const info: SegmentInfo = { t0: seg.t0, end: seg.end, records: seg.records };
      try {
        this.sink.segment(seg.z ? encodeSegmentBlock({ t: seg.t0, end: seg.end, records: seg.records, raw: seg.rawBytes }, seg.z) : pieces, info);
      } catch (e) {
        this.failure = e as Error; // reported by close()
      }
    });
  }

  /**
   * Held segments as a reader takes them: each from its keyframe, with the segments after it
   * that have none yet (the worker has not answered for them). Segments before the first
   * keyframe held cannot be rebuilt and are left out.
   */
  private readable(): Array<{ t0: number; segs: Segment[] }> {
    const out: Array<{ t0: number; segs: Segment[] }> = [];
    for (const s of this.segmentList) {
      if (s.hasKey) out.push({ t0: s.t0, segs: [s] });
      else if (out.length) out[out.length - 1].segs.push(s);
    }
    return out;
  }

  /** Every moment held, as deflated blocks for a file (segments without a keyframe yet go with the one before). */
  fileBlocks(): Array<{ parts: Buffer[]; info: SegmentInfo }> {
    return this.readable().map(({ t0, segs }) => {
      const last = segs[segs.length - 1];
      const records = segs.reduce((n, s) => n + s.records, 0);
      const info: SegmentInfo = { t0, end: last.end, records };
      if (segs.length === 1 && segs[0].z) return { parts: encodeSegmentBlock({ t: t0, end: last.end, records, raw: segs[0].rawBytes }, segs[0].z), info };
      const raw = Buffer.concat(segs.map(segmentBytes));
      return { parts: encodeSegmentBlock({ t: t0, end: last.end, records, raw: raw.length }, deflateRawSync(raw, DEFLATE)), info };
    });
  }

  /**
   * Oldest segments go first, each with the segments read after it (no keyframe yet); the
   * newest keyframe and what follows always stay (they hold the present). While the worker is
   * behind, that can be more than the budget until it answers.
   */
  private trim(): void {
    let dropped = false;
    const list = this.segmentList;
    while (list.length > 1 && this.bytes > this.budgetBytes) {
      // The oldest segment, and those after it up to the next that starts with a keyframe.
      let n = 1;
      while (n < list.length && !list[n].hasKey) n++;
      if (n === list.length) break;
      for (const s of list.splice(0, n)) this.held -= s.bytes;
      dropped = true;
    }
    if (dropped) this.timeline.prune(list[0].t0);
  }
}

const mod8 = (n: number) => ((n % 8) + 8) % 8;
const SPACES = ["", " ", "  ", "   ", "    ", "     ", "      ", "       "];

/**
 * A held segment's bytes for a reader (inflated if need be). Undeflated bytes are copied: their
 * slabs are reused once the segment is deflated (chunk.ts), and a reader may keep what it read.
 */
function segmentBytes(s: Segment): Buffer {
  if (s.z) return inflateRawSync(s.z, { maxOutputLength: Math.max(1, s.rawBytes) });
  return Buffer.concat(s.pieces ?? s.chunk!.pieces());
}
