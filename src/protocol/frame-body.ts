/**
 * The body of a runner-pipe frame (src/protocol/frames.ts), with no Node Buffer: the part of
 * the codec a browser page shares with the host (the viewer server's WebSocket carries one
 * body per message; webview/host-link.ts). frames.ts adds the length prefix, the fast writers
 * and the stream reader, and re-exports all of this.
 *
 *   body = u32 LE jsonLength, json (UTF-8), zero padding to 8, blob area
 */
import { mayCarryBinary } from "./runner.js";
import { isBinaryArray, type BinaryArray } from "./scene.js";
import { DTYPES, dtypeOf, isDtype } from "./dtypes.js";
import { ProtocolError, isRecord } from "./validate.js";

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


export const pad8 = (n: number) => (n + 7) & ~7;


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
  // The runner pipe's own TASK_BATCH (task-batch.ts): columns of strings and numbers only.
  if (etype === "TASK_BATCH") return JSON.stringify(message);
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

/** A message's JSON with its typed arrays lifted out (each replaced by its `$bin` reference). */
export function liftBlobs(message: unknown): { json: string; blobs: BinaryArray[]; blobBytes: number } {
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
  return { json, blobs, blobBytes };
}

/**
 * One frame's body (the frame without its length prefix) as a single byte array, with no Node
 * Buffer: for a channel that frames messages itself (a WebSocket, where a browser page sends
 * it). decodeFrameBody reads it back; its blob area starts 8-aligned in its own buffer.
 */
export function encodeFrameBody(message: unknown): Uint8Array {
  const { json, blobs, blobBytes } = liftBlobs(message);
  const text = new TextEncoder().encode(json);
  const blobStart = pad8(4 + text.length);
  const body = new Uint8Array(blobStart + blobBytes);
  new DataView(body.buffer).setUint32(0, text.length, true);
  body.set(text, 4);
  let at = blobStart;
  for (const b of blobs) {
    body.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
    at += pad8(b.byteLength);
  }
  return body;
}

/**
 * Decodes one frame body (without its 4-byte length prefix). `owned`: the body's memory belongs
 * to this frame alone (FrameReader assembled it), so where its blob area is 8-aligned the typed
 * arrays are views of it, with no copy; otherwise the blob area is copied once.
 */
export function decodeFrameBody(body: Uint8Array, owned = false): unknown {
  if (body.length < 4) throw new ProtocolError("frame shorter than its header");
  // Plain byte reads (no Buffer methods): a browser page decodes its WebSocket messages with this too.
  const jsonLength = (body[0] | (body[1] << 8) | (body[2] << 16) | (body[3] << 24)) >>> 0;
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
  const text = utf8(body, 4, 4 + jsonLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`frame JSON is malformed: ${(e as Error).message}`);
  }
  // Most frames carry no blobs: do not walk every node looking for references (an empty
  // typed array has a reference and no bytes: the text tells).
  const hasRefs = blobArea.byteLength > 0 || text.includes('"$bin"');
  return hasRefs ? reviveBlobs(parsed, blobArea) : parsed;
}

const utf8Decoder = new TextDecoder();
/** Node's Buffer where there is one (not named as a type: this module also runs in a page). */
const NodeBuffer = (globalThis as { Buffer?: { isBuffer(x: unknown): boolean } }).Buffer;
/** UTF-8 text of bytes start..end: Buffer's own decoder in Node (faster for short texts), TextDecoder in a page. */
function utf8(bytes: Uint8Array, start: number, end: number): string {
  if (NodeBuffer?.isBuffer(bytes)) return (bytes as unknown as { toString(enc: "utf8", s: number, e: number): string }).toString("utf8", start, end);
  return utf8Decoder.decode(bytes.subarray(start, end));
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
