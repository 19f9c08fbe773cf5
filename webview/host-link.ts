/**
 * The only channel to the host. Three transports, one interface:
 *  - in VS Code: `acquireVsCodeApi().postMessage` out and window "message" events in;
 *  - served by the viewer server (a browser tab: src/viewer-server/, chosen by the page's
 *    `scene-runner-link` meta tag): a WebSocket back to the extension host, each message one
 *    binary frame body of the runner pipe's codec (src/protocol/frames.ts), so typed arrays
 *    travel as bytes; it reconnects, and says `ready` again on each new connection;
 *  - a plain page without either: messages go to the parent frame (if any) and are kept in
 *    `window.__sceneViewerOutbox` (the headless driver, tests).
 */
import { entryOf } from "../src/protocol/descriptors.js";
import { decodeFrameBody, encodeFrameBody } from "../src/protocol/frame-body.js";
import { TO_VIEWER, validateToViewer, type FromViewerMessage, type ToViewerMessage } from "../src/protocol/viewer.js";
import { LINK_META, parsePageLink, socketUrl } from "../src/viewer-server/page-link.js";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    __sceneViewerOutbox?: FromViewerMessage[];
  }
}

/** Pauses before reconnecting a dropped WebSocket: 1 s, growing to 5 s while the host stays away. */
const RECONNECT_MS = 1000;
const RECONNECT_MAX_MS = 5000;
/** Messages kept for a socket that is not open yet; past this, the oldest go (it re-syncs on `ready`). */
const MAX_QUEUED = 1000;

type Listener = (data: unknown) => void;

export class HostLink {
  private readonly api: VsCodeApi | null;
  private readonly socket: SocketLink | null;
  readonly inVsCode: boolean;

  constructor() {
    this.api = typeof window.acquireVsCodeApi === "function" ? window.acquireVsCodeApi() : null;
    this.inVsCode = this.api !== null;
    const link = this.api ? null : parsePageLink(document.querySelector(`meta[name="${LINK_META}"]`)?.getAttribute("content"));
    this.socket = link ? new SocketLink(socketUrl(link, location.href)) : null;
  }

  post(m: FromViewerMessage): void {
    if (this.api) return this.api.postMessage(m);
    if (this.socket) return this.socket.send(m);
    (window.__sceneViewerOutbox ??= []).push(m);
    if (window.parent !== window) window.parent.postMessage(m, "*");
  }

  /**
   * Calls `fn` with every host message, validated. Traffic that is not a host message (no
   * known `t`) is ignored; a host message that fails its check goes to `invalid`.
   */
  listen(fn: (m: ToViewerMessage) => void, invalid: (reason: string) => void): () => void {
    const handle: Listener = (d) => {
      if (!d || typeof d !== "object" || typeof (d as { t?: unknown }).t !== "string" || !entryOf(TO_VIEWER, (d as { t: string }).t)) return;
      let m: ToViewerMessage;
      try {
        m = validateToViewer(d);
      } catch (err) {
        invalid((err as Error).message);
        return;
      }
      fn(m);
    };
    if (this.socket) return this.socket.listen(handle, invalid);
    const handler = (e: MessageEvent) => handle(e.data);
    window.addEventListener("message", handler);
    return () => window.removeEventListener("message", handler);
  }
}

/** The WebSocket transport of a page in a browser tab. */
class SocketLink {
  private ws: WebSocket | null = null;
  private queue: Uint8Array[] = [];
  private readonly listeners = new Set<{ fn: Listener; invalid: (reason: string) => void }>();
  private opened = false;
  private retryMs = RECONNECT_MS;
  /** The title the host last gave the session: shown with "reconnecting" while the socket is down. */
  private title = document.title;

  constructor(private readonly url: string) {
    this.connect();
  }

  send(m: FromViewerMessage): void {
    const body = encodeFrameBody(m);
    if (this.ws?.readyState === WebSocket.OPEN) return this.ws.send(body);
    // Not connected: numbers for a status line are not worth keeping.
    if (m.t === "stats") return;
    this.queue.push(body);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  listen(fn: Listener, invalid: (reason: string) => void): () => void {
    const l = { fn, invalid };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = RECONNECT_MS;
      if (this.opened) {
        // A new connection is a new viewer to the host: it gets the whole scene on `ready`.
        this.queue = [];
        ws.send(encodeFrameBody({ t: "ready" }));
      }
      this.opened = true;
      for (const body of this.queue) ws.send(body);
      this.queue = [];
    };
    ws.onmessage = (e: MessageEvent) => {
      if (!(e.data instanceof ArrayBuffer)) return this.tell((l) => l.invalid("the host sent text; the viewer expects binary frames"));
      let m: unknown;
      try {
        // The ArrayBuffer is this message's own: its typed arrays can be views of it, no copy.
        m = decodeFrameBody(new Uint8Array(e.data), true);
      } catch (err) {
        return this.tell((l) => l.invalid(`a host message could not be decoded: ${(err as Error).message}`));
      }
      const session = (m as { session?: { title?: unknown } }).session;
      if (typeof session?.title === "string") this.title = session.title;
      this.tell((l) => l.fn(m));
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // The scene stays as it was; the status line says the host is away (VS Code closed or reloaded the window).
      if (this.opened) this.tell((l) => l.fn({ t: "session", session: { state: "reconnecting", title: this.title } }));
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    };
  }

  private tell(f: (l: { fn: Listener; invalid: (reason: string) => void }) => void): void {
    for (const l of [...this.listeners]) f(l);
  }
}
