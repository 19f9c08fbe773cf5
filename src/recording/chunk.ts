/**
 * The bytes of the segment being written, in one buffer that records are copied into as
 * they come. Why not a list of pieces joined at the end: a 1,000-box message is ~130 kB,
 * and each record then cost a fresh buffer of its own (allocated, page-faulted, later
 * collected) plus a second copy when the segment was joined; measured, that was a third of
 * what recording cost the host's main thread. Here a record is one copy into memory that
 * is already there, and the finished segment is a view of it, not a copy.
 *
 * The buffer is sized from the previous segment (a steady stream allocates once per
 * segment) and doubles when a segment outgrows it.
 */

/** A first segment starts this big; later ones start as big as the last one was. */
const FIRST_BYTES = 64 * 1024;

/**
 * Shared memory, so the finished segment goes to the deflate worker without a copy
 * (deflate-worker.ts); a buffer of its own, not a slice of Node's pool, so dropping the
 * segment frees it.
 */
function alloc(n: number): Buffer {
  return typeof SharedArrayBuffer !== "undefined" ? Buffer.from(new SharedArrayBuffer(n)) : Buffer.allocUnsafeSlow(n);
}

/**
 * Buffers of segments that were deflated, to write the next segments into. Fresh memory costs
 * a page fault per 4 kB on first write: for 1,000-box messages that was most of what copying a
 * record cost (0.1 ms a message, against 0.015 ms for the copy). A few are kept, none huge.
 */
const POOL_MAX = 3;
const POOL_BUFFER_MAX = 16 * 2 ** 20;
const pool: Buffer[] = [];

/** A buffer of at least `n` bytes. Sizes are powers of two, so a recycled one fits the next request of its size. */
function take(n: number): Buffer {
  const size = 2 ** Math.ceil(Math.log2(n));
  const i = pool.findIndex((b) => b.length >= size && b.length <= 2 * size);
  return i >= 0 ? pool.splice(i, 1)[0] : alloc(size);
}

/**
 * `bytes` (a finished segment's, from finish()) will not be read again by anyone: its memory
 * may take the next segment. Only the recorder calls this, once the deflated copy replaced it.
 */
export function recycleSegment(bytes: Buffer): void {
  const whole = Buffer.from(bytes.buffer);
  if (bytes.byteOffset !== 0 || whole.length > POOL_BUFFER_MAX || pool.length >= POOL_MAX) return;
  pool.push(whole);
}

export class SegmentChunk {
  private buf: Buffer;
  private used = 0;

  constructor(expectedBytes = FIRST_BYTES) {
    this.buf = take(Math.max(FIRST_BYTES, expectedBytes));
  }

  get length(): number {
    return this.used;
  }

  /** Room for `n` more bytes: the buffer doubles (one copy of what is in it) until they fit. */
  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const grown = take(this.used + n);
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  /** Copies `bytes` in; returns how many. */
  append(bytes: Uint8Array): number {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    return bytes.length;
  }

  /** Writes `text` (as UTF-8) in; returns its bytes. */
  appendText(text: string): number {
    // At most 3 bytes per UTF-16 unit: with that much room, write at once (no counting pass).
    if (this.used + 3 * text.length > this.buf.length) this.reserve(Buffer.byteLength(text));
    const n = this.buf.write(text, this.used);
    this.used += n;
    return n;
  }

  /** What was written so far: a view of the buffer (valid until the next append). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /**
   * The finished segment's bytes: a view of the buffer. `kept`: they are held as they are (not
   * deflated, then recycled), so when most of the buffer would be slack they are copied out
   * and a held segment costs what it counts.
   */
  finish(kept = false): Buffer {
    if (!kept || this.used * 2 >= this.buf.length) return this.buf.subarray(0, this.used);
    const out = alloc(this.used);
    this.buf.copy(out, 0, 0, this.used);
    return out;
  }
}
