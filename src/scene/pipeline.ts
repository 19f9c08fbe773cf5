/**
 * The scene of one session on its way from the runner to its viewers: the one pipeline of the
 * VS Code panel, the browser viewers (src/viewer-server/), the CLI's snapshot and the benchmarks.
 *
 * The store is the authority: every scene message lands there first, whether or not a viewer
 * is listening. Each viewer has its own feed (src/scene/viewer-feed.ts): only while that viewer
 * is ready do messages also go through its coalescer, which a timer drains once per frame into
 * one `scene` batch. At most `maxInFlight` batches may be posted to it but not yet acknowledged
 * with `applied`; past that, messages keep coalescing (memory stays bounded by the coalescer)
 * until the viewer catches up. A viewer that is hidden or still loading gets nothing queued:
 * when it reports `ready` it receives one snapshot of the store instead.
 *
 * The pipeline's own methods (ready, applied, detach, showPast...) are those of its first feed,
 * the VS Code panel's (and the CLI's); further viewers come from addViewer().
 *
 * Pure (no vscode): the clock and the sinks are injected, so tests drive it.
 */
import type { GrabRenderRequest } from "../protocol/runner.js";
import type { SceneMessage, SceneNode } from "../protocol/scene.js";
import type { ViewerSessionInfo } from "../protocol/viewer.js";
import type { SceneCoalescer } from "./coalescer.js";
import { SceneStore } from "./scene-store.js";
import { ViewerFeed, type FeedHost, type FeedSettings, type PipelineTimers, type ViewerSink } from "./viewer-feed.js";

export { ViewerFeed, type PipelineTimers, type ViewerSink } from "./viewer-feed.js";

/** Typed-array bytes one scene message may carry to a viewer (below the 256 MB IPC message cap). */
export const MAX_DRAWABLE_BYTES = 200 * 2 ** 20;

/**
 * Bytes of the typed arrays in a message or node tree. It runs on every message on the host's
 * thread, so only objects are stacked (a 1,000-box upsert is ~10,000 numbers and strings, none
 * of which can hold an array) and no list of values is made per node.
 */
export function binaryBytes(root: unknown): number {
  if (root === null || typeof root !== "object") return 0;
  let bytes = 0;
  const stack: object[] = [root];
  while (stack.length) {
    const x = stack.pop()!;
    if (ArrayBuffer.isView(x)) {
      bytes += x.byteLength;
    } else if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const v: unknown = x[i];
        if (v !== null && typeof v === "object") stack.push(v);
      }
    } else {
      for (const k of Object.keys(x)) {
        const v: unknown = (x as Record<string, unknown>)[k];
        if (v !== null && typeof v === "object") stack.push(v);
      }
    }
  }
  return bytes;
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
  /** Batches posted to one viewer and not yet acknowledged before its feed waits. */
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

export class ScenePipeline implements FeedHost {
  readonly store = new SceneStore();
  private readonly maxMessageBytes: number;
  private readonly settings: FeedSettings;
  /** Every viewer's feed; the first is the panel's (the pipeline's own methods). */
  private readonly feeds: ViewerFeed[] = [];
  private readonly primary: ViewerFeed;
  /** Scene messages received so far: tells a saver whether the store changed since it last looked. */
  version = 0;

  constructor(
    private session: ViewerSessionInfo,
    options: PipelineOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_DRAWABLE_BYTES;
    this.settings = {
      frameMs: options.frameMs ?? 16,
      maxInFlight: options.maxInFlight ?? 2,
      maxBatch: options.maxBatch ?? 5000,
      maxPending: options.maxPending,
      coalesce: options.coalesce ?? true,
      timers: options.timers ?? realTimers,
    };
    this.primary = this.addViewer();
  }

  /** A further viewer of this scene (a browser page): its own flow control; dispose() it when it goes. */
  addViewer(): ViewerFeed {
    const feed = new ViewerFeed(this, this.settings);
    this.feeds.push(feed);
    return feed;
  }

  /** The viewers now attached, the panel's feed first. */
  get viewers(): readonly ViewerFeed[] {
    return this.feeds;
  }

  /** @internal FeedHost */
  removeFeed(feed: ViewerFeed): void {
    const i = this.feeds.indexOf(feed);
    if (i > 0) this.feeds.splice(i, 1); // the panel's own feed stays for the pipeline's life
  }

  /** @internal FeedHost */
  snapshot(): SceneNode {
    return this.store.snapshot();
  }

  /** @internal The panel's coalescer (the pipeline benchmark counts its entries). */
  get coalescer(): SceneCoalescer {
    return this.primary.coalescer;
  }

  get inFlight(): number {
    return this.primary.inFlight;
  }

  /** Messages waiting in the panel's coalescer (0 while no viewer is ready). */
  get pending(): number {
    return this.primary.pending;
  }

  /** Batches posted to the panel since it became ready: for tests and the log. */
  get batchesSent(): number {
    return this.primary.batchesSent;
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
    for (const f of this.feeds) f.take(message);
    return warnings;
  }

  /**
   * A gizmo drag ended in a viewer (`from`; default the panel): the node's new pose, as an
   * UPDATE. The store (the authority) takes it, so a reopened panel or a window reload shows
   * the node where the user left it; every other viewer is sent it, and the one it came from
   * nothing (it already shows it).
   */
  movedInViewer(key: string, pose: { position?: unknown; quaternion?: unknown }, from: ViewerFeed = this.primary): void {
    const node: { key: string; position?: [number, number, number]; quaternion?: [number, number, number, number] } = { key };
    if (isNumbers(pose.position, 3)) node.position = pose.position as [number, number, number];
    if (isNumbers(pose.quaternion, 4)) node.quaternion = pose.quaternion as [number, number, number, number];
    if (!node.position && !node.quaternion) return;
    const update: SceneMessage = { etype: "UPDATE", ts: Date.now(), data: { nodes: [node] } };
    this.store.apply(update);
    this.version++;
    for (const f of this.feeds) if (f !== from) f.take(update);
  }

  /**
   * The panel (re)loaded and wants the scene: send everything as one snapshot
   * and forget what was queued or in flight for the previous page.
   */
  ready(sink: ViewerSink): void {
    this.primary.ready(sink);
  }

  /** The panel shows the scene as it was at some moment (the timeline's cursor); see ViewerFeed.showPast. */
  showPast(scene: SceneNode | null, session: ViewerSessionInfo): void {
    this.primary.showPast(scene, session);
  }

  /** The panel goes back to the present: the whole scene as it is now. */
  showPresent(): void {
    this.primary.showPresent();
  }

  get showingPast(): boolean {
    return this.primary.showingPast;
  }

  /** The panel went away (hidden, closed, attached to another session): stop queueing for it. */
  detach(): void {
    this.primary.detach();
  }

  /** The panel drew every batch up to `seq`. */
  applied(seq: number): void {
    this.primary.applied(seq);
  }

  setSession(info: ViewerSessionInfo): void {
    this.session = info;
    for (const f of this.feeds) f.sessionChanged(info);
  }

  /**
   * A render request from the program for one viewer to answer (the program expects one
   * answer): the panel when it is ready, else the first ready browser viewer. Queued scene
   * messages go first, so the picture includes them. False when no viewer is ready.
   */
  rpc(request: GrabRenderRequest): boolean {
    for (const f of this.feeds) if (f.rpc(request)) return true;
    return false;
  }

  get sessionInfo(): ViewerSessionInfo {
    return this.session;
  }

  /** Posts one batch to the panel now if it can take it; `force` (a barrier) posts everything held. */
  flush(force = false): void {
    this.primary.flush(force);
  }

  /** Every viewer stops being fed (the session's end). */
  dispose(): void {
    for (const f of [...this.feeds]) f.detach();
  }
}

function isNumbers(x: unknown, n: number): boolean {
  return Array.isArray(x) && x.length === n && x.every((v) => typeof v === "number" && Number.isFinite(v));
}
