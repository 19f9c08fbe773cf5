// The recorder's segment buffer (src/recording/chunk.ts): records copied in as they come,
// growing when a segment outgrows the size guessed for it, and the finished bytes exactly
// what was appended.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { SegmentChunk } = await loadTs("src/recording/chunk.ts");

test("appended bytes and text come back in order, across growth", () => {
  const chunk = new SegmentChunk(10); // below the floor: starts at 64 kB
  const expected = [];
  let n = 0;
  for (let i = 0; i < 300; i++) {
    // Sizes that cross the first buffer and its doublings at odd places.
    const piece = Buffer.alloc(1000 + (i % 7) * 333, i % 251);
    n += chunk.append(piece);
    n += chunk.appendText(`{"t":${i},"é":1}\n`);
    expected.push(piece, Buffer.from(`{"t":${i},"é":1}\n`));
  }
  const want = Buffer.concat(expected);
  assert.equal(chunk.length, want.length);
  assert.equal(n, want.length, "each append says how many bytes it wrote (UTF-8, not characters)");
  assert.ok(chunk.bytes().equals(want));
  assert.ok(chunk.finish().equals(want));
});

test("a view taken before more appends keeps its bytes, whether or not the buffer grew", () => {
  const chunk = new SegmentChunk(64 * 1024);
  chunk.append(Buffer.from("first"));
  const early = chunk.bytes();
  chunk.append(Buffer.alloc(200 * 1024, 7)); // grows: a new buffer
  chunk.append(Buffer.from("more"));
  assert.equal(early.toString(), "first");
  assert.equal(chunk.bytes().subarray(0, 5).toString(), "first");
  assert.equal(chunk.bytes().subarray(-4).toString(), "more");
});

test("a finished segment kept as it is holds no more memory than twice its bytes", () => {
  const small = new SegmentChunk(1024 * 1024);
  small.append(Buffer.alloc(1000, 1));
  const out = small.finish(true);
  assert.equal(out.length, 1000);
  assert.equal(out.buffer.byteLength, 1000, "mostly empty: copied out, the big buffer is let go");
  const full = new SegmentChunk(64 * 1024);
  full.append(Buffer.alloc(60 * 1024, 2));
  const view = full.finish(true);
  assert.equal(view.length, 60 * 1024);
  assert.ok(view.buffer.byteLength <= 2 * view.length, "mostly used: a view, no copy");
  assert.ok(view.every((b) => b === 2));
});
