// The recorder's segment bytes (src/recording/chunk.ts): records copied into fixed-size slabs
// as they come (never a buffer that doubles and copies itself), slabs recycled through a
// bounded pool whose bytes are counted, and the finished bytes exactly what was appended.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { SegmentChunk, SlabPool, slabBytes, SLAB_BYTES } = await loadTs("src/recording/chunk.ts");

const SLAB = 4096;

test("appended bytes and text come back in order, across slab boundaries", () => {
  const chunk = new SegmentChunk(new SlabPool(SLAB, 0));
  const expected = [];
  let n = 0;
  for (let i = 0; i < 300; i++) {
    // Sizes that cross slabs at odd places, some bigger than a slab.
    const piece = Buffer.alloc(1000 + (i % 7) * 1333, i % 251);
    n += chunk.append(piece);
    n += chunk.appendText(`{"t":${i},"é":1}\n`);
    expected.push(piece, Buffer.from(`{"t":${i},"é":1}\n`));
  }
  const want = Buffer.concat(expected);
  assert.equal(chunk.length, want.length);
  assert.equal(n, want.length, "each append says how many bytes it wrote (UTF-8, not characters)");
  assert.ok(chunk.bytes().equals(want));
  const pieces = chunk.finish();
  assert.ok(Buffer.concat(pieces).equals(want));
  assert.ok(pieces.every((p) => p.buffer.byteLength === SLAB), "only whole slabs: nothing grown or copied into a bigger buffer");
  assert.equal(chunk.capacity, pieces.length * SLAB);
  assert.ok(chunk.capacity - chunk.length < SLAB, "slack is less than one slab");
});

test("a copy taken before more appends keeps its bytes", () => {
  const chunk = new SegmentChunk(new SlabPool(SLAB, 0));
  chunk.append(Buffer.from("first"));
  const early = chunk.bytes();
  chunk.append(Buffer.alloc(3 * SLAB, 7));
  chunk.append(Buffer.from("more"));
  assert.equal(early.toString(), "first");
  assert.equal(chunk.bytes().subarray(0, 5).toString(), "first");
  assert.equal(chunk.bytes().subarray(-4).toString(), "more");
});

test("slabs given back are reused, up to the pool's bound, and the pool says what it holds", () => {
  const pool = new SlabPool(SLAB, 2 * SLAB);
  const a = new SegmentChunk(pool);
  a.append(Buffer.alloc(3 * SLAB, 1));
  const slabs = a.finish();
  assert.equal(slabs.length, 3);
  pool.give(slabs);
  assert.equal(pool.bytes, 2 * SLAB, "kept up to its bound; the third slab is let go");
  const b = new SegmentChunk(pool);
  b.append(Buffer.alloc(SLAB + 1, 2));
  assert.equal(pool.bytes, 0, "the next segment takes the recycled slabs first");
  const reused = b.finish().map((p) => p.buffer);
  assert.ok(reused.every((buf) => slabs.some((s) => s.buffer === buf)), "the same memory, no fresh allocation");
  assert.ok(Buffer.concat(b.finish()).equals(Buffer.alloc(SLAB + 1, 2)));
});

test("a finished segment kept as it is holds no more memory than twice its bytes", () => {
  const pool = new SlabPool(SLAB, 8 * SLAB);
  const small = new SegmentChunk(pool);
  small.append(Buffer.alloc(1000, 1));
  const [out] = small.finish(true);
  assert.equal(out.length, 1000);
  assert.equal(out.buffer.byteLength, 1000, "mostly empty: copied out, the slab goes back to the pool");
  assert.equal(pool.bytes, SLAB);
  const full = new SegmentChunk(new SlabPool(SLAB, 0));
  full.append(Buffer.alloc(2 * SLAB - 100, 2));
  const views = full.finish(true);
  assert.equal(views.reduce((n, v) => n + v.length, 0), 2 * SLAB - 100);
  assert.ok(views.every((v) => v.every((b) => b === 2)), "mostly used: views of the slabs, no copy");
});

test("slab size follows the budget: at most 1/64 of it, a power of two, 4 kB to 256 kB", () => {
  assert.equal(slabBytes(256 * 2 ** 20), SLAB_BYTES);
  assert.equal(slabBytes(40_000), 4096);
  assert.equal(slabBytes(2 ** 20), 16384);
});
