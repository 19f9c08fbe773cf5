/**
 * One browser viewer: a WebSocket tied to its own feed of the session's scene pipeline. Each
 * message is one frame body of the runner pipe's codec (src/protocol/frames.ts) in a binary
 * WebSocket message, so typed arrays cross as bytes. Flow control is the panel's: the page
 * acknowledges batches with `applied`, and the feed holds at most two unacknowledged. Each tab
 * has its own timeline too: its seeks show the past on its own feed, never on another viewer.
 */
import type { WebSocket } from "ws";
import { decodeFrameBody, encodeFrameBody } from "../protocol/frames.js";
import { validateFromViewer, type FromViewerMessage, type ToViewerMessage } from "../protocol/viewer.js";
import type { ScenePipeline, ViewerFeed } from "../scene/pipeline.js";
import type { Room, TabTimeline } from "./room.js";
import { sourceRefusal } from "./source-link.js";

export class ViewerSocket {
  private feed: ViewerFeed | undefined;
  private pipeline: ScenePipeline | undefined;
  private timeline: TabTimeline | undefined;
  /** The page said ready (on this connection): it is fed. */
  private loaded = false;
  private closed = false;
  private readonly sink = (m: ToViewerMessage) => this.send(m);

  constructor(
    private readonly ws: WebSocket,
    readonly room: Room,
    private readonly warn: (line: string) => void,
    private readonly onClosed: (s: ViewerSocket) => void,
  ) {
    this.attach();
    ws.on("message", (data, isBinary) => this.receive(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on("close", () => this.dispose());
    ws.on("error", (e) => this.warn(`browser viewer of ${room.title}: ${e.message}`));
  }

  /** Follows the room's scene now (first connect, or a re-run of its file replaced the session). */
  attach(): void {
    if (this.closed) return;
    const scene = this.room.current();
    if (scene?.pipeline === this.pipeline && this.feed) return;
    this.timeline?.dispose();
    this.feed?.dispose();
    this.pipeline = scene?.pipeline;
    this.feed = this.pipeline?.addViewer();
    this.timeline = this.feed ? scene?.timeline?.(this.feed, this.sink) : undefined;
    if (this.loaded) this.showNow();
  }

  /** Closes the socket (the room went away, or the server stops). */
  close(code = 1001, reason = "the viewer server stopped"): void {
    this.ws.close(code, reason);
    this.dispose();
  }

  private showNow(): void {
    if (this.feed) {
      this.feed.ready(this.sink);
      this.timeline?.pageReady();
    } else this.send({ t: "snapshot", scene: null, session: { state: "idle", title: `${this.room.title} (not running)` } });
  }

  private send(m: ToViewerMessage): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(encodeFrameBody(m), { binary: true });
  }

  private receive(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    if (!isBinary) return this.warn(`browser viewer of ${this.room.title}: a text message was dropped (the page sends binary frames)`);
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let m: FromViewerMessage;
    try {
      m = validateFromViewer(decodeFrameBody(bytes));
    } catch (e) {
      return this.warn(`browser viewer of ${this.room.title}: a message was dropped: ${(e as Error).message}`);
    }
    this.handle(m);
  }

  private handle(m: FromViewerMessage): void {
    switch (m.t) {
      case "ready":
        this.loaded = true;
        this.showNow();
        return;
      case "applied":
        this.feed?.applied(m.seq);
        return;
      case "seek":
        this.timeline?.seek(m.at, m.epoch);
        return;
      case "openSource": {
        // A span was clicked: the host opens it in VS Code, if it is the run's and in its workspace.
        const refusal = sourceRefusal(m.file, this.room.assets?.root, this.timeline?.knowsFile(m.file) ?? false);
        if (refusal) return this.warn(`browser viewer of ${this.room.title}: a task's source was not opened: ${refusal}`);
        this.room.onMessage(m);
        return;
      }
      case "event": {
        const { event } = m;
        // A gizmo drag: the store takes the pose and the other viewers are shown it.
        if (event.etype === "OBJECT_MOVE_END" && typeof event.key === "string" && typeof event.value === "object" && event.value !== null && this.feed) {
          this.pipeline?.movedInViewer(event.key, event.value as Record<string, unknown>, this.feed);
        }
        this.room.onMessage(m);
        return;
      }
      default:
        this.room.onMessage(m);
    }
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.timeline?.dispose();
    this.timeline = undefined;
    this.feed?.dispose();
    this.feed = undefined;
    this.onClosed(this);
  }
}
