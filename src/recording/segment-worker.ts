/**
 * The recording worker's program (bundled on its own as dist/recording-worker.js): for each
 * finished segment it is shown (slabs of shared memory, see chunk.ts), it joins the slabs, puts
 * the recording's keyframe in front (keyframer.ts: one scene per recording, `stream`), deflates
 * the lot and hands the block back transferred, not copied. Messages come in the order the
 * host finished the segments, so each recording's scene is applied in order.
 */
import { parentPort } from "node:worker_threads";
import { deflateRawSync } from "node:zlib";
import { Keyframer } from "./keyframer.js";
import type { WorkerAnswer, WorkerJob } from "./deflate-worker.js";

const scenes = new Map<number, Keyframer>();
/** Recordings whose scene here went wrong: the host does their segments from then on (they are answered with an error). */
const failed = new Set<number>();

parentPort?.on("message", (job: WorkerJob) => {
  if (job.end) {
    scenes.delete(job.stream);
    failed.delete(job.stream);
    return;
  }
  if (failed.has(job.stream)) {
    parentPort!.postMessage({ id: job.id, error: "this recording is finished on the host now" } satisfies WorkerAnswer);
    return;
  }
  let answer: WorkerAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const raw = Buffer.concat(job.slabs.map(([buffer, length]) => Buffer.from(buffer, 0, length)));
    let pieces: Buffer[] = [raw];
    let keyBytes = 0;
    if (job.keyframes) {
      let k = scenes.get(job.stream);
      if (!k) scenes.set(job.stream, (k = new Keyframer()));
      ({ pieces, keyBytes } = k.segment(raw, job.t0, job.hasKey, job.nextHasKey));
    }
    const whole = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    const z = deflateRawSync(whole, { level: job.level });
    const own = z.byteOffset === 0 && z.byteLength === z.buffer.byteLength ? z.buffer : z.buffer.slice(z.byteOffset, z.byteOffset + z.byteLength);
    transfer.push(own as ArrayBuffer);
    answer = { id: job.id, z: own as ArrayBuffer, raw: whole.length, keyBytes };
  } catch (e) {
    // The recording's scene here may now be behind; the host takes this stream over (its own Keyframer).
    scenes.delete(job.stream);
    if (job.keyframes) failed.add(job.stream);
    answer = { id: job.id, error: String((e as Error)?.message ?? e) };
  }
  parentPort!.postMessage(answer, transfer);
});
