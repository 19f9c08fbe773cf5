/**
 * Reads a recording (a `.srec` file, or what a Recorder holds) and rebuilds any moment of it:
 * `sceneAt(t)` starts from the last keyframe at or before t and applies the scene messages
 * after it up to t; `tasksAt(t)` gives every task as it was then; `spans()` and `markers()`
 * are what a timeline draws. A file is read lazily: the index at its end says where each
 * keyframe starts, and only the one segment a seek needs is read. A file without an index
 * (its writer was killed) is scanned once instead; a record cut short at its end is left out.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { validateRunnerToHost } from "../protocol/runner.js";
import { validateSceneMessage, type SceneMessage, type SceneNode, type SetMessage } from "../protocol/scene.js";
import { ProtocolError } from "../protocol/validate.js";
import { SceneStore } from "../scene/scene-store.js";
import {
  decodeRecordAt,
  decodeTrustedAt,
  inflateBlock,
  inflateSegment,
  peekTime,
  SREC_FORMAT,
  SREC_VERSION,
  TruncatedRecordError,
  type HeaderRecord,
  type IndexRecord,
  type SrecRecord,
  type TimedRecord,
} from "./format.js";
import { TaskTimeline, type Marker, type TaskAtTime, type TaskSpan } from "./timeline.js";

/** A recording's parts, wherever they are kept. */
export interface RecordingSource {
  readonly header: HeaderRecord;
  /** t of the last record. */
  readonly end: number;
  /** t of each segment's keyframe, in order. */
  readonly keyframeTimes: number[];
  /** The bytes of segment i: its keyframe record, then the records up to the next keyframe. */
  segment(i: number): Buffer;
  spans(): TaskSpan[];
  markers(): Marker[];
  /** What was wrong with the recording and was worked around. */
  readonly warnings: string[];
  /**
   * Its records were made here from messages the host had validated (a recorder's memory):
   * seeks need not validate them again. A file is never trusted.
   */
  readonly trusted: boolean;
  close(): void;
}

export class MemorySource implements RecordingSource {
  readonly keyframeTimes: number[];
  readonly warnings: string[] = [];
  readonly trusted = true;

  constructor(
    readonly header: HeaderRecord,
    private readonly segs: ReadonlyArray<{ t0: number; bytes(): Buffer }>,
    readonly end: number,
    private readonly spanList: TaskSpan[],
    private readonly markerList: Marker[],
  ) {
    this.keyframeTimes = segs.map((s) => s.t0);
  }

  segment(i: number): Buffer {
    return this.segs[i].bytes();
  }
  spans(): TaskSpan[] {
    return this.spanList;
  }
  markers(): Marker[] {
    return this.markerList;
  }
  close(): void {}
}

interface Bytes {
  size: number;
  read(start: number, end: number): Buffer;
  close(): void;
}

function fileBytes(path: string): Bytes {
  const fd = openSync(path, "r");
  return {
    size: fstatSync(fd).size,
    read(start, end) {
      const buf = Buffer.allocUnsafe(end - start);
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

const bufferBytes = (buf: Buffer): Bytes => ({ size: buf.length, read: (s, e) => buf.subarray(s, e), close() {} });

/** A recording that cannot be read: says why in one line. */
export class RecordingError extends Error {}

/** A `.srec` file (or its bytes): header, index and segments read from the bytes. */
export class FileSource implements RecordingSource {
  readonly header: HeaderRecord;
  readonly end: number;
  readonly keyframeTimes: number[];
  readonly warnings: string[] = [];
  readonly trusted = false;
  private readonly offsets: number[];
  private readonly dataEnd: number;
  private readonly spanList: TaskSpan[];
  private readonly markerList: Marker[];

  constructor(private readonly bytes: Bytes, what: string) {
    const head = bytes.read(0, Math.min(bytes.size, 1 << 16));
    let header: unknown;
    try {
      header = decodeRecordAt(head, 0).record;
    } catch {
      header = undefined;
    }
    const h = header as Partial<HeaderRecord> | undefined;
    if (h?.k !== "header" || h.format !== SREC_FORMAT) throw new RecordingError(`${what} is not a Scene Runner recording (no ${SREC_FORMAT} header)`);
    if (typeof h.version !== "number" || h.version > SREC_VERSION) {
      throw new RecordingError(`${what} is format version ${h.version}; this Scene Runner reads version ${SREC_VERSION} (update it)`);
    }
    this.header = h as HeaderRecord;
    const headerEnd = decodeRecordAt(head, 0).next;
    const index = this.readIndex();
    let layout: { offsets: number[]; times: number[]; end: number; dataEnd: number; spans: TaskSpan[]; markers: Marker[] };
    if (index) {
      const r = index.record;
      layout = { offsets: r.keyframes.map((k) => k[1]), times: r.keyframes.map((k) => k[0]), end: r.end, dataEnd: index.at, spans: r.spans, markers: r.markers };
    } else {
      const scan = scanRecords(bytes.read(0, bytes.size), headerEnd);
      this.warnings.push(
        scan.cut !== undefined
          ? `${what} was cut short at byte ${scan.cut} (its writer did not finish); read up to there`
          : `${what} has no index (its writer did not finish); read by scanning`,
      );
      layout = { ...scan, spans: scan.timeline.spans(), markers: scan.timeline.markers() };
    }
    this.offsets = layout.offsets;
    this.keyframeTimes = layout.times;
    this.end = layout.end;
    this.dataEnd = layout.dataEnd;
    this.spanList = layout.spans;
    this.markerList = layout.markers;
  }

  private readIndex(): { record: IndexRecord; at: number } | undefined {
    const tailStart = Math.max(0, this.bytes.size - 256);
    const tail = this.bytes.read(tailStart, this.bytes.size).toString("latin1");
    const i = tail.lastIndexOf('{"k":"trailer"');
    if (i < 0) return undefined;
    try {
      const at = (JSON.parse(tail.slice(i).trim()) as { index: number }).index;
      const trailerAt = tailStart + i;
      if (!Number.isSafeInteger(at) || at < 0 || at >= trailerAt) return undefined;
      const record = decodeRecordAt(this.bytes.read(at, trailerAt), 0).record;
      return record.k === "index" ? { record, at } : undefined;
    } catch {
      return undefined;
    }
  }

  segment(i: number): Buffer {
    return inflateSegment(this.bytes.read(this.offsets[i], i + 1 < this.offsets.length ? this.offsets[i + 1] : this.dataEnd));
  }
  spans(): TaskSpan[] {
    return this.spanList;
  }
  markers(): Marker[] {
    return this.markerList;
  }
  close(): void {
    this.bytes.close();
  }
}

/** Walks every record from `start`: where the keyframes are, the tasks, the last t. */
function scanRecords(buf: Buffer, start: number) {
  const offsets: number[] = [];
  const times: number[] = [];
  const timeline = new TaskTimeline();
  let end = 0;
  let off = start;
  let cut: number | undefined;
  while (off < buf.length) {
    let decoded;
    try {
      decoded = decodeRecordAt(buf, off);
    } catch (e) {
      if (!(e instanceof TruncatedRecordError)) throw new RecordingError(`record at byte ${off} is malformed: ${(e as Error).message}`);
      cut = off;
      break;
    }
    const r = decoded.record;
    if (r.k === "index" || r.k === "trailer") break;
    if (r.k === "key" || r.k === "z") {
      offsets.push(off);
      times.push(r.t);
    }
    if (r.k === "z") {
      let inner: Buffer;
      try {
        inner = inflateBlock(r, decoded.blob);
      } catch (e) {
        throw new RecordingError(`the segment at byte ${off} is unreadable: ${(e as Error).message}`);
      }
      for (let o = 0; o < inner.length; ) {
        const d = decodeRecordAt(inner, o);
        end = observe(d.record, timeline, end);
        o = d.next;
      }
    } else end = observe(r, timeline, end);
    off = decoded.next;
  }
  return { offsets, times, timeline, end, dataEnd: cut ?? off, cut };
}

/** What one record tells the timeline; returns the latest t so far. */
function observe(r: SrecRecord, timeline: TaskTimeline, end: number): number {
  if (r.k === "m") timeline.message(r.t, r.m);
  else if (r.k === "e") timeline.event(r.t, r.m);
  return r.k === "m" || r.k === "e" || r.k === "key" ? Math.max(end, r.t) : end;
}

export interface SceneAt {
  store: SceneStore;
  /** The moment rebuilt: `t` clamped into the recording's span. */
  t: number;
  /** Records that could not be applied (malformed), one line each. */
  warnings: string[];
}

export class RecordingReader {
  private cached: { i: number; buf: Buffer } | undefined;
  private tasks: TaskTimeline | undefined;

  constructor(private readonly src: RecordingSource) {}

  /** Opens a `.srec` file; throws RecordingError (one line) if it is not one. */
  static open(path: string): RecordingReader {
    const bytes = fileBytes(path);
    try {
      return new RecordingReader(new FileSource(bytes, path));
    } catch (e) {
      bytes.close();
      throw e;
    }
  }

  static fromBuffer(buf: Buffer, what = "the recording"): RecordingReader {
    return new RecordingReader(new FileSource(bufferBytes(buf), what));
  }

  get header(): HeaderRecord {
    return this.src.header;
  }
  /** t of the oldest moment held (its first keyframe). */
  get start(): number {
    return this.src.keyframeTimes[0] ?? 0;
  }
  get end(): number {
    return this.src.end;
  }
  get keyframeTimes(): readonly number[] {
    return this.src.keyframeTimes;
  }
  get warnings(): readonly string[] {
    return this.src.warnings;
  }

  /** The scene as it was at `t`: after every scene message recorded at or before it. */
  sceneAt(t: number): SceneAt {
    const store = new SceneStore();
    const warnings: string[] = [];
    const times = this.src.keyframeTimes;
    const at = Math.min(Math.max(t, this.start), this.end);
    if (!times.length) return { store, t: at, warnings };
    // The last keyframe at or before `at`.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    const i = Math.max(0, lo - 1);
    const buf = this.segmentBytes(i);
    const onDrop = (d: { key?: string; reason: string }) => warnings.push(`left out node ${d.key ?? "(no key)"}: ${d.reason}`);
    const trusted = this.src.trusted;
    let off = 0;
    while (off < buf.length) {
      const rt = peekTime(buf, off);
      if (off > 0 && rt !== undefined && rt > at) break;
      let decoded;
      try {
        decoded = trusted ? decodeTrustedAt(buf, off) : decodeRecordAt(buf, off);
      } catch (e) {
        warnings.push(`record at byte ${off} of segment ${i} is unreadable: ${(e as Error).message}`);
        break;
      }
      off = decoded.next;
      const r = decoded.record;
      try {
        const set = (scene: SceneNode): SetMessage => ({ etype: "SET", ts: (r as TimedRecord).t, data: scene });
        if (r.k === "key") apply(store, trusted ? set(r.scene) : validateSceneMessage(set(r.scene), onDrop), warnings);
        else if (r.k === "m" && isSceneEtype(r.m.etype)) apply(store, trusted ? (r.m as SceneMessage) : (validateRunnerToHost(r.m, onDrop) as SceneMessage), warnings);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        warnings.push(`a recorded ${r.k === "key" ? "keyframe" : "message"} at ${(r as TimedRecord).t} ms is malformed: ${e.message}`);
      }
    }
    return { store, t: at, warnings };
  }

  /** The scene at `t` as one SET message (what a viewer is sent to show it). */
  setMessageAt(t: number): { message: SetMessage; t: number; warnings: string[] } {
    const { store, t: at, warnings } = this.sceneAt(t);
    return { message: { etype: "SET", ts: at, data: store.snapshot() }, t: at, warnings };
  }

  /**
   * t of the first moment the scene had any node (undefined if it never had): a viewer frames
   * its camera on the first content it draws, so a replay shows that moment first to frame alike.
   */
  firstContentAt(): number | undefined {
    const { store } = this.sceneAt(this.start);
    if (store.size) return this.start;
    for (const r of this.records(this.start)) {
      if (r.k !== "m" || !isSceneEtype(r.m.etype)) continue;
      try {
        store.apply(validateRunnerToHost(r.m, () => {}) as SceneMessage);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
      }
      if (store.size) return r.t;
    }
    return undefined;
  }

  /** Every task spawned at or before `t`, in the state it had then. */
  tasksAt(t: number): TaskAtTime[] {
    this.tasks ??= new TaskTimeline(this.src.spans(), this.src.markers());
    return this.tasks.at(t);
  }

  spans(): TaskSpan[] {
    return this.src.spans();
  }
  markers(): Marker[] {
    return this.src.markers();
  }

  /** The records (messages and events, not keyframes) with from <= t <= to, in order. */
  *records(from = -Infinity, to = Infinity): Generator<TimedRecord> {
    const times = this.src.keyframeTimes;
    // A reader over a live recorder sees its last segment grow: only what it held when made.
    to = Math.min(to, this.end);
    for (let i = 0; i < times.length; i++) {
      if (i + 1 < times.length && times[i + 1] < from) continue;
      if (times[i] > to) return;
      const buf = this.segmentBytes(i);
      let off = 0;
      while (off < buf.length) {
        const d = decodeRecordAt(buf, off);
        off = d.next;
        const r = d.record;
        if (r.k !== "m" && r.k !== "e") continue;
        if (r.t > to) return;
        if (r.t >= from) yield r;
      }
    }
  }

  close(): void {
    this.cached = undefined;
    this.src.close();
  }

  private segmentBytes(i: number): Buffer {
    if (this.cached?.i !== i) {
      let buf: Buffer;
      try {
        buf = this.src.segment(i);
      } catch (e) {
        throw new RecordingError(`the recording's segment from ${this.src.keyframeTimes[i]} ms is unreadable: ${(e as Error).message}`);
      }
      this.cached = { i, buf };
    }
    return this.cached.buf;
  }
}

const isSceneEtype = (e: string) => e === "SET" || e === "UPSERT" || e === "ADD" || e === "UPDATE" || e === "REMOVE";

function apply(store: SceneStore, m: SceneMessage, warnings: string[]): void {
  for (const w of store.apply(m).warnings) warnings.push(w);
}
