/**
 * Our viewer as a client of a vuer server: the connection, the mapping both ways, and the
 * same scene pipeline a local run feeds (the host's store is the scene's authority, so a
 * reopened panel or a reconnect shows the last scene; coalescing and flow control toward the
 * viewer as for a run). What the server sends lands in the pipeline whether or not a viewer
 * is attached; what the viewer sends goes to the server as vuer's own client would send it.
 *
 * The connection's state is the pipeline's session state (connecting, connected,
 * reconnecting, closed), shown by the viewer's status line and title.
 */
import type { ClientEvent } from "../protocol/events.js";
import { droppedNodeLine, type SceneMessage } from "../protocol/scene.js";
import type { ViewerSessionInfo } from "../protocol/viewer.js";
import { ScenePipeline, type PipelineOptions, type PipelineTimers } from "../scene/pipeline.js";
import { VuerConnection, type ConnectionState, type SocketFactory } from "./connection.js";
import { fromServer } from "./from-server.js";
import { clientInfo, initEvent, toServer } from "./to-server.js";
import { decodeEnvelope, encodeEnvelope, WireError } from "./wire.js";

export interface VuerClientOptions {
  url: string;
  /** Our version, reported in INIT's clientVersion and userAgent. */
  version: string;
  /** Which viewer this is, in the userAgent: "vscode", "snapshot"... */
  viewer: string;
  /** The viewer's size in pixels, reported as INIT's screenWidth/screenHeight. */
  width: number;
  height: number;
  /**
   * One line per thing worth telling (dropped nodes, ignored events, state changes); `state`
   * is the connection's new state when the line says it changed, so a caller can pick which
   * changes it shows without reading the words.
   */
  log(line: string, state?: ConnectionState["state"]): void;
  socket?: SocketFactory;
  /**
   * A pipeline the caller owns (a run on the user's installed vuer: the run's own): the client
   * feeds it, and its session state and title stay the caller's (the connection's state then
   * only reaches `log` and onState listeners); close() leaves its viewer attached.
   */
  sharedPipeline?: ScenePipeline;
  /** Hears each scene message before the pipeline takes it (a run's recording: its timeline). */
  onScene?(message: SceneMessage): void;
  timers?: PipelineTimers;
  pipeline?: PipelineOptions;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface VuerClientStats {
  /** Frames received from the server, and their bytes. */
  frames: number;
  bytes: number;
  /** Scene messages pushed into the pipeline. */
  sceneMessages: number;
  /** Events sent to the server (INIT included). */
  sent: number;
  /** Render requests answered (or refused because no viewer was attached). */
  rpcs: number;
}

const NO_RPCS: ReadonlyMap<string, string> = new Map();

/** How long an unanswered render request is remembered (vuer's grab_render ttl is 2 s by default). */
const RPC_MEMORY_MS = 60_000;

export class VuerClientSession {
  readonly pipeline: ScenePipeline;
  readonly connection: VuerConnection;
  readonly stats: VuerClientStats = { frames: 0, bytes: 0, sceneMessages: 0, sent: 0, rpcs: 0 };
  /** Response etype of each open render request → its camera key, and when it came. */
  private readonly openRpcs = new Map<string, { key: string; at: number }>();
  private readonly told = new Set<string>();
  private stateListeners: Array<(s: ConnectionState) => void> = [];

  constructor(private readonly o: VuerClientOptions) {
    this.pipeline = o.sharedPipeline ?? new ScenePipeline(sessionInfo(o.url, { state: "connecting", attempt: 1 }), { ...o.pipeline, timers: o.pipeline?.timers ?? o.timers });
    this.connection = new VuerConnection({
      url: o.url,
      socket: o.socket,
      timers: o.timers,
      firstDelayMs: o.firstDelayMs,
      maxDelayMs: o.maxDelayMs,
      onOpen: (send) => {
        // Every connection is a new vuer session: it starts on INIT.
        const info = clientInfo({ version: o.version, viewer: o.viewer, width: o.width, height: o.height });
        if (send(encodeEnvelope(initEvent(info)))) this.stats.sent++;
      },
      onMessage: (data, isBinary) => this.received(data, isBinary),
      onState: (s) => {
        if (!o.sharedPipeline) this.pipeline.setSession(sessionInfo(o.url, s));
        if (s.state !== "connecting") o.log(`${o.url}: ${describeState(s)}`, s.state);
        for (const l of this.stateListeners) l(s);
      },
    });
  }

  start(): void {
    this.connection.start();
  }

  /** Calls `fn` on every state change; returns a function that stops it. */
  onState(fn: (s: ConnectionState) => void): () => void {
    this.stateListeners.push(fn);
    return () => (this.stateListeners = this.stateListeners.filter((l) => l !== fn));
  }

  /** An event from our viewer (click, camera, gizmo, key, widget, render answer), for the server. */
  viewerEvent(ev: ClientEvent): void {
    const open = this.openRpcs.get(ev.etype);
    const wire = toServer(ev, open ? new Map([[ev.etype, open.key]]) : NO_RPCS);
    this.openRpcs.delete(ev.etype);
    if (wire && this.connection.send(encodeEnvelope(wire))) this.stats.sent++;
  }

  close(reason = "closed by the viewer"): void {
    this.connection.close(reason);
    if (!this.o.sharedPipeline) this.pipeline.detach();
  }

  private received(data: Uint8Array, isBinary: boolean): void {
    this.stats.frames++;
    this.stats.bytes += data.byteLength;
    if (!isBinary) return this.tellOnce("text", "a text frame from the server was ignored (vuer sends binary MessagePack frames)");
    let envelope;
    try {
      envelope = decodeEnvelope(data);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return this.o.log(`ignored a frame from the server: ${e.message}`);
    }
    const r = fromServer(envelope, (d) => this.o.log(droppedNodeLine(d)));
    switch (r.kind) {
      case "scene":
        this.stats.sceneMessages++;
        this.o.onScene?.(r.message);
        for (const w of this.pipeline.push(r.message)) this.o.log(w);
        return;
      case "rpc": {
        this.stats.rpcs++;
        const rtype = r.request.rtype;
        // A request the viewer never answered (a panel closed mid-way) is forgotten after a while.
        const now = Date.now();
        for (const [t, open] of this.openRpcs) if (now - open.at > RPC_MEMORY_MS) this.openRpcs.delete(t);
        this.openRpcs.set(rtype, { key: r.key, at: now });
        if (!this.pipeline.rpc(r.request)) this.viewerEvent({ etype: rtype, ts: Date.now(), error: "no viewer is showing this server's scene" });
        return;
      }
      case "ignored":
        return this.tellOnce(r.etype, `ignored ${r.etype} from the server: ${r.reason}`);
      case "invalid":
        return this.o.log(`ignored a malformed ${r.etype} from the server: ${r.reason}`);
    }
  }

  private tellOnce(what: string, line: string): void {
    if (this.told.has(what)) return;
    this.told.add(what);
    this.o.log(`${line} (said once)`);
  }
}

/** The connection's state as the viewer's session state and title. */
export function sessionInfo(url: string, s: ConnectionState): ViewerSessionInfo {
  switch (s.state) {
    case "connecting":
      return { state: "connecting", title: s.attempt > 1 ? `${url} (attempt ${s.attempt})` : url };
    case "connected":
      return { state: "connected", title: url };
    case "reconnecting":
      return { state: "reconnecting", title: `${url} — ${s.reason}; retrying in ${formatMs(s.inMs)}` };
    case "closed":
      return { state: "closed", title: `${url} — ${s.reason}` };
  }
}

export function describeState(s: ConnectionState): string {
  switch (s.state) {
    case "connecting":
      return `connecting (attempt ${s.attempt})`;
    case "connected":
      return "connected";
    case "reconnecting":
      return `${s.reason}; reconnecting in ${formatMs(s.inMs)} (attempt ${s.attempt})`;
    case "closed":
      return `closed: ${s.reason}`;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
}
