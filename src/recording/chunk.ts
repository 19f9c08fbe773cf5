/**
 * The bytes of the segment being written: a list of fixed-size slabs that records are copied
 * into as they come. Why slabs: a segment of a big point cloud reaches tens of megabytes, and a
 * single buffer that doubles copied all of it again on the host's main thread at each doubling
 * (a 32 MB copy plus a 64 MB fresh allocation in one go, seen in host.block.cloud). A slab is
 * never copied or grown: a full one is followed by the next. Why not a fresh buffer per record:
 * a 1,000-box message is ~130 kB, and fresh memory costs a page fault per 4 kB on first write
 * (measured: 0.05 ms per 130 kB fresh, 0.007 ms reused), so slabs come from a pool of recycled
 * ones (SlabPool), whose bytes the recorder counts against its budget.
 *
 * Slabs are shared memory, so a finished segment goes to the recording worker without a copy
 * (deflate-worker.ts); the worker joins them on its own thread.
 */

/**
 * The largest slab: a 1,000-box segment is a few, and the last one's slack is little. A small
 * budget gets smaller slabs (slabBytes), so that slack stays a small part of it.
 */
export const SLAB_BYTES = 256 * 1024;
const MIN_SLAB_BYTES = 4096;

/** The slab size for a recording of `budgetBytes`: a power of two, at most 1/64 of the budget, 4 kB to 256 kB. */
export function slabBytes(budgetBytes: number): number {
  const target = Math.max(MIN_SLAB_BYTES, Math.min(SLAB_BYTES, budgetBytes / 64));
  return 2 ** Math.floor(Math.log2(target));
}

/** Shared memory where there is any (worker hand-over without a copy); a buffer of its own either way, not Node's pool. */
function alloc(n: number): Buffer {
  return typeof SharedArrayBuffer !== "undefined" ? Buffer.from(new SharedArrayBuffer(n)) : Buffer.allocUnsafeSlow(n);
}

/**
 * Slabs of deflated segments, to write later segments into. One per recorder, bounded, and
 * counted: its bytes are memory the recording holds.
 */
export class SlabPool {
  private readonly free: Buffer[] = [];

  /** `slab`: each slab's bytes; `maxBytes`: the most kept for reuse. */
  constructor(readonly slab: number, readonly maxBytes: number) {}

  /** Bytes held for reuse. */
  get bytes(): number {
    return this.free.length * this.slab;
  }

  take(): Buffer {
    return this.free.pop() ?? alloc(this.slab);
  }

  /** Slabs nobody reads any more (a deflated segment's): kept for reuse up to the bound, the rest let go. */
  give(slabs: readonly Buffer[]): void {
    for (const s of slabs) {
      if (s.byteOffset !== 0 || s.buffer.byteLength !== this.slab || this.bytes + this.slab > this.maxBytes) continue;
      this.free.push(Buffer.from(s.buffer));
    }
  }
}

export class SegmentChunk {
  private readonly slabs: Buffer[] = [];
  private readonly slab: number;
  /** Bytes used in the last slab. */
  private fill: number;
  private used = 0;

  constructor(private readonly pool: SlabPool) {
    this.slab = this.fill = pool.slab;
  }

  /** Bytes written. */
  get length(): number {
    return this.used;
  }

  /** Bytes of memory taken (whole slabs). */
  get capacity(): number {
    return this.slabs.length * this.slab;
  }

  /** Copies `bytes` in (across slabs where it does not fit); returns how many. */
  append(bytes: Uint8Array): number {
    let from = 0;
    while (from < bytes.length) {
      if (this.fill === this.slab) this.next();
      const n = Math.min(bytes.length - from, this.slab - this.fill);
      this.slabs[this.slabs.length - 1].set(from === 0 && n === bytes.length ? bytes : bytes.subarray(from, from + n), this.fill);
      this.fill += n;
      from += n;
    }
    this.used += bytes.length;
    return bytes.length;
  }

  /** Writes `text` (as UTF-8) in; returns its bytes. */
  appendText(text: string): number {
    // At most 3 bytes per UTF-16 unit: with that much room in the slab, write there at once.
    if (this.fill + 3 * text.length <= this.slab) {
      const n = this.slabs[this.slabs.length - 1].write(text, this.fill);
      this.fill += n;
      this.used += n;
      return n;
    }
    return this.append(Buffer.from(text));
  }

  /** What was written so far, as views of the slabs (valid until the next append). */
  pieces(): Buffer[] {
    return this.slabs.map((s, i) => (i === this.slabs.length - 1 ? s.subarray(0, this.fill) : s));
  }

  /** What was written so far, in one buffer of its own (a copy: for readers, who may keep it). */
  bytes(): Buffer {
    return Buffer.concat(this.pieces(), this.used);
  }

  /**
   * The finished segment: views of its slabs. `kept`: they are held as they are (not deflated,
   * then recycled), so when most of the memory would be slack they are copied out and a held
   * segment costs what it counts.
   */
  finish(kept = false): Buffer[] {
    const pieces = this.pieces();
    if (!kept || this.used * 2 >= this.capacity) return pieces;
    const out = alloc(Math.max(1, this.used)).subarray(0, this.used);
    let at = 0;
    for (const p of pieces) at += p.copy(out, at);
    this.pool.give(this.slabs);
    return [out];
  }

  private next(): void {
    this.slabs.push(this.pool.take());
    this.fill = 0;
  }
}
