/**
 * Binary framing for the runner pipe, shared by the Node and Python runners.
 *
 *   frame  = u32 LE bodyLength, body
 *   body   = u32 LE jsonLength, json (UTF-8), zero padding to 8, blob area
 *
 * Typed arrays inside a message are lifted out of the JSON into the blob area
 * (each blob 8-byte aligned) and replaced by `{"$bin":[offset,byteLength],"dtype":"float32"}`.
 * The reader puts typed-array views over the received bytes back in their place:
 * bulk numbers never pass through JSON number lists, and are not copied on receipt.
 *
 * Why not msgpack: the Python side must run on the standard library alone, and
 * JSON + raw blobs gives the same zero-copy property with a 40-line codec on each side.
 */
import { mayCarryBinary } from "./runner.js";
import { isBinaryArray, type BinaryArray } from "./scene.js";
import { DTYPES, dtypeOf, isDtype } from "./typed-arrays.js";
import { ProtocolError, isRecord } from "./validate.js";

export { DTYPES, dtypeOf, type Dtype } from "./typed-arrays.js";

/** Frames larger than this are refused: a corrupt length must not make us allocate gigabytes. */
export const MAX_FRAME_BYTES = 1 << 30;

/**
 * Messages nested deeper than this (arrays and objects, counted together) are refused
 * before they are parsed: every consumer downstream (validators, the scene store, the
 * viewer, JSON lines) walks messages recursively, and one forged message 200,000 levels
 * deep must be one dropped message, not a stack overflow that takes its batch down.
 * A scene tree costs two levels per node (the node and its children list).
 */
export const MAX_DEPTH = 512;

/**
 * The deepest nesting of a JSON text, counting only brackets outside strings; stops early
 * once past `limit`. A byte scan (the structural characters are ASCII in UTF-8).
 */
export function jsonDepth(bytes: Uint8Array, start = 0, end = bytes.length, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      // a string: skip to its closing quote, past escapes
      for (i++; i < end; i++) {
        const d = bytes[i];
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > limit) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}


const pad8 = (n: number) => (n + 7) & ~7;


/**
 * The JSON text of a message that carries no typed arrays (its descriptor says so), or
 * undefined for one that may: such a message can be written with writeTextFrame.
 */
export function textOnlyJson(message: unknown): string | undefined {
  if (!isRecord(message)) return undefined; // not a message: the generic path decides
  const etype = message.etype;
  if (etype === "TASK_STATE" || etype === "TASK_SPAWN") {
    const fast = taskReportJson(message);
    if (fast !== undefined) return fast;
  }
  return mayCarryBinary(etype) ? undefined : JSON.stringify(message);
}

const str = (x: unknown) => JSON.stringify(x as string);
/** Task names and files repeat (every task of a loop): their quoted form is kept, up to a bound. */
const quoted = new Map<string, string>();
function strCached(x: string): string {
  let q = quoted.get(x);
  if (q === undefined) {
    if (quoted.size >= 4096) quoted.clear();
    quoted.set(x, (q = JSON.stringify(x)));
  }
  return q;
}
const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * The JSON of a task report in its exact usual shape, written from a template: the runner sends
 * two per task (100,000 tasks a second), and JSON.stringify's generic walk was twice this. For
 * the session's key order it is the very text JSON.stringify gives (undefined fields left out);
 * any other shape (an error attached, an extra field) returns undefined and takes the generic path.
 */
function taskReportJson(m: Record<string, unknown>): string | undefined {
  const t = m.task;
  if (!isRecord(t) || !isNum(m.ts) || typeof t.id !== "string") return undefined;
  let n = 0;
  for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) n++;
  if (n !== 3) return undefined;
  n = 0;
  for (const k in t) if (Object.prototype.hasOwnProperty.call(t, k)) n++;
  const head = `{"etype":"${m.etype as string}","ts":${m.ts},"task":{"id":${str(t.id)}`;
  if (m.etype === "TASK_STATE") {
    if (n !== 2 || typeof t.state !== "string") return undefined;
    return `${head},"state":${str(t.state)}}}`;
  }
  if (n !== 6 || typeof t.name !== "string" || (t.parent !== null && typeof t.parent !== "string")) return undefined;
  if ((t.file !== undefined && typeof t.file !== "string") || (t.line !== undefined && !isNum(t.line)) || (t.column !== undefined && !isNum(t.column))) return undefined;
  let out = `${head},"name":${strCached(t.name)},"parent":${t.parent === null ? "null" : str(t.parent)}`;
  if (t.file !== undefined) out += `,"file":${strCached(t.file as string)}`;
  if (t.line !== undefined) out += `,"line":${t.line}`;
  if (t.column !== undefined) out += `,"column":${t.column}`;
  return `${out}}}`;
}

/** Most bytes writeTextFrame can need for a text of this many UTF-16 code units. */
export const textFrameBound = (json: string) => 8 + json.length * 3 + 8;

/**
 * Writes the frame of a blob-less message (its JSON text) into `into` at `at`, which must
 * have textFrameBound(json) bytes free, and returns where the frame ends. The same bytes as
 * encodeFrame, without its three Buffers per message: the runner reports 100,000 tasks a
 * second, and small allocations were a third of the pipe's cost.
 */
export function writeTextFrame(into: Buffer, at: number, json: string): number {
  const jsonLength = into.write(json, at + 8, "utf8");
  const bodyLength = pad8(4 + jsonLength);
  into.writeUInt32LE(bodyLength, at);
  into.writeUInt32LE(jsonLength, at + 4);
  const end = at + 4 + bodyLength;
  for (let i = at + 8 + jsonLength; i < end; i++) into[i] = 0; // 0-7 bytes: a loop, not fill()'s checks
  return end;
}

/** Encodes one message as a frame (a list of buffers to write in order, no concatenation copy). */
export function encodeFrame(message: unknown): Buffer[] {
  const blobs: BinaryArray[] = [];
  let blobBytes = 0;
  // Messages whose descriptor says they never carry typed arrays skip the (slower) replacer walk.
  const json = textOnlyJson(message) ?? JSON.stringify(message, (_k, v) => {
    if (isBinaryArray(v)) {
      const ref = { $bin: [blobBytes, v.byteLength], dtype: dtypeOf(v) };
      blobs.push(v);
      blobBytes += pad8(v.byteLength);
      return ref;
    }
    return v;
  });
  const jsonBuf = Buffer.from(json, "utf8");
  const head = Buffer.alloc(8);
  const jsonPadded = pad8(4 + jsonBuf.length) - 4;
  const bodyLength = 4 + jsonPadded + blobBytes;
  head.writeUInt32LE(bodyLength, 0);
  head.writeUInt32LE(jsonBuf.length, 4);
  const parts: Buffer[] = [head, jsonBuf];
  const jsonPad = jsonPadded - jsonBuf.length;
  if (jsonPad) parts.push(Buffer.alloc(jsonPad));
  for (const b of blobs) {
    parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    const p = pad8(b.byteLength) - b.byteLength;
    if (p) parts.push(Buffer.alloc(p));
  }
  return parts;
}

/**
 * Decodes one frame body (without its 4-byte length prefix). `owned`: the body's memory belongs
 * to this frame alone (FrameReader assembled it), so where its blob area is 8-aligned the typed
 * arrays are views of it, with no copy; otherwise the blob area is copied once.
 */
export function decodeFrameBody(body: Buffer, owned = false): unknown {
  if (body.length < 4) throw new ProtocolError("frame shorter than its header");
  const jsonLength = body.readUInt32LE(0);
  if (4 + jsonLength > body.length) throw new ProtocolError("frame JSON length exceeds the frame");
  // Only a text longer than the limit can nest deeper than it.
  if (jsonLength > MAX_DEPTH * 2 && jsonDepth(body, 4, 4 + jsonLength, MAX_DEPTH) > MAX_DEPTH) {
    throw new ProtocolError(`frame JSON is nested deeper than ${MAX_DEPTH} levels`);
  }
  const blobStart = pad8(4 + jsonLength);
  // Typed views need 8-aligned offsets: a view of an owned, aligned body, else one copy.
  let blobArea: BlobArea;
  if (body.length <= blobStart) blobArea = { buffer: new ArrayBuffer(0), base: 0, byteLength: 0 };
  else if (owned && (body.byteOffset + blobStart) % 8 === 0) blobArea = { buffer: body.buffer, base: body.byteOffset + blobStart, byteLength: body.length - blobStart };
  else blobArea = { buffer: new Uint8Array(body.subarray(blobStart)).buffer, base: 0, byteLength: body.length - blobStart };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8", 4, 4 + jsonLength));
  } catch (e) {
    throw new ProtocolError(`frame JSON is malformed: ${(e as Error).message}`);
  }
  // Most frames carry no blobs: do not walk every node looking for references (an empty
  // typed array has a reference and no bytes: the text tells).
  const hasRefs = blobArea.byteLength > 0 || body.subarray(4, 4 + jsonLength).includes('"$bin"');
  return hasRefs ? reviveBlobs(parsed, blobArea) : parsed;
}

/** Where a frame's blobs are: `byteLength` bytes of `buffer` from `base`. */
interface BlobArea {
  buffer: ArrayBufferLike;
  base: number;
  byteLength: number;
}

function reviveBlobs(x: unknown, area: BlobArea): unknown {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) x[i] = reviveBlobs(x[i], area);
    return x;
  }
  if (!isRecord(x)) return x;
  if (Array.isArray(x.$bin) && typeof x.dtype === "string") {
    // Own names only: "toString" or "__proto__" must not find Object.prototype's members.
    const ctor = isDtype(x.dtype) ? DTYPES[x.dtype] : undefined;
    const ref = x.$bin as unknown[];
    const [offset, length] = ref as [number, number];
    const whole = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
    if (
      !ctor ||
      ref.length !== 2 ||
      !whole(offset) ||
      !whole(length) ||
      offset + length > area.byteLength ||
      offset % ctor.BYTES_PER_ELEMENT ||
      length % ctor.BYTES_PER_ELEMENT
    ) {
      throw new ProtocolError(`bad binary reference ${JSON.stringify(x).slice(0, 200)}`);
    }
    return new ctor(area.buffer as ArrayBuffer, area.base + offset, length / ctor.BYTES_PER_ELEMENT);
  }
  for (const k of Object.keys(x)) x[k] = reviveBlobs(x[k], area);
  return x;
}

/**
 * Incremental reader: feed it chunks as they arrive, get whole messages out.
 * A malformed frame is reported through onError and skipped; the stream goes on.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(
    /** `body`: the frame's bytes without the length prefix (what a recording can keep as it is). */
    private readonly onMessage: (m: unknown, body: Buffer) => void,
    private readonly onError: (e: Error) => void,
  ) {}

  /** Bytes received that do not make a whole frame yet: a message still arriving. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const bodyLength = head.readUInt32LE(0);
      if (bodyLength > MAX_FRAME_BYTES) {
        this.onError(new ProtocolError(`frame of ${bodyLength} bytes is larger than the ${MAX_FRAME_BYTES} limit; stream dropped`));
        this.chunks = [];
        this.buffered = 0;
        return;
      }
      if (this.buffered < 4 + bodyLength) return;
      const [all, owned] = this.take(4 + bodyLength);
      try {
        const body = all.subarray(4);
        this.onMessage(decodeFrameBody(body, owned), body);
      } catch (e) {
        this.onError(e as Error);
      }
    }
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    // Only as many chunks as the n bytes need (a 4-byte head split over tiny chunks).
    const few: Buffer[] = [];
    let bytes = 0;
    for (const c of this.chunks) {
      few.push(c);
      if ((bytes += c.length) >= n) break;
    }
    return Buffer.concat(few, bytes).subarray(0, n);
  }

  /**
   * The next n bytes and whether they are a buffer of their own. A frame inside the first
   * chunk is a view of it; one spread over chunks (a point cloud arrives in hundreds of 64 KB
   * reads) is copied once into its own buffer, placed so that its blob area is 8-aligned and
   * decodeFrameBody need not copy it again.
   */
  private take(n: number): [Buffer, boolean] {
    const first = this.chunks[0];
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length > n) this.chunks[0] = first.subarray(n);
      else this.chunks.shift();
      return [first.subarray(0, n), false];
    }
    // The frame's length prefix at offset 4, so its body starts 8-aligned in its own ArrayBuffer.
    const own = Buffer.allocUnsafeSlow(4 + n);
    let at = 4;
    let i = 0;
    while (at < 4 + n) {
      const c = this.chunks[i];
      const need = 4 + n - at;
      if (c.length <= need) {
        c.copy(own, at);
        at += c.length;
        i++;
      } else {
        c.copy(own, at, 0, need);
        at += need;
        this.chunks[i] = c.subarray(need);
      }
    }
    this.chunks.splice(0, i);
    return [own.subarray(4), true];
  }
}
