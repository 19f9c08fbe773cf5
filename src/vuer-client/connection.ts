/**
 * One WebSocket to a vuer server that comes back when the server does: after a drop it
 * retries with a growing delay (250 ms doubling to 5 s, forever) until it is closed. vuer
 * starts a new session for every connection, so each open sends a fresh INIT (the caller's
 * `onOpen`). A clean close by the server (code 1000: the session's handler returned) ends
 * it: reconnecting would run the program's handler again, unasked.
 *
 * Pure apart from the injected socket factory and timers, so tests drive it on a virtual clock.
 */
import WebSocket from "ws";
import { realTimers, type PipelineTimers } from "../scene/pipeline.js";

export type ConnectionState =
  | { state: "connecting"; attempt: number }
  | { state: "connected" }
  | { state: "reconnecting"; attempt: number; inMs: number; reason: string }
  | { state: "closed"; reason: string };

export interface SocketHandlers {
  onOpen(): void;
  onMessage(data: Uint8Array, isBinary: boolean): void;
  onClose(code: number, reason: string): void;
  onError(error: Error): void;
}

export interface Socket {
  send(data: Uint8Array): void;
  /** Ends the socket now; its onClose may still follow. */
  close(): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => Socket;

/** vuer's own limit for one message, both ways (WEBSOCKET_MAX_SIZE). */
export const MAX_MESSAGE_BYTES = 256 * 2 ** 20;

/** Node's `ws`: binary frames, no compression (vuer sends none), vuer's message size limit. */
export const wsSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: 10_000 });
  ws.binaryType = "nodebuffer";
  ws.on("open", () => h.onOpen());
  ws.on("message", (data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    h.onMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), isBinary);
  });
  ws.on("close", (code: number, reason: Buffer) => h.onClose(code, reason.toString()));
  ws.on("error", (e: Error) => h.onError(e));
  return {
    send: (data) => ws.send(data, { binary: true }),
    // At once, without the closing handshake: a server that does not answer it would keep the
    // socket (and a CLI's process) alive for ws's 30 s close timeout. vuer treats both alike.
    close: () => ws.terminate(),
  };
};

export interface ConnectionOptions {
  url: string;
  socket?: SocketFactory;
  timers?: PipelineTimers;
  /** The first retry's delay; it doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  onOpen(send: (data: Uint8Array) => boolean): void;
  onMessage(data: Uint8Array, isBinary: boolean): void;
  onState(state: ConnectionState): void;
}

/** ECONNREFUSED and friends, in words a user reads in a title bar. */
export function describeSocketError(e: Error & { code?: string }): string {
  switch (e.code) {
    case "ECONNREFUSED":
      return "nothing listens there (connection refused)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "unknown host";
    case "ECONNRESET":
      return "the connection was reset";
    case "ETIMEDOUT":
      return "the connection timed out";
    default:
      return e.message.replace(/\s+/g, " ").trim() || "connection failed";
  }
}

export class VuerConnection {
  private socket: Socket | null = null;
  private open = false;
  private attempt = 0;
  private lastError: string | undefined;
  private cancelRetry: (() => void) | null = null;
  private disposed = false;
  private current: ConnectionState = { state: "connecting", attempt: 1 };
  /** Times a connection was opened (1 after the first; each reconnect adds one). */
  opens = 0;

  constructor(private readonly o: ConnectionOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.socket || this.disposed) return;
    this.connect();
  }

  /** Sends one frame if connected; false (nothing queued) otherwise: events are about now. */
  send(data: Uint8Array): boolean {
    if (!this.open || !this.socket) return false;
    this.socket.send(data);
    return true;
  }

  /** Closes for good (the user closed the panel, the snapshot is written). */
  close(reason = "closed by the viewer"): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    const s = this.socket;
    this.socket = null;
    this.open = false;
    s?.close();
    this.setState({ state: "closed", reason });
  }

  private connect(): void {
    this.attempt++;
    this.lastError = undefined;
    this.setState({ state: "connecting", attempt: this.attempt });
    let socket: Socket | null = null;
    const mine = () => socket !== null && this.socket === socket;
    try {
      socket = this.o.socket
        ? this.o.socket(this.o.url, this.handlersFor(() => mine()))
        : wsSocket(this.o.url, this.handlersFor(() => mine()));
    } catch (e) {
      // A URL the socket library refuses outright: retrying will not help.
      this.close(`cannot connect to ${this.o.url}: ${(e as Error).message}`);
      return;
    }
    this.socket = socket;
  }

  private handlersFor(mine: () => boolean): SocketHandlers {
    return {
      onOpen: () => {
        if (!mine()) return;
        this.open = true;
        this.attempt = 0;
        this.opens++;
        this.setState({ state: "connected" });
        this.o.onOpen((d) => this.send(d));
      },
      onMessage: (data, isBinary) => {
        if (mine()) this.o.onMessage(data, isBinary);
      },
      onError: (e) => {
        if (mine()) this.lastError = describeSocketError(e);
      },
      onClose: (code, reason) => {
        if (!mine() || this.disposed) return;
        const wasOpen = this.open;
        this.open = false;
        this.socket = null;
        if (wasOpen && code === 1000) {
          this.close(`the server ended the session${reason ? ` (${reason})` : ""}`);
          return;
        }
        const why = this.lastError ?? (wasOpen ? `the server went away (close ${code}${reason ? `: ${reason}` : ""})` : `the connection closed (${code})`);
        this.scheduleRetry(why);
      },
    };
  }

  private scheduleRetry(reason: string): void {
    const first = this.o.firstDelayMs ?? 250;
    const max = this.o.maxDelayMs ?? 5000;
    const inMs = Math.min(max, first * 2 ** Math.min(Math.max(0, this.attempt - 1), 20));
    this.setState({ state: "reconnecting", attempt: this.attempt + 1, inMs, reason });
    const timers = this.o.timers ?? realTimers;
    this.cancelRetry = timers.schedule(() => {
      this.cancelRetry = null;
      if (!this.disposed) this.connect();
    }, inMs);
  }

  private setState(s: ConnectionState): void {
    this.current = s;
    this.o.onState(s);
  }
}
