/**
 * Records a session as it runs: every runner message and viewer event with its time since
 * the session's first message, plus periodic keyframes (the whole scene) so any moment is
 * rebuilt from the nearest keyframe before it and the messages after it.
 *
 * Bounded: records are kept encoded (their size is exact) in segments that each start with
 * a keyframe; past the byte budget the oldest segment goes, so every moment still held can
 * be rebuilt. A sink (the file writer) sees every record as it is made, kept or not.
 * Pure: the clocks are injected; no vscode, no files.
 */
import type { ClientEvent } from "../protocol/events.js";
import type { RunnerToHost } from "../protocol/runner.js";
import { isSceneMessage, type SceneNode } from "../protocol/scene.js";
import { SceneStore } from "../scene/scene-store.js";
import { encodeRecord, SREC_FORMAT, SREC_VERSION, type HeaderRecord, type SrecRecord } from "./format.js";
import { MemorySource, RecordingReader } from "./reader.js";
import { TaskTimeline, type Marker, type TaskSpan } from "./timeline.js";

/** The default memory budget of a recording (the extension's setting overrides it). */
export const DEFAULT_BUDGET_BYTES = 256 * 2 ** 20;
/** A keyframe at least this often while the scene changes... */
export const DEFAULT_KEYFRAME_EVERY_MS = 5000;
/** ...and once the scene messages since the last one reach max(this, KEYFRAME_RATIO × its size). */
export const DEFAULT_KEYFRAME_MIN_BYTES = 256 * 2 ** 10;
/** Keyframes cost at most about 1/KEYFRAME_RATIO of a recording's bytes (and of its encoding time). */
const KEYFRAME_RATIO = 8;
/** What a task span or marker costs in memory, roughly (counted against the budget). */
const TIMELINE_ITEM_BYTES = 256;

export interface RecordingSink {
  /** One record's bytes, in order; `t` is absent for the header. */
  write(parts: Buffer[], meta: { k: SrecRecord["k"]; t?: number }): void;
  /** The session is over: write what a reader needs to seek (the index) and finish. */
  close(summary: { spans: TaskSpan[]; markers: Marker[] }): void;
}

export interface RecorderOptions {
  budgetBytes?: number;
  /** Keep records in memory (default); off, they only go to the sink. */
  retain?: boolean;
  keyframeEveryMs?: number;
  keyframeMinBytes?: number;
  sink?: RecordingSink;
  /**
   * The host's own scene store, to take keyframes from instead of keeping a second copy.
   * Call record(m) before that store applies m: a keyframe is taken at the next record, when
   * the store holds exactly what was recorded before it.
   */
  scene?: { snapshot(): SceneNode };
  /** Monotonic milliseconds (default performance.now) and the wall clock (default Date.now). */
  now?: () => number;
  epoch?: () => number;
}

export interface Segment {
  /** t of its keyframe, its first record. */
  t0: number;
  /** t of its last record. */
  end: number;
  records: Buffer[];
  bytes: number;
}

export class Recorder {
  readonly budgetBytes: number;
  readonly timeline = new TaskTimeline();
  private readonly retain: boolean;
  private readonly keyEveryMs: number;
  private readonly keyMinBytes: number;
  private readonly sink?: RecordingSink;
  private readonly scene: { snapshot(): SceneNode };
  private readonly ownStore?: SceneStore;
  private readonly now: () => number;
  private readonly epoch: () => number;
  private origin: number | undefined;
  private headerRecord: HeaderRecord | undefined;
  private segmentList: Segment[] = [];
  private held = 0;
  private sinceKey = 0;
  private lastKeyT = 0;
  private lastKeyBytes = 0;
  private recordCount = 0;
  private lastT = 0;
  private keyDue = false;
  private closed = false;

  constructor(options: RecorderOptions = {}) {
    this.budgetBytes = options.budgetBytes ?? DEFAULT_BUDGET_BYTES;
    if (!(this.budgetBytes > 0)) throw new RangeError(`a recording budget must be a positive number of bytes, got ${options.budgetBytes}`);
    this.retain = options.retain ?? true;
    this.keyEveryMs = options.keyframeEveryMs ?? DEFAULT_KEYFRAME_EVERY_MS;
    this.keyMinBytes = options.keyframeMinBytes ?? DEFAULT_KEYFRAME_MIN_BYTES;
    this.sink = options.sink;
    this.now = options.now ?? (() => performance.now());
    this.epoch = options.epoch ?? Date.now;
    if (options.scene) this.scene = options.scene;
    else this.scene = this.ownStore = new SceneStore();
  }

  /** A message from the runner, as the host received it (after validation). */
  record(m: RunnerToHost): void {
    const t = this.clock(m);
    const scene = isSceneMessage(m);
    if (scene) this.ownStore?.apply(m);
    else this.timeline.message(t, m);
    const bytes = this.add({ k: "m", t, m });
    if (!scene) return;
    this.sinceKey += bytes;
    const enough = Math.min(this.budgetBytes / 4, Math.max(this.keyMinBytes, KEYFRAME_RATIO * this.lastKeyBytes));
    if (this.sinceKey >= enough || t - this.lastKeyT >= this.keyEveryMs) this.keyDue = true;
  }

  /** A keyframe decided on at the last scene message, taken now that the scene holds it. */
  private takeDueKeyframe(): void {
    if (!this.keyDue || this.closed) return;
    this.keyDue = false;
    this.keyframe(this.lastT);
  }

  /** A viewer event on its way to the program. */
  recordEvent(e: ClientEvent): void {
    const t = this.clock();
    this.timeline.event(t, e);
    this.add({ k: "e", t, m: e });
  }

  /** Ends the recording: the sink writes its index. Later records are ignored. */
  close(): void {
    if (this.closed) return;
    if (this.origin === undefined) this.clock(); // nothing came: still a valid (empty) recording
    this.closed = true;
    this.sink?.close({ spans: this.timeline.spans(), markers: this.timeline.markers() });
  }

  get header(): HeaderRecord | undefined {
    return this.headerRecord;
  }

  /** Bytes held in memory (records, plus the task spans and markers). */
  get bytes(): number {
    return this.held + (this.timeline.count + this.timeline.markerCount) * TIMELINE_ITEM_BYTES;
  }

  get segments(): readonly Segment[] {
    return this.segmentList;
  }

  get records(): number {
    return this.recordCount;
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
    const segs = this.segmentList.map((s) => ({ ...s, records: s.records.slice() }));
    return new RecordingReader(new MemorySource(this.headerRecord, segs, this.lastT, this.timeline.spans(), this.timeline.markers()));
  }

  /** Milliseconds since the first message; the first call starts the recording. */
  private clock(first?: RunnerToHost): number {
    const now = this.now();
    // The keyframe due is stamped with the time of the message it follows.
    if (this.keyDue) this.takeDueKeyframe();
    if (this.origin === undefined) {
      this.origin = now;
      const header: HeaderRecord = { k: "header", format: SREC_FORMAT, version: SREC_VERSION, origin: this.epoch() };
      if (first?.etype === "SESSION_START") Object.assign(header, { program: first.file, runtime: first.runtime });
      this.headerRecord = header;
      this.sink?.write(encodeRecord(header), { k: "header" });
      this.keyframe(0);
    }
    // Microseconds are plenty, and keep the envelope short.
    const t = Math.max(this.lastT, Math.round((now - this.origin) * 1000) / 1000);
    this.lastT = t;
    return t;
  }

  private keyframe(t: number): void {
    const parts = encodeRecord({ k: "key", t, scene: this.scene.snapshot() });
    this.lastKeyBytes = this.emit(parts, "key", t, true);
    this.sinceKey = 0;
    this.lastKeyT = t;
  }

  private add(record: SrecRecord & { t: number }): number {
    if (this.closed) return 0;
    return this.emit(encodeRecord(record), record.k, record.t, false);
  }

  private emit(parts: Buffer[], k: SrecRecord["k"], t: number, startsSegment: boolean): number {
    const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.sink?.write([whole], { k, t });
    this.recordCount++;
    if (!this.retain) return whole.length;
    if (startsSegment) this.segmentList.push({ t0: t, end: t, records: [], bytes: 0 });
    const seg = this.segmentList[this.segmentList.length - 1];
    seg.records.push(whole);
    seg.bytes += whole.length;
    seg.end = t;
    this.held += whole.length;
    this.trim();
    return whole.length;
  }

  /** Oldest segments go first; the newest always stays (it holds the present). */
  private trim(): void {
    let dropped = false;
    while (this.segmentList.length > 1 && this.bytes > this.budgetBytes) {
      this.held -= this.segmentList.shift()!.bytes;
      dropped = true;
    }
    if (dropped) this.timeline.prune(this.segmentList[0].t0);
  }
}
