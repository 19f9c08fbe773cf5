/**
 * Finishes recording segments off the host's main thread: the recording worker
 * (segment-worker.ts, bundled as dist/recording-worker.js) builds each segment's keyframe from
 * a scene of its own (keyframer.ts) and deflates it. Why a worker and not zlib's asynchronous
 * API: that compresses in the thread pool, but its stream machinery runs on the calling thread
 * (an output buffer per call, a callback per 16 kB, the chunks joined), measured at ~0.1 ms of
 * the main thread per 1,000-box message; and a keyframe taken on the main thread cost ~1 ms
 * per 8 such messages. The main thread posts one small message per segment (its slabs are
 * shared memory, nothing is copied) and gets the block back transferred.
 *
 * One worker per process, shared by every recording (each is a `stream` with its own scene),
 * not keeping the process alive when idle. Where it cannot start (no worker file beside the
 * bundle, no shared memory) or dies, the same work runs here: keyframes from the host's store
 * (the recorder's choice at its start), or, for a recording the worker had been keyframing,
 * a Keyframer of its own caught up from the last block the worker returned.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { deflateRaw, inflateRawSync } from "node:zlib";
import { Keyframer } from "./keyframer.js";

/** Level 1: text of numbers and repeated keys shrinks ~7× already, at the least CPU. */
export const DEFLATE_LEVEL = 1;

/** What the host posts: a finished segment (`slabs`: shared memory and the bytes used of each), or a recording's end. */
export interface WorkerJob {
  id: number;
  stream: number;
  end?: boolean;
  slabs: Array<[ArrayBufferLike, number]>;
  t0: number;
  /** The segment starts with a keyframe the host took (the recording's first, or one taken while the worker was behind). */
  hasKey: boolean;
  /** So does the next: this segment's records need not be applied to the worker's scene. */
  nextHasKey?: boolean;
  /** The worker keeps the recording's scene and puts a keyframe in front of each segment without one. */
  keyframes: boolean;
  level: number;
}

export interface WorkerAnswer {
  id: number;
  z?: ArrayBuffer;
  /** Bytes of the segment once inflated (its keyframe and records). */
  raw?: number;
  keyBytes?: number;
  error?: string;
}

/** A finished segment: its deflated block, its bytes once inflated, and its keyframe's size if built off the host. */
export interface SegmentResult {
  z: Buffer;
  raw: number;
  keyBytes: number;
}

/** The worker's file: beside the bundle this module is in (dist/). */
function defaultWorkerFile(): string | undefined {
  return typeof __dirname === "string" ? join(__dirname, "recording-worker.js") : undefined;
}

interface Pending {
  file: string;
  job: WorkerJob;
  /** Called once with the worker's answer, or with an error answer when the worker died first. */
  settle: (a: WorkerAnswer) => void;
}

/** The worker of each program file (one in practice: dist/recording-worker.js), and the files whose worker broke. */
const workers = new Map<string, Worker>();
const broken = new Set<string>();
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
let nextStream = 1;
const pending = new Map<number, Pending>();

/** The worker broke: what it had not answered is done here (each recording's turn keeps the order); later segments too. */
function giveUp(file: string): void {
  broken.add(file);
  workers.delete(file);
  const jobs = [...pending.values()].filter((p) => p.file === file);
  for (const p of jobs) pending.delete(p.job.id);
  if (!pending.size) holdOpen(false);
  for (const p of jobs) p.settle({ id: p.job.id, error: "the recording worker stopped" });
}

function startWorker(file: string | undefined): Worker | undefined {
  if (!file) return undefined;
  const running = workers.get(file);
  if (running) return running;
  if (broken.has(file) || typeof SharedArrayBuffer === "undefined" || !existsSync(file)) return undefined;
  try {
    const w = new Worker(file, { name: "scene-runner recording" });
    w.on("message", (m: WorkerAnswer) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (!pending.size) holdOpen(false);
      p.settle(m);
    });
    const lost = () => {
      if (workers.get(file) === w) giveUp(file);
    };
    w.on("error", lost);
    w.on("exit", lost);
    // After the listeners (adding one holds the worker again): an idle worker keeps no process open.
    w.unref();
    workers.set(file, w);
    return w;
  } catch {
    broken.add(file); // no workers here (a sandbox): this thread and zlib's pool it is
    return undefined;
  }
}

/**
 * One recording's way of finishing segments.
 *
 * Every segment takes its turn, in the order submitted: a segment's result (the worker's block,
 * or the work done here) is taken only after every earlier segment's. Segments still go to the
 * worker at once; only what happens once it answers waits. That is what keeps keyframes right
 * when the host takes over: a keyframe built here is the scene after the segments before it, so
 * it may be built only once every one of them has been applied here or returned by the worker
 * (whose last block is where this thread's scene catches up from). Without the turn, a segment
 * finished here after an error answer was keyframed ahead of earlier ones still out at the
 * worker: from the wrong scene, and silently.
 */
export class SegmentDeflater {
  /** Whether keyframes are built off the host (in the worker); else the host takes them. */
  readonly keyframes: boolean;
  private readonly stream = nextStream++;
  private readonly file: string | undefined;
  /** Set once this recording's segments are done here: a Keyframer caught up with the worker's scene. */
  private keyframer: Keyframer | undefined;
  /** A segment was kept here or refused by the worker: no later one goes to the worker (its scene would miss that one). Keyframes off the host only. */
  private hostOwns = false;
  /** The last block the worker returned: where a Keyframer here catches up from. */
  private lastBlock: Buffer | undefined;
  /** The last segment's turn: each one's result is taken after the one before it. */
  private turn: Promise<void> = Promise.resolve();
  /** Segments submitted and not answered yet, and their bytes. */
  private inFlight = 0;
  private inFlightBytes = 0;

  /** `file`: the worker's program (default: beside this bundle); false: no worker. */
  constructor(options: { keyframes: boolean; workerFile?: string | false }) {
    this.file = options.workerFile === false ? undefined : (options.workerFile ?? defaultWorkerFile());
    this.keyframes = options.keyframes && startWorker(this.file) !== undefined;
  }

  /**
   * Deflates a finished segment (`pieces`: its bytes, in shared memory when from chunk.ts),
   * with a keyframe in front when this recording's keyframes are built off the host.
   */
  submit(pieces: Buffer[], t0: number, hasKey: boolean, nextHasKey = false): Promise<SegmentResult> {
    const bytes = pieces.reduce((n, p) => n + p.length, 0);
    this.inFlight++;
    this.inFlightBytes += bytes;
    const job: WorkerJob = {
      id: nextId++, stream: this.stream, t0, hasKey, nextHasKey, keyframes: this.keyframes, level: DEFLATE_LEVEL,
      slabs: pieces.map((p) => [p.buffer, p.length]),
    };
    const shared = pieces.every((b) => b.byteOffset === 0 && typeof SharedArrayBuffer !== "undefined" && b.buffer instanceof SharedArrayBuffer);
    const w = !this.hostOwns && shared ? startWorker(this.file) : undefined;
    let answer: Promise<WorkerAnswer | undefined>;
    if (w) {
      answer = new Promise<WorkerAnswer>((settle) => pending.set(job.id, { file: this.file ?? "", job, settle }));
      holdOpen(true);
      w.postMessage(job);
    } else {
      if (this.keyframes) this.hostOwns = true;
      answer = Promise.resolve(undefined);
    }
    const result = this.turn.then(async () => {
      const a = await answer;
      // A block from the worker counts only while this thread has not taken the scene over.
      if (a?.z && !this.keyframer) {
        const r = { z: Buffer.from(a.z), raw: a.raw!, keyBytes: a.keyBytes ?? 0 };
        if (this.keyframes) this.lastBlock = r.z;
        return r;
      }
      if (this.keyframes) this.hostOwns = true;
      return this.local(pieces, job);
    });
    // The next segment's turn comes once this one is done, however it ended.
    this.turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.inFlight--;
      this.inFlightBytes -= bytes;
    });
  }

  /** Segments handed over and not finished yet, and their bytes. */
  get pending(): { segments: number; bytes: number } {
    return { segments: this.inFlight, bytes: this.inFlightBytes };
  }

  /** The recording is over: the worker lets its scene go (and forgets it had failed it). */
  end(): void {
    const worker = this.file ? workers.get(this.file) : undefined;
    if (worker && this.keyframes) worker.postMessage({ id: 0, stream: this.stream, end: true, slabs: [], t0: 0, hasKey: true, keyframes: true, level: 0 } satisfies WorkerJob);
  }

  /** The segment done on this thread, its turn come: every segment before it is applied to the scene here, or was returned by the worker. */
  private local(pieces: Buffer[], job: WorkerJob): Promise<SegmentResult> {
    if (this.keyframes && !this.keyframer) {
      this.keyframer = new Keyframer();
      // Catch up: the scene as the worker had it after the last segment it returned (the one just before this).
      if (this.lastBlock) this.keyframer.apply(inflateRawSync(this.lastBlock));
      this.lastBlock = undefined;
    }
    const raw = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    let parts = [raw];
    let keyBytes = 0;
    if (this.keyframer) ({ pieces: parts, keyBytes } = this.keyframer.segment(raw, job.t0, job.hasKey, job.nextHasKey));
    const whole = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    return new Promise<SegmentResult>((resolve, reject) =>
      deflateRaw(whole, { level: DEFLATE_LEVEL }, (err, z) => (err ? reject(err) : resolve({ z, raw: whole.length, keyBytes }))),
    );
  }
}
