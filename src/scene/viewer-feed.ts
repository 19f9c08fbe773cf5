/**
 * One viewer's share of a session's scene pipeline: its own coalescer, batch numbers, in-flight
 * count, ready state and `past` mode (the timeline). The pipeline's store is shared by every
 * feed (the authority); what differs per viewer is only what it has been sent and drawn, so a
 * slow or hidden viewer never holds back another, and each one's memory stays bounded by its
 * own coalescer.
 *
 * Pure (no vscode): the clock and the sink are injected, so tests drive it.
 */
import type { GrabRenderRequest } from "../protocol/runner.js";
import type { SceneMessage, SceneNode } from "../protocol/scene.js";
import type { ToViewerMessage, ViewerSessionInfo } from "../protocol/viewer.js";
import { SceneCoalescer } from "./coalescer.js";

export type ViewerSink = (message: ToViewerMessage) => void;

export interface PipelineTimers {
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

/** What a feed needs of its pipeline: the shared scene and session, and its settings. */
export interface FeedHost {
  snapshot(): SceneNode;
  readonly sessionInfo: ViewerSessionInfo;
  /** Forgets the feed (it was disposed). */
  removeFeed(feed: ViewerFeed): void;
}

export interface FeedSettings {
  frameMs: number;
  maxInFlight: number;
  maxBatch: number;
  maxPending: number | undefined;
  coalesce: boolean;
  timers: PipelineTimers;
}

export class ViewerFeed {
  /** @internal read by the pipeline benchmark (its entries) */
  readonly coalescer: SceneCoalescer;
  private sink: ViewerSink | null = null;
  private seq = 0;
  private acked = 0;
  private cancelTimer: (() => void) | null = null;
  /** Batches posted since the viewer became ready: for tests and the log. */
  batchesSent = 0;
  /** The viewer shows a moment of the past (the timeline): live updates wait, merged, until it returns. */
  private past = false;
  private disposed = false;

  constructor(
    private readonly host: FeedHost,
    private readonly settings: FeedSettings,
  ) {
    const s = settings;
    this.coalescer = new SceneCoalescer(() => host.snapshot(), s.coalesce ? s.maxPending : Number.MAX_SAFE_INTEGER, s.coalesce);
  }

  get inFlight(): number {
    return this.seq - this.acked;
  }

  /** Messages waiting in the coalescer (0 while the viewer is not ready). */
  get pending(): number {
    return this.coalescer.pending;
  }

  /** The viewer is listening (it said ready and has not gone away). */
  get isReady(): boolean {
    return this.sink !== null;
  }

  get showingPast(): boolean {
    return this.past;
  }

  /** A scene message the store already applied: queued for this viewer if it shows the present. */
  take(message: SceneMessage): void {
    if (!this.sink || this.past) return;
    this.coalescer.push(message);
    this.scheduleFlush();
  }

  /**
   * The viewer (re)loaded and wants the scene: send everything as one snapshot and forget
   * what was queued or in flight for the previous page.
   */
  ready(sink: ViewerSink): void {
    if (this.disposed) return;
    this.sink = sink;
    this.past = false;
    this.forget();
    sink({ t: "snapshot", scene: this.host.snapshot(), session: this.host.sessionInfo });
  }

  /**
   * The viewer shows the scene as it was at some moment (the timeline's cursor). Nothing live
   * reaches it meanwhile; the store goes on taking every message, and showPresent() sends it.
   */
  showPast(scene: SceneNode | null, session: ViewerSessionInfo): void {
    if (!this.sink) return;
    this.past = true;
    this.forget();
    this.sink({ t: "snapshot", scene, session });
  }

  /** Back to the present: the whole scene as it is now. */
  showPresent(): void {
    if (this.past && this.sink) this.ready(this.sink);
  }

  /** The viewer went away (hidden, closed, attached to another session): stop queueing. */
  detach(): void {
    this.sink = null;
    this.forget();
  }

  /** The viewer drew every batch up to `seq`. */
  applied(seq: number): void {
    if (seq <= this.acked || seq > this.seq) return; // stale (an older page) or bogus
    this.acked = seq;
    if (this.coalescer.pending === 0) return;
    // The viewer has just drawn: what waited goes now, to meet its next frame, rather than a
    // frame later (at 60 Hz the frame timer alone would cost one of the two frames of delay).
    if (this.inFlight === 0) this.cancelFlush(); // a frame timer already running is kept while one is in flight
    this.scheduleFlush();
  }

  /** The session changed state: what is queued goes first (a final upsert, then "done"), a barrier. */
  sessionChanged(info: ViewerSessionInfo): void {
    if (!this.sink || this.past) return; // told when the viewer comes back to the present
    this.flush(true);
    this.sink({ t: "session", session: info });
  }

  /**
   * A render request for this viewer to answer; false when it is not ready. What the program
   * sent before the request goes first, even past the in-flight limit (one extra batch), so
   * the picture shows it: the viewer applies batches, draws, then answers.
   */
  rpc(request: GrabRenderRequest): boolean {
    if (!this.sink) return false;
    this.flush(true);
    this.sink({ t: "rpc", request });
    return true;
  }

  /**
   * Posts one batch now if the viewer can take it, normally from the frame timer; `force` (a
   * barrier) posts everything held, past the in-flight limit. A batch holds at most
   * `maxBatch` entries: no single message may be big enough to stall or kill the page.
   */
  flush(force = false): void {
    this.cancelFlush();
    while (this.sink && this.coalescer.pending > 0 && (force || this.inFlight < this.settings.maxInFlight)) {
      const messages = this.coalescer.drain(this.settings.maxBatch);
      this.seq++;
      this.batchesSent++;
      this.sink({ t: "scene", seq: this.seq, messages });
      if (!force) break;
    }
    if (!force && this.coalescer.pending > 0) this.scheduleFlush();
  }

  /** The viewer is gone for good (a closed browser tab): the pipeline forgets this feed. */
  dispose(): void {
    if (this.disposed) return;
    this.detach();
    this.disposed = true;
    this.host.removeFeed(this);
  }

  /** Drops what was queued or in flight: the next thing the viewer gets is a whole snapshot. */
  private forget(): void {
    this.coalescer.drain();
    this.acked = this.seq;
    this.cancelFlush();
  }

  /**
   * A viewer with nothing in flight is idle, waiting: its batch goes once the messages read in
   * this turn are in (a 0 ms timer), not a frame later. With a batch in flight the viewer is
   * busy drawing, so messages gather for a frame (or until its `applied`) and fold meanwhile.
   */
  private scheduleFlush(): void {
    if (this.cancelTimer || this.inFlight >= this.settings.maxInFlight) return;
    this.cancelTimer = this.settings.timers.schedule(() => {
      this.cancelTimer = null;
      this.flush();
    }, this.inFlight === 0 ? 0 : this.settings.frameMs);
  }

  private cancelFlush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
