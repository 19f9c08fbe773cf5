// The runner pipe's reader gives the host's thread back between frames, not only between the
// 64 KB chunks a socket hands over: one chunk of TASK_BATCH columns is over a thousand task
// reports. Frames a slice leaves are handled first on the next turns, in order, and none is
// lost when the stream closes meanwhile.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Duplex } from "node:stream";
import { loadTs } from "../helpers/load-ts.mjs";

const { Channel } = await loadTs("src/runner/channel.ts");
const { encodeFrame, FrameReader } = await loadTs("src/protocol/frames.ts");

const log = (i) => ({ etype: "LOG", ts: i, stream: "stdout", text: `line ${i}\n` });
const frame = (m) => Buffer.concat(encodeFrame(m));
const frames = (n) => Buffer.concat(Array.from({ length: n }, (_, i) => frame(log(i))));
const turn = () => new Promise((r) => setImmediate(r));

test("FrameReader stops between frames when asked, and drain() goes on where it stopped", () => {
  const got = [];
  const reader = new FrameReader((m) => got.push(m.ts), (e) => assert.fail(e));
  let budget = 2;
  assert.equal(reader.push(frames(5), () => budget-- <= 0), true, "whole frames are left");
  assert.deepEqual(got, [0, 1]);
  assert.equal(reader.drain(() => false), false);
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  // Half a frame is not a frame left over: nothing to drain until the rest arrives.
  const one = frame(log(5));
  assert.equal(reader.push(one.subarray(0, 7), () => true), false);
  assert.equal(reader.push(one.subarray(7)), false);
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
});

function slowHost(onMessage) {
  const stream = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
  const got = [];
  const ch = new Channel(stream, (x) => x, {
    message(m) {
      got.push(m.ts);
      const end = performance.now() + 1; // a millisecond of work per message
      while (performance.now() < end);
      onMessage?.(m);
    },
    invalid: (e) => assert.fail(e),
  });
  return { stream, got, ch };
}

test("one chunk of many frames is handled over several turns of the loop, in order", async () => {
  const { stream, got } = slowHost();
  stream.push(frames(200));
  await turn();
  assert.ok(got.length > 0 && got.length < 200, `the first turn handled ${got.length} of 200`);
  while (got.length < 200) await turn();
  assert.deepEqual(got, Array.from({ length: 200 }, (_, i) => i));
});

test("frames a slice left are still handled when the stream closes before the next turn", async () => {
  const { stream, got } = slowHost();
  let closed = false;
  stream.on("close", () => (closed = true));
  stream.push(frames(100));
  stream.destroy();
  while (!closed) await turn();
  assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => i));
});
