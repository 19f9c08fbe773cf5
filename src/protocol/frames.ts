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
import { decodeFrameBody, liftBlobs, pad8 } from "./frame-body.js";
import { ProtocolError } from "./validate.js";

export { DTYPES, dtypeOf, type Dtype } from "./dtypes.js";
// The body codec, Buffer-free (a browser page uses it too): frame-body.ts.
export { MAX_DEPTH, jsonDepth, textOnlyJson, encodeFrameBody, decodeFrameBody } from "./frame-body.js";

/** Frames larger than this are refused: a corrupt length must not make us allocate gigabytes. */
export const MAX_FRAME_BYTES = 1 << 30;

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
  const { json, blobs, blobBytes } = liftBlobs(message);
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

  /**
   * Takes `chunk` and handles the whole frames buffered, in order, until `stop` (asked before
   * each frame) says enough for now; true when whole frames are left for a later drain().
   */
  push(chunk: Buffer, stop?: () => boolean): boolean {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    return this.drain(stop);
  }

  /** Handles the whole frames buffered, until `stop` says enough; true when some are left. */
  drain(stop?: () => boolean): boolean {
    while (this.buffered >= 4) {
      if (stop?.()) return this.hasWholeFrame();
      const head = this.peek(4);
      const bodyLength = head.readUInt32LE(0);
      if (bodyLength > MAX_FRAME_BYTES) {
        this.onError(new ProtocolError(`frame of ${bodyLength} bytes is larger than the ${MAX_FRAME_BYTES} limit; stream dropped`));
        this.chunks = [];
        this.buffered = 0;
        return false;
      }
      if (this.buffered < 4 + bodyLength) return false;
      const [all, owned] = this.take(4 + bodyLength);
      try {
        const body = all.subarray(4);
        this.onMessage(decodeFrameBody(body, owned), body);
      } catch (e) {
        this.onError(e as Error);
      }
    }
    return false;
  }

  /** Whether a whole frame is buffered (one that is still arriving does not count). */
  private hasWholeFrame(): boolean {
    return this.buffered >= 4 && this.buffered >= 4 + this.peek(4).readUInt32LE(0);
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
