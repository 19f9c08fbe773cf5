/**
 * Messages between the extension host (or the snapshot tool) and the viewer
 * webview, tagged by `t` (the CodeQL interface-types style). The viewer knows
 * nothing of VS Code beyond `acquireVsCodeApi().postMessage`.
 */
import { validateClientEvent, type ClientEvent } from "./events.js";
import type { GrabRenderRequest } from "./runner.js";
import type { SceneMessage, SceneNode } from "./scene.js";
import { fail, num, oneOf, optStr, record, str } from "./validate.js";

export type ViewerSessionState = "idle" | "starting" | "running" | "done" | "failed" | "stopped";

export interface ViewerSessionInfo {
  state: ViewerSessionState;
  title: string;
}

/** Scene messages, already coalesced by the host, to apply together on the next frame. */
export interface SceneBatchMsg {
  t: "scene";
  /** Increasing batch number; the viewer acknowledges it with `applied` once drawn (flow control). */
  seq: number;
  messages: SceneMessage[];
}
/** The whole scene as the host holds it: sent when the viewer reports ready (reload, reopen). */
export interface SnapshotMsg {
  t: "snapshot";
  scene: SceneNode | null;
  session: ViewerSessionInfo;
}
/** The owning session changed state (running, done, failed...). */
export interface SessionMsg {
  t: "session";
  session: ViewerSessionInfo;
}
/** A render request from the program (sess.grab_render). */
export interface RpcMsg {
  t: "rpc";
  request: GrabRenderRequest;
}

export type ToViewerMessage = SceneBatchMsg | SnapshotMsg | SessionMsg | RpcMsg;

/** The viewer finished loading and wants the current scene. */
export interface ReadyMsg {
  t: "ready";
}
/** A user interaction (click, camera, gizmo, key, widget) or an RPC answer, for the session. */
export interface EventMsg {
  t: "event";
  event: ClientEvent;
}
/** Something the viewer skipped (bad prop, unknown tag): one line for the log. */
export interface WarningMsg {
  t: "warning";
  message: string;
  key?: string;
}
/** Periodic numbers from the viewer: for the status line, tests and benchmarks. */
export interface StatsMsg {
  t: "stats";
  fps: number;
  nodes: number;
  /** `ts` of the newest scene message drawn by the last frame. */
  lastTs: number;
}

/** The viewer drew every batch up to `seq`: the host may send the next one. */
export interface AppliedMsg {
  t: "applied";
  seq: number;
}

/** The user pressed the screenshot button: a PNG of the view for the host to save. */
export interface ScreenshotMsg {
  t: "screenshot";
  png: Uint8Array;
}

export type FromViewerMessage = ReadyMsg | EventMsg | WarningMsg | StatsMsg | AppliedMsg | ScreenshotMsg;

export function validateFromViewer(x: unknown): FromViewerMessage {
  const m = record(x, "viewer message");
  const t = oneOf(m.t, ["ready", "event", "warning", "stats", "applied", "screenshot"] as const, "viewer message.t");
  switch (t) {
    case "ready":
      return { t };
    case "event":
      return { t, event: validateClientEvent(m.event) };
    case "warning": {
      const w: WarningMsg = { t, message: str(m.message, "viewer message.message") };
      const key = optStr(m.key, "viewer message.key");
      if (key !== undefined) w.key = key;
      return w;
    }
    case "applied":
      return { t, seq: num(m.seq, "viewer message.seq") };
    case "screenshot":
      if (!(m.png instanceof Uint8Array)) return fail("viewer message.png", "PNG bytes (Uint8Array)", m.png);
      return { t, png: m.png };
    case "stats":
      return {
        t,
        fps: num(m.fps, "viewer message.fps"),
        nodes: num(m.nodes, "viewer message.nodes"),
        lastTs: num(m.lastTs, "viewer message.lastTs"),
      };
  }
}

