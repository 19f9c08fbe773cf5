/**
 * Writes a recording to a `.srec` file as it is made (the sink of a Recorder), and saves a
 * bounded in-memory recording after the fact. A recording arrives a segment at a time (a
 * keyframe and the records after it, at most a few a second), each written at once with one
 * writev: a session's thread does not stop for the disk per message, and a killed writer
 * leaves every finished segment on disk.
 * The index and trailer go at the end; a file whose writer was cut off is still readable
 * (the reader scans it instead).
 */
import { closeSync, openSync, writevSync } from "node:fs";
import { encodeRecord, type IndexRecord } from "./format.js";
import { type Recorder, type RecordingSink, type SegmentInfo } from "./recorder.js";
import type { Marker, TaskSpan } from "./timeline.js";

const FLUSH_BYTES = 2 ** 20;
/** writev takes at most IOV_MAX (1024 on Linux) buffers per call. */
const MAX_IOV = 1024;

export class RecordingFileWriter implements RecordingSink {
  private fd: number | undefined;
  private offset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly keyframes: Array<[number, number]> = [];
  private records = 0;
  private end = 0;

  /** Opens (creates or truncates) `path` now: an unwritable path fails before anything runs. */
  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  get bytesWritten(): number {
    return this.offset + this.pendingBytes;
  }

  header(parts: Buffer[]): void {
    this.put(parts);
    this.flush();
  }

  segment(parts: Buffer[], info: SegmentInfo): void {
    if (this.fd === undefined) return;
    this.keyframes.push([info.t0, this.bytesWritten]);
    this.records += info.records;
    this.end = Math.max(this.end, info.end);
    this.put(parts);
    // On disk at once: segments come a few a second at most, and a killed writer keeps them.
    this.flush();
  }

  private put(parts: Buffer[]): void {
    if (this.fd === undefined) return;
    for (const p of parts) {
      this.pending.push(p);
      this.pendingBytes += p.length;
    }
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.fd === undefined) return;
    for (let i = 0; i < this.pending.length; i += MAX_IOV) {
      const batch = this.pending.slice(i, i + MAX_IOV);
      let want = batch.reduce((n, b) => n + b.length, 0);
      // writev may write less than asked (a full disk writes nothing and throws).
      while (want > 0) {
        const wrote = writevSync(this.fd, batch);
        want -= wrote;
        if (want > 0) dropWritten(batch, wrote);
      }
    }
    this.offset += this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(summary: { spans: TaskSpan[]; markers: Marker[] }): void {
    if (this.fd === undefined) return;
    const index: IndexRecord = { k: "index", end: this.end, records: this.records, keyframes: this.keyframes, spans: summary.spans, markers: summary.markers };
    const at = this.bytesWritten;
    this.put(encodeRecord(index));
    this.put(encodeRecord({ k: "trailer", index: at }));
    this.flush();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Removes the first `n` bytes from a list of buffers, in place. */
function dropWritten(batch: Buffer[], n: number): void {
  while (n > 0 && batch.length) {
    if (batch[0].length <= n) n -= batch.shift()!.length;
    else {
      batch[0] = batch[0].subarray(n);
      n = 0;
    }
  }
}

/** Writes what a recorder holds now (a running or finished session) to `path`. */
export function saveRecording(recorder: Recorder, path: string): { bytes: number; records: number } {
  const header = recorder.header;
  if (!header) throw new Error("nothing has been recorded yet");
  const w = new RecordingFileWriter(path);
  let records = 0;
  try {
    w.header(encodeRecord(header));
    for (const { parts, info } of recorder.fileBlocks()) {
      w.segment(parts, info);
      records += info.records;
    }
  } finally {
    w.close({ spans: recorder.timeline.spans(), markers: recorder.timeline.markers() });
  }
  return { bytes: w.bytesWritten, records };
}
