/**
 * The `.srec` recording format, version 1 (docs/recording-format.md): one record after
 * another, each a JSON line (the envelope) optionally followed by the raw bytes of the
 * typed arrays it carries. Typed arrays are written by the runner pipe's own frame codec
 * (src/protocol/frames.ts): the envelope's JSON holds `{"$bin":[offset,byteLength],"dtype":...}`
 * references into the bytes that follow its line, and is read back by the same codec, so a
 * recording has no number lists and no second encoder.
 *
 *   record = envelope JSON, "\n", [blob area of `bin` bytes, 8-byte aligned pieces]
 *
 * A record with bytes starts `{"bin":<N>,`: a reader knows where the next record starts
 * without parsing the line. Writers deflate each segment (a keyframe and the records up to
 * the next) into one `z` record; uncompressed segments read the same.
 */
import { inflateRawSync } from "node:zlib";
import { decodeFrameBody, encodeFrame } from "../protocol/frames.js";
import type { ClientEvent } from "../protocol/events.js";
import type { RunnerToHost } from "../protocol/runner.js";
import type { SceneNode } from "../protocol/scene.js";
import { ProtocolError, isRecord } from "../protocol/validate.js";
import type { Marker, TaskSpan } from "./timeline.js";

export const SREC_FORMAT = "scene-runner-recording";
export const SREC_VERSION = 1;
export const SREC_EXTENSION = ".srec";

/** First record of a file: what was recorded, and the wall-clock time of t = 0. */
export interface HeaderRecord {
  k: "header";
  format: typeof SREC_FORMAT;
  version: number;
  /** Epoch milliseconds of t = 0 (the first message of the session). */
  origin: number;
  program?: string;
  runtime?: string;
}

/** A message from the runner (scene, task, log, session), as the host received it. */
export interface MessageRecord {
  k: "m";
  /** Milliseconds since t = 0, on the host's clock. */
  t: number;
  m: RunnerToHost;
}

/** A viewer event sent to the program (CLICK, SLIDER, ...). */
export interface EventRecord {
  k: "e";
  t: number;
  m: ClientEvent;
}

/** The whole scene at `t` (after every record before it): where a seek starts. */
export interface KeyframeRecord {
  k: "key";
  t: number;
  scene: SceneNode;
}

/**
 * A whole segment (a keyframe and the records up to the next one), deflated: its blob area is
 * the segment's bytes compressed with raw DEFLATE. What writers produce by default.
 */
export interface SegmentBlockRecord {
  k: "z";
  /** t of the segment's keyframe, and of its last record. */
  t: number;
  end: number;
  /** Records inside, and their bytes once inflated. */
  records: number;
  raw: number;
}

/** Last record but one: where the keyframes are, the task spans and the markers. */
export interface IndexRecord {
  k: "index";
  /** t of the last record. */
  end: number;
  records: number;
  /** [t, byte offset of the keyframe record] in time order. */
  keyframes: Array<[number, number]>;
  spans: TaskSpan[];
  markers: Marker[];
}

/** Last record: the byte offset of the index. */
export interface TrailerRecord {
  k: "trailer";
  index: number;
}

export type SrecRecord = HeaderRecord | MessageRecord | EventRecord | KeyframeRecord | SegmentBlockRecord | IndexRecord | TrailerRecord;
export type TimedRecord = MessageRecord | EventRecord | KeyframeRecord;

const NL = Buffer.from("\n");
const pad8 = (n: number) => (n + 7) & ~7;

/** Whether a value holds a typed array anywhere (an early-exit walk: far cheaper than a replacer). */
export function holdsBinary(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== "object") continue;
    if (ArrayBuffer.isView(x)) return true;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) if (typeof x[i] === "object") stack.push(x[i]);
    } else for (const k in x) if (typeof (x as Record<string, unknown>)[k] === "object") stack.push((x as Record<string, unknown>)[k]);
  }
  return false;
}

/** A record's bytes, as pieces to write in order (no concatenation copy). */
export function encodeRecord(record: SrecRecord): Buffer[] {
  // Most records carry no typed arrays: plain JSON, without the frame codec's replacer walk.
  if (!holdsBinary(record)) return [Buffer.from(JSON.stringify(record)), NL];
  const parts = encodeFrame(record);
  const bodyLength = parts[0].readUInt32LE(0);
  const jsonLength = parts[0].readUInt32LE(4);
  const json = parts[1];
  // The frame body is: u32 json length, json, zero padding to 8, blob area (frames.ts).
  const blobBytes = bodyLength - pad8(4 + jsonLength);
  if (!blobBytes) return [json, NL];
  const firstBlob = pad8(4 + jsonLength) - 4 - jsonLength ? 3 : 2;
  return [Buffer.from(`{"bin":${blobBytes},`), json.subarray(1), NL, ...parts.slice(firstBlob)];
}

const CLOSE_LINE = Buffer.from("}\n");

/**
 * A message record made from the frame body the message arrived in: the frame's JSON and its
 * area of typed arrays are exactly what encodeRecord would write for it (the same `$bin`
 * references into the same area), so they are copied as they are instead of encoding the
 * decoded message again. One copy, into a buffer of its own (the frame's memory is the
 * socket's). The JSON has no raw newline: a JSON text never does.
 */
export function messageRecordFromFrame(t: number, body: Buffer): Buffer {
  const { head, json, area } = frameRecordPieces(t, body);
  const pieces = [Buffer.from(head), json, CLOSE_LINE];
  return Buffer.concat(area ? [...pieces, area] : pieces);
}

/**
 * The pieces of messageRecordFromFrame's record, in order: `head` (text), `json` (a view of the
 * frame), CLOSE_LINE, then `area` if any. For writers that copy them straight into a buffer of
 * their own (the recorder's segment chunk) instead of joining them first.
 */
export function frameRecordPieces(t: number, body: Buffer): { head: string; json: Buffer; area?: Buffer } {
  const jsonLength = body.readUInt32LE(0);
  const json = body.subarray(4, 4 + jsonLength);
  const areaStart = pad8(4 + jsonLength);
  if (body.length <= areaStart) return { head: `{"k":"m","t":${t},"m":`, json };
  const area = body.subarray(areaStart);
  return { head: `{"bin":${area.length},"k":"m","t":${t},"m":`, json, area };
}

export const recordBytes = (parts: Buffer[]) => parts.reduce((n, p) => n + p.length, 0);

/** A record that is not whole: the end of a file whose writer was cut off. */
export class TruncatedRecordError extends ProtocolError {}

const BIN_PREFIX = Buffer.from('{"bin":');

/** Decodes the record at `offset` of `buf`; `next` is where the following one starts, `blob` its bytes. */
export function decodeRecordAt(buf: Buffer, offset: number): { record: SrecRecord; next: number; blob: Buffer } {
  const nl = buf.indexOf(10, offset);
  if (nl < 0) throw new TruncatedRecordError(`record at byte ${offset} has no end of line`);
  let bin = 0;
  if (buf.compare(BIN_PREFIX, 0, BIN_PREFIX.length, offset, offset + BIN_PREFIX.length) === 0) {
    for (let i = offset + BIN_PREFIX.length; i < nl; i++) {
      const c = buf[i];
      if (c < 0x30 || c > 0x39) break;
      bin = bin * 10 + (c - 0x30);
    }
  }
  const next = nl + 1 + bin;
  if (next > buf.length) throw new TruncatedRecordError(`record at byte ${offset} needs ${bin} bytes of typed arrays; the data ends first`);
  // Back into a frame body for the frame codec: it checks the nesting depth and revives `$bin` references.
  const lineLength = nl - offset;
  const line = buf.subarray(offset, nl);
  const blob = buf.subarray(nl + 1, next);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(lineLength, 0);
  const pieces = [head, line];
  // Bytes that are typed arrays go along to be revived; a compressed block's stay in `blob`.
  if (bin && line.includes('"$bin"')) pieces.push(Buffer.alloc(pad8(4 + lineLength) - 4 - lineLength), blob);
  const record = decodeFrameBody(Buffer.concat(pieces));
  if (!isRecord(record) || typeof record.k !== "string") throw new ProtocolError(`record at byte ${offset} is not a recording record (no "k")`);
  return { record: record as unknown as SrecRecord, next, blob };
}

/**
 * decodeRecordAt for records this process made itself (a recorder's memory): a line without
 * typed arrays is parsed as it is, without the frame codec's depth scan and copy.
 */
export function decodeTrustedAt(buf: Buffer, offset: number): { record: SrecRecord; next: number; blob: Buffer } {
  if (buf[offset + 2] === 0x62 /* {"bin": */) return decodeRecordAt(buf, offset);
  const nl = buf.indexOf(10, offset);
  if (nl < 0) throw new TruncatedRecordError(`record at byte ${offset} has no end of line`);
  // Typed arrays of no bytes leave references but no bytes (no "bin" prefix): the codec revives them.
  const line = buf.subarray(offset, nl);
  if (line.indexOf(0x24) >= 0 && line.includes('"$bin"')) return decodeRecordAt(buf, offset);
  return { record: JSON.parse(buf.toString("utf8", offset, nl)) as SrecRecord, next: nl + 1, blob: buf.subarray(nl + 1, nl + 1) };
}

/** The largest segment a reader inflates: a corrupt or hostile `raw` must not allocate gigabytes. */
export const MAX_SEGMENT_BYTES = 1 << 30;

/** A deflated segment's record, then its compressed bytes. */
export function encodeSegmentBlock(meta: Omit<SegmentBlockRecord, "k">, deflated: Buffer): Buffer[] {
  const line = JSON.stringify({ k: "z", t: meta.t, end: meta.end, records: meta.records, raw: meta.raw });
  return [Buffer.from(`{"bin":${deflated.length},${line.slice(1)}`), NL, deflated];
}

/** The segment bytes of a region that is one deflated block, or the region itself (an uncompressed segment). */
export function inflateSegment(region: Buffer): Buffer {
  if (!region.subarray(0, 64).includes('"k":"z"')) return region;
  const { record, blob } = decodeRecordAt(region, 0);
  return inflateBlock(record, blob);
}

export function inflateBlock(record: SrecRecord, blob: Buffer): Buffer {
  if (record.k !== "z") throw new ProtocolError(`expected a segment block, found a "${record.k}" record`);
  const raw = record.raw;
  if (!Number.isSafeInteger(raw) || raw < 0 || raw > MAX_SEGMENT_BYTES) throw new ProtocolError(`segment block at ${record.t} ms claims ${raw} bytes`);
  const out = inflateRawSync(blob, { maxOutputLength: Math.max(1, raw) });
  if (out.length !== raw) throw new ProtocolError(`segment block at ${record.t} ms inflates to ${out.length} bytes, not the ${raw} it claims`);
  return out;
}

/** The t of a record without decoding it (undefined for records without one). */
export function peekTime(buf: Buffer, offset: number): number | undefined {
  const head = buf.toString("latin1", offset, Math.min(buf.length, offset + 48));
  const m = /"t":(-?[0-9.eE+-]+)/.exec(head);
  return m ? Number(m[1]) : undefined;
}
