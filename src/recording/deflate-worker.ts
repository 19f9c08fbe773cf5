/**
 * Deflates finished recording segments on a worker thread. Why not zlib's own asynchronous
 * API: it does compress in the thread pool, but its stream machinery runs on the calling
 * thread — an output buffer allocated per call, a callback per 16 kB of output, the chunks
 * joined at the end — and measured on the 1,000-box bench that was ~0.1 ms of the host's main
 * thread per message, a third of what recording cost it. Here the main thread posts one small
 * message per segment and gets one back: the segment's bytes are in shared memory (see
 * chunk.ts), so nothing is copied to send them, and the result comes back transferred.
 *
 * One worker per process, shared by every recording, not keeping the process alive when idle.
 * If it cannot start or dies, segments are deflated with zlib's asynchronous API as before.
 */
import { deflateRaw } from "node:zlib";
import { Worker } from "node:worker_threads";

/** Level 1: text of numbers and repeated keys shrinks ~7× already, at the least CPU. */
export const DEFLATE_LEVEL = 1;

// The worker's whole program (plain CommonJS, so no second bundle has to ship): deflate the
// bytes it is shown, hand back an ArrayBuffer of its own (transferred, not copied).
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { deflateRawSync } = require("node:zlib");
parentPort.on("message", ({ id, buffer, offset, length, level }) => {
  try {
    const z = deflateRawSync(new Uint8Array(buffer, offset, length), { level });
    const own = z.byteOffset === 0 && z.byteLength === z.buffer.byteLength ? z.buffer : z.buffer.slice(z.byteOffset, z.byteOffset + z.byteLength);
    parentPort.postMessage({ id, z: own }, [own]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Job {
  raw: Buffer;
  resolve: (z: Buffer | undefined) => void;
}

let worker: Worker | undefined;
let broken = false;
/**
 * Holds the process open while segments are out (a CLI run awaiting its recording must not
 * exit under it). A timer, not worker.ref()/unref(): toggling those per segment cost ~1 ms of
 * the main thread each time (measured), more than the rest of recording a segment.
 */
let keepAlive: ReturnType<typeof setInterval> | undefined;
const holdOpen = (on: boolean) => {
  if (on && !keepAlive) keepAlive = setInterval(() => {}, 2 ** 30);
  else if (!on && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = undefined;
  }
};
let nextId = 1;
const pending = new Map<number, Job>();

/** zlib's own asynchronous deflate: the way without the worker. */
function deflateInPool(raw: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => deflateRaw(raw, { level: DEFLATE_LEVEL }, (err, z) => resolve(err ? undefined : z)));
}

/** The worker broke: what it had not answered is deflated the other way; later segments too. */
function giveUp(): void {
  broken = true;
  worker = undefined;
  const jobs = [...pending.values()];
  pending.clear();
  holdOpen(false);
  for (const j of jobs) void deflateInPool(j.raw).then(j.resolve);
}

function startWorker(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, name: "scene-runner recording deflate" });
    w.on("message", (m: { id: number; z?: ArrayBuffer; error?: string }) => {
      const job = pending.get(m.id);
      if (!job) return;
      pending.delete(m.id);
      if (!pending.size) holdOpen(false);
      if (m.z) job.resolve(Buffer.from(m.z));
      else void deflateInPool(job.raw).then(job.resolve);
    });
    w.on("error", giveUp);
    w.on("exit", () => {
      if (worker === w) giveUp();
    });
    // After the listeners (adding one holds the worker again): an idle worker keeps no process open.
    w.unref();
    worker = w;
  } catch {
    broken = true; // no workers here (a sandbox): zlib's pool it is
  }
  return worker;
}

/**
 * The raw DEFLATE of `raw`, undefined if it could not be made (the segment then stays as it is).
 * Off the main thread when `raw` lies in shared memory; otherwise in zlib's pool.
 */
export function deflateSegment(raw: Buffer): Promise<Buffer | undefined> {
  const shared = typeof SharedArrayBuffer !== "undefined" && raw.buffer instanceof SharedArrayBuffer;
  const w = shared ? startWorker() : undefined;
  if (!w) return deflateInPool(raw);
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, { raw, resolve });
    holdOpen(true);
    w.postMessage({ id, buffer: raw.buffer, offset: raw.byteOffset, length: raw.length, level: DEFLATE_LEVEL });
  });
}
