/**
 * The scene of one session on its way from the runner to a viewer: the one pipeline of the
 * VS Code panel, the CLI's snapshot and the benchmarks.
 *
 * The store is the authority: every scene message lands there first, whether
 * or not a viewer is listening. Only while a viewer is ready do messages also
 * go through the coalescer, which a timer drains once per frame into one
 * `scene` batch. At most `maxInFlight` batches may be posted but not yet
 * acknowledged with `applied`; past that, messages keep coalescing (memory
 * stays bounded by the coalescer) until the viewer catches up. A viewer that
 * is hidden or still loading gets nothing queued: when it reports `ready` it
 * receives one snapshot of the store instead.
 *
 * Pure (no vscode): the clock and the sink are injected, so tests drive it.
 */
import type { GrabRenderRequest } from "../protocol/runner.js";
import type { SceneMessage, SceneNode } from "../protocol/scene.js";
import type { ToViewerMessage, ViewerSessionInfo } from "../protocol/viewer.js";
import { SceneCoalescer } from "./coalescer.js";
import { SceneStore } from "./scene-store.js";

/** Typed-array bytes one scene message may carry to a viewer (below the 256 MB IPC message cap). */
export const MAX_DRAWABLE_BYTES = 200 * 2 ** 20;

/** Bytes of the typed arrays in a message or node tree. */
export function binaryBytes(root: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const x = stack.pop();
    if (ArrayBuffer.isView(x)) bytes += x.byteLength;
    else if (Array.isArray(x)) for (const v of x) stack.push(v);
    else if (x !== null && typeof x === "object") for (const v of Object.values(x)) stack.push(v);
  }
  return bytes;
}

export interface PipelineTimers {
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const realTimers: PipelineTimers = {
  schedule(fn, ms) {
    const h = setTimeout(fn, ms);
    return () => clearTimeout(h);
  },
};

export interface PipelineOptions {
  /** How long messages gather before a batch is posted (one frame at 60 Hz). */
  frameMs?: number;
  /** Batches posted and not yet acknowledged before the pipeline waits. */
  maxInFlight?: number;
  /** Typed-array bytes one scene message may carry (default MAX_DRAWABLE_BYTES). */
  maxMessageBytes?: number;
  /** Node updates per posted batch, at most (a message kept whole counts its nodes; one is always sent). */
  maxBatch?: number;
  /** Coalescer queue length that triggers replacing the queue by one SET. */
  maxPending?: number;
  /**
   * Fold updates of one node between frames (default). Off, every message is posted as
   * produced (the benchmarks' baseline); flow control still applies.
   */
  coalesce?: boolean;
  timers?: PipelineTimers;
}

export type ViewerSink = (message: ToViewerMessage) => void;

export class ScenePipeline {
  readonly store = new SceneStore();
  private readonly coalescer: SceneCoalescer;
  private readonly frameMs: number;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly maxMessageBytes: number;
  private readonly timers: PipelineTimers;
  private sink: ViewerSink | null = null;
  private seq = 0;
  private acked = 0;
  private cancelTimer: (() => void) | null = null;
  /** Batches posted since the viewer became ready: for tests and the log. */
  batchesSent = 0;
  /** The viewer shows a moment of the past (the timeline): live updates wait, merged, until it returns. */
  private past = false;
  /** Scene messages received so far: tells a saver whether the store changed since it last looked. */
  version = 0;

  constructor(
    private session: ViewerSessionInfo,
    options: PipelineOptions = {},
  ) {
    this.frameMs = options.frameMs ?? 16;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 5000;
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_DRAWABLE_BYTES;
    this.timers = options.timers ?? realTimers;
    const coalesce = options.coalesce ?? true;
    this.coalescer = new SceneCoalescer(() => this.store.snapshot(), coalesce ? options.maxPending : Number.MAX_SAFE_INTEGER, coalesce);
  }


  get inFlight(): number {
    return this.seq - this.acked;
  }

  /** Messages waiting in the coalescer (0 while no viewer is ready). */
  get pending(): number {
    return this.coalescer.pending;
  }


  /** A scene message from the runner. Returns the store's warnings (bad keys and the like). */
  push(message: SceneMessage): string[] {
    const bytes = binaryBytes(message);
    if (bytes > this.maxMessageBytes) {
      // Posting it would exceed what one message to a page can carry (the webview channel, the
      // headless bridge): the page would die with the scene. Left out, and said so.
      const keys = message.etype === "SET" ? "the scene" : message.etype === "REMOVE" ? "" : message.data.nodes.map((n) => `"${n.key}"`).join(", ");
      return [`${message.etype} of ${keys} left out: its data (${Math.round(bytes / 2 ** 20)} MB) is more than a viewer can take (${Math.round(this.maxMessageBytes / 2 ** 20)} MB)`];
    }
    const { warnings } = this.store.apply(message);
    this.version++;
    if (this.sink && !this.past) {
      this.coalescer.push(message);
      this.scheduleFlush();
    }
    return warnings;
  }

  /**
   * A gizmo drag ended in the viewer: the node's new pose, as an UPDATE. The store (the
   * authority) takes it, so a reopened panel or a window reload shows the node where the user
   * left it; nothing is sent back, the viewer already shows it.
   */
  movedInViewer(key: string, pose: { position?: unknown; quaternion?: unknown }): void {
    const node: { key: string; position?: [number, number, number]; quaternion?: [number, number, number, number] } = { key };
    if (isNumbers(pose.position, 3)) node.position = pose.position as [number, number, number];
    if (isNumbers(pose.quaternion, 4)) node.quaternion = pose.quaternion as [number, number, number, number];
    if (!node.position && !node.quaternion) return;
    this.store.apply({ etype: "UPDATE", ts: Date.now(), data: { nodes: [node] } });
    this.version++;
  }

  /**
   * The viewer (re)loaded and wants the scene: send everything as one snapshot
   * and forget what was queued or in flight for the previous page.
   */
  ready(sink: ViewerSink): void {
    this.sink = sink;
    this.past = false;
    this.coalescer.drain();
    this.acked = this.seq;
    this.cancelFlush();
    sink({ t: "snapshot", scene: this.store.snapshot(), session: this.session });
  }

  /**
   * The viewer shows the scene as it was at some moment (the timeline's cursor). Nothing live
   * reaches it meanwhile; the store goes on taking every message, and showPresent() sends it.
   */
  showPast(scene: SceneNode | null, session: ViewerSessionInfo): void {
    if (!this.sink) return;
    this.past = true;
    this.coalescer.drain();
    this.acked = this.seq;
    this.cancelFlush();
    this.sink({ t: "snapshot", scene, session });
  }

  /** Back to the present: the whole scene as it is now. */
  showPresent(): void {
    if (this.past && this.sink) this.ready(this.sink);
  }

  get showingPast(): boolean {
    return this.past;
  }

  /** The viewer went away (hidden, closed, attached to another session): stop queueing. */
  detach(): void {
    this.sink = null;
    this.coalescer.drain();
    this.acked = this.seq;
    this.cancelFlush();
  }

  /** The viewer drew every batch up to `seq`. */
  applied(seq: number): void {
    if (seq <= this.acked || seq > this.seq) return; // stale (an older page) or bogus
    this.acked = seq;
    if (this.coalescer.pending > 0) this.scheduleFlush();
  }

  setSession(info: ViewerSessionInfo): void {
    this.session = info;
    if (!this.sink || this.past) return; // told when the viewer comes back to the present
    // Whatever is queued belongs before the state change (a final upsert, then "done"): a barrier.
    this.flush(true);
    this.sink({ t: "session", session: info });
  }

  /**
   * A render request from the program for the viewer to answer. Queued scene
   * messages go first, so the picture includes them. False when no viewer is ready.
   */
  rpc(request: GrabRenderRequest): boolean {
    if (!this.sink) return false;
    // A barrier: what the program sent before the request goes first, even past the in-flight
    // limit (one extra batch), so the picture shows it. The viewer applies batches, draws, then answers.
    this.flush(true);
    this.sink({ t: "rpc", request });
    return true;
  }

  get sessionInfo(): ViewerSessionInfo {
    return this.session;
  }

  /**
   * Posts one batch now if the viewer can take it, normally from the frame timer; `force` (a
   * barrier) posts everything held, past the in-flight limit. A batch holds at most
   * `maxBatch` entries: no single postMessage may be big enough to stall or kill the page.
   */
  flush(force = false): void {
    this.cancelFlush();
    while (this.sink && this.coalescer.pending > 0 && (force || this.inFlight < this.maxInFlight)) {
      const messages = this.coalescer.drain(this.maxBatch);
      this.seq++;
      this.batchesSent++;
      this.sink({ t: "scene", seq: this.seq, messages });
      if (!force) break;
    }
    if (!force && this.coalescer.pending > 0) this.scheduleFlush();
  }

  dispose(): void {
    this.detach();
  }

  private scheduleFlush(): void {
    if (this.cancelTimer || this.inFlight >= this.maxInFlight) return;
    this.cancelTimer = this.timers.schedule(() => {
      this.cancelTimer = null;
      this.flush();
    }, this.frameMs);
  }

  private cancelFlush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}

function isNumbers(x: unknown, n: number): boolean {
  return Array.isArray(x) && x.length === n && x.every((v) => typeof v === "number" && Number.isFinite(v));
}
