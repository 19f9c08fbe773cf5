// The runner pipe's flow control (PIPE_ACK): over a real socket pair, the host's channel says
// once per turn of reading how many frames it has taken (malformed ones included, so both ends
// count alike); the runner's channel takes those frames itself and knows what is untaken.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { waitUntil } from "../helpers/wait.mjs";

const { Channel } = await loadTs("src/runner/channel.ts");
const { encodeFrame, FrameReader } = await loadTs("src/protocol/frames.ts");

/** Two connected Unix sockets. */
async function socketPair(t) {
  const dir = mkdtempSync(join(tmpdir(), "sr-acks-"));
  const path = join(dir, "s");
  const server = createServer();
  await new Promise((r) => server.listen(path, r));
  const accepted = new Promise((r) => server.once("connection", r));
  const a = connect(path);
  const b = await accepted;
  t.after(() => {
    a.destroy();
    b.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return [a, b];
}

const fast = { interval: 5 };
const state = (i) => ({ etype: "TASK_STATE", ts: i, task: { id: `t${i}`, state: "done" } });

async function pair(t, { hostAcks = true, validate = (x) => x } = {}) {
  const [runnerEnd, hostEnd] = await socketPair(t);
  const toRunner = [];
  const toHost = [];
  const hostInvalid = [];
  const runnerInvalid = [];
  const runner = new Channel(runnerEnd, (x) => x, { message: (m) => toRunner.push(m), invalid: (e) => runnerInvalid.push(e.message) });
  let acks = 0;
  runner.takeAcks(() => acks++);
  const host = new Channel(hostEnd, validate, { message: (m) => toHost.push(m), invalid: (e) => hostInvalid.push(e.message) });
  if (hostAcks) host.sendAcks();
  return { runner, host, runnerEnd, toRunner, toHost, hostInvalid, runnerInvalid, acks: () => acks };
}

test("the host acks what it has taken, once per turn of reading, and the acks never reach the runner's handler", async (t) => {
  const p = await pair(t);
  for (let i = 0; i < 500; i++) p.runner.send(state(i));
  assert.equal(p.runner.untakenFrames, 500);
  await waitUntil("every frame acked", () => p.runner.untakenFrames === 0, fast);
  assert.equal(p.toHost.length, 500);
  assert.ok(p.acks() >= 1 && p.acks() < 500, `${p.acks()} acks for 500 frames: per turn, not per frame`);
  p.host.send({ etype: "STOP", ts: 1 });
  await waitUntil("the host's own message", () => p.toRunner.length === 1, fast);
  assert.deepEqual(p.toRunner.map((m) => m.etype), ["STOP"]);
});

test("frames the host could not decode or validate count as taken", async (t) => {
  const p = await pair(t, { validate: (x) => { if (x.etype === "BAD") throw new Error("bad message"); return x; } });
  p.runner.send({ etype: "BAD", ts: 0 });
  p.runner.send(state(1));
  // A frame whose JSON does not parse, written past the channel (the runner's count does not include it).
  const text = Buffer.from("{not json");
  const body = Buffer.alloc(4 + 16);
  body.writeUInt32LE(text.length, 0);
  text.copy(body, 4);
  const frame = Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]);
  p.runnerEnd.write(frame);
  p.runner.send(state(2));
  await waitUntil("both bad frames reported, both good ones handled", () => p.hostInvalid.length === 2 && p.toHost.length === 2, fast);
  await waitUntil("every frame acked", () => p.runner.untakenFrames === 0, fast);
  assert.equal(p.runner.untakenFrames, 0, "an ack past what was sent does not go below zero");
});

test("a host that was not asked sends no acks: every frame stays untaken", async (t) => {
  const p = await pair(t, { hostAcks: false });
  for (let i = 0; i < 20; i++) p.runner.send(state(i));
  await waitUntil("all frames read", () => p.toHost.length === 20, fast);
  p.host.send({ etype: "STOP", ts: 1 }); // comes after any ack the host could have sent
  await waitUntil("the host's message", () => p.toRunner.length === 1, fast);
  assert.equal(p.acks(), 0);
  assert.equal(p.runner.untakenFrames, 20);
});

test("a malformed ack is reported and changes nothing; a count never goes back", async (t) => {
  const p = await pair(t, { hostAcks: false });
  for (let i = 0; i < 10; i++) p.runner.send(state(i));
  const raw = (m) => p.host.send(m);
  raw({ etype: "PIPE_ACK", ts: 1, frames: 6 });
  raw({ etype: "PIPE_ACK", ts: 2, frames: -1 });
  raw({ etype: "PIPE_ACK", ts: 3, frames: "7" });
  raw({ etype: "PIPE_ACK", ts: 4, frames: 3 });
  raw({ etype: "STOP", ts: 5 });
  await waitUntil("the message after the acks", () => p.toRunner.length === 1, fast);
  assert.equal(p.runnerInvalid.length, 2, p.runnerInvalid.join("\n"));
  assert.match(p.runnerInvalid.join("\n"), /message\.frames/);
  assert.equal(p.acks(), 2);
  assert.equal(p.runner.untakenFrames, 4);
});

test("a runner's end() does not wait for the host's acks, and a host that acks the runner after it is gone still reads every frame", async (t) => {
  const [runnerEnd, hostEnd] = await socketPair(t);
  const runner = new Channel(runnerEnd, (x) => x, { message: () => {}, invalid: (e) => assert.fail(e) });
  runner.takeAcks(() => {});
  const FRAMES = 1500; // ~100 kB: all of it fits in the socket's buffer
  for (let i = 0; i < FRAMES; i++) runner.send(state(i));
  runner.send({ etype: "SESSION_END", ts: 1, status: "done" });
  await runner.end();
  assert.equal(runner.untakenFrames, FRAMES + 1, "end() resolved with every frame still untaken");
  runnerEnd.destroy(); // the runner has exited
  // The host reads only now, slowly (so it reads in slices, paused between them), and acks each slice: EPIPE.
  const got = [];
  let closed = false;
  const host = new Channel(hostEnd, (x) => x, {
    message: (m) => {
      got.push(m);
      const until = performance.now() + 0.05;
      while (performance.now() < until);
    },
    invalid: (e) => assert.fail(e),
    close: () => (closed = true),
  });
  host.sendAcks();
  await waitUntil("the host's end of the pipe closed", () => closed, fast);
  assert.equal(got.length, FRAMES + 1, "every frame arrived");
  assert.equal(got.at(-1).etype, "SESSION_END");
  assert.deepEqual(got.slice(0, -1).map((m) => m.ts), Array.from({ length: FRAMES }, (_, i) => i), "in order, each once");
  assert.equal(host.send({ etype: "STOP", ts: 2 }), false, "nothing more is written to a peer that is gone");
});

test("a runner that exits with the host's writes unread (ECONNRESET for the host): what the host had read and not handled yet is not lost", async (t) => {
  const [runnerEnd, hostEnd] = await socketPair(t);
  const runner = new Channel(runnerEnd, (x) => x, { message: () => {}, invalid: () => {} });
  runnerEnd.pause(); // it reads nothing more: the host's writes stay in its queue
  // The host's stream paused, as between two reading slices: what arrives is read into its buffer, not handed over.
  hostEnd.pause();
  const got = [];
  let closed = false;
  let reset;
  hostEnd.on("error", (e) => (reset = e.code));
  const host = new Channel(hostEnd, (x) => x, { message: (m) => got.push(m), invalid: (e) => assert.fail(e), close: () => (closed = true) });
  // A few kB, under the stream's read-ahead: it keeps reading, and meets the reset.
  const FRAMES = 100;
  for (let i = 0; i < FRAMES; i++) runner.send(state(i));
  runner.send({ etype: "SESSION_END", ts: 1, status: "done" });
  runner.flush();
  await waitUntil("the frames read into the host's stream", () => hostEnd.readableLength > 0, fast);
  // Written before the runner exits and never read by it (as an ack can be).
  host.send({ etype: "EVENT", ts: 0, pad: "x".repeat(64 * 1024) });
  await waitUntil("the host's write taken by the socket", () => hostEnd.writableLength === 0, fast);
  runnerEnd.destroy(); // exits (process.exit(): no end())
  await waitUntil("the host's end of the pipe closed", () => closed, fast);
  assert.equal(reset, "ECONNRESET", "the host's read met the reset");
  assert.equal(got.length, FRAMES + 1, "every frame arrived");
  assert.equal(got.at(-1).etype, "SESSION_END");
});

test("a handler that throws is reported and its frame counted once", async (t) => {
  const [runnerEnd, hostEnd] = await socketPair(t);
  const invalid = [];
  const acks = [];
  // The runner's end read raw, so the host's counts are seen as sent (a channel would clamp them).
  const reader = new FrameReader((m) => acks.push(m.frames), (e) => assert.fail(e));
  runnerEnd.on("data", (c) => reader.push(c));
  const host = new Channel(hostEnd, (x) => x, { message: (m) => { if (m.ts === 1) throw new Error("handler failed"); }, invalid: (e) => invalid.push(e.message) });
  host.sendAcks();
  for (let i = 0; i < 4; i++) runnerEnd.write(Buffer.concat(encodeFrame(state(i))));
  await waitUntil("the host's ack of all four", () => acks.includes(4) || acks.some((n) => n > 4), fast);
  assert.deepEqual(invalid, ["handler failed"]);
  assert.equal(Math.max(...acks), 4);
});
