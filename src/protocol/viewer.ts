/**
 * Messages between the extension host (or the snapshot tool) and the viewer
 * webview, tagged by `t` (the CodeQL interface-types style). The viewer knows
 * nothing of VS Code beyond `acquireVsCodeApi().postMessage`.
 */
import { validateClientEvent, type ClientEvent } from "./events.js";
import type { GrabRenderRequest } from "./runner.js";
import { validateBy, type MessageOf, type Table } from "./descriptors.js";
import type { SceneMessage, SceneNode } from "./scene.js";
import { TASK_STATES, type TaskState } from "./tasks.js";
import { arr, fail, isRecord, num, oneOf, optNum, optStr, record, str } from "./validate.js";

export type ViewerSessionState = (typeof VIEWER_SESSION_STATES)[number];

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

/** The node picked in the scene outliner (null: none); `frame` also moves the camera to it. */
export interface SelectMsg {
  t: "select";
  key: string | null;
  frame: boolean;
}

/** One task's life on the timeline (ms since the session started); `end` absent while it runs. */
export interface TimelineSpan {
  id: string;
  name: string;
  parent: string | null;
  start: number;
  end?: number;
  /** Its state now (or when it ended). */
  state: TaskState;
  file?: string;
  line?: number;
  column?: number;
}

export const TIMELINE_MARKER_KINDS = ["error", "cancel", "event", "end"] as const;
export interface TimelineMarker {
  t: number;
  kind: (typeof TIMELINE_MARKER_KINDS)[number];
  label: string;
  task?: string;
}

/** What the timeline strip shows: the session's time so far, its tasks' spans and its markers. */
export interface TimelineMsg {
  t: "timeline";
  /** Ms from the session's start to now (or to its end). */
  duration: number;
  /** The program still runs: the strip can follow the present. */
  live: boolean;
  /** The moment the viewer shows, or null while it shows the present. */
  cursor: number | null;
  spans: TimelineSpan[];
  markers: TimelineMarker[];
  /** Spans left out (oldest finished first) to keep the message small. */
  omitted: number;
  /**
   * How many times the host has brought this viewer back to the present on its own (the Tasks
   * view's Back to Live). When it grows, the strip stops playing and shows Live; its seeks carry
   * the count they were sent under, so one already on its way is ignored.
   */
  liveEpoch: number;
}

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

/** The user moved the timeline: show the scene as it was at `at` ms, or the present (null). */
export interface SeekMsg {
  t: "seek";
  at: number | null;
  /** The timeline's liveEpoch the strip had seen when it sent this (absent: a page that predates it). */
  epoch?: number;
}

/** The user clicked a task's span: open where it was created. */
export interface OpenSourceMsg {
  t: "openSource";
  file: string;
  line: number;
  column?: number;
}

/** The user pressed "Run again" on a finished (or restored) run's viewer. */
export interface RerunMsg {
  t: "rerun";
}

/** The user pressed the screenshot button: a PNG of the view for the host to save. */
export interface ScreenshotMsg {
  t: "screenshot";
  png: Uint8Array;
}

// connecting…closed: a viewer connected to a vuer server (src/vuer-client/), not running a program.
const VIEWER_SESSION_STATES = ["idle", "starting", "running", "done", "failed", "stopped", "connecting", "connected", "reconnecting", "closed"] as const;

function validateSpan(x: unknown, path: string): TimelineSpan {
  const r = record(x, path);
  const span: TimelineSpan = {
    id: str(r.id, `${path}.id`),
    name: str(r.name, `${path}.name`),
    parent: r.parent === null || r.parent === undefined ? null : str(r.parent, `${path}.parent`),
    start: num(r.start, `${path}.start`),
    state: oneOf(r.state, TASK_STATES, `${path}.state`),
  };
  const end = optNum(r.end, `${path}.end`);
  if (end !== undefined) span.end = end;
  const file = optStr(r.file, `${path}.file`);
  if (file !== undefined) span.file = file;
  const line = optNum(r.line, `${path}.line`);
  if (line !== undefined) span.line = line;
  const column = optNum(r.column, `${path}.column`);
  if (column !== undefined) span.column = column;
  return span;
}

function validateMarker(x: unknown, path: string): TimelineMarker {
  const r = record(x, path);
  const m: TimelineMarker = { t: num(r.t, `${path}.t`), kind: oneOf(r.kind, TIMELINE_MARKER_KINDS, `${path}.kind`), label: str(r.label, `${path}.label`) };
  const task = optStr(r.task, `${path}.task`);
  if (task !== undefined) m.task = task;
  return m;
}

function validateSessionInfo(x: unknown, path: string): ViewerSessionInfo {
  const r = record(x, path);
  return { state: oneOf(r.state, VIEWER_SESSION_STATES, `${path}.state`), title: str(r.title, `${path}.title`) };
}

/**
 * Every message the host posts to the viewer. The viewer checks each on arrival (a page is an
 * edge like any other); a scene batch's own messages are checked node by node when applied.
 */
export const TO_VIEWER = {
  scene: {
    doc: "scene messages, coalesced by the host, to apply together on the next frame",
    binary: true,
    validate: (m): SceneBatchMsg => ({ t: "scene", seq: num(m.seq, "host message.seq"), messages: arr(m.messages, "host message.messages") as SceneMessage[] }),
  },
  snapshot: {
    doc: "the whole scene as the host holds it, when the page (re)loads or a new run attaches",
    binary: true,
    // The scene itself is checked node by node when the viewer applies it.
    validate: (m): SnapshotMsg => ({
      t: "snapshot",
      scene: m.scene === null || m.scene === undefined ? null : (record(m.scene, "host message.scene") as SceneNode),
      session: validateSessionInfo(m.session, "host message.session"),
    }),
  },
  session: {
    doc: "the run changed state",
    binary: false,
    validate: (m): SessionMsg => ({ t: "session", session: validateSessionInfo(m.session, "host message.session") }),
  },
  rpc: {
    doc: "a render request from the program (vuer's GRAB_RENDER)",
    binary: false,
    validate: (m): RpcMsg => {
      const r = record(m.request, "host message.request");
      const data = isRecord(r.data) ? r.data : {};
      return { t: "rpc", request: { etype: "GRAB_RENDER", ts: num(r.ts, "host message.request.ts"), uuid: str(r.uuid, "host message.request.uuid"), rtype: str(r.rtype, "host message.request.rtype"), data } };
    },
  },
  select: {
    doc: "outline the node picked in the scene outliner, and frame it",
    binary: false,
    validate: (m): SelectMsg => ({ t: "select", key: m.key === null ? null : str(m.key, "host message.key"), frame: m.frame === true }),
  },
  timeline: {
    doc: "the timeline strip's data: the session's time, its tasks' spans, its markers",
    binary: false,
    validate: (m): TimelineMsg => ({
      t: "timeline",
      duration: num(m.duration, "host message.duration"),
      live: m.live === true,
      cursor: m.cursor === null || m.cursor === undefined ? null : num(m.cursor, "host message.cursor"),
      spans: arr(m.spans, "host message.spans").map((s, i) => validateSpan(s, `host message.spans[${i}]`)),
      markers: arr(m.markers, "host message.markers").map((x, i) => validateMarker(x, `host message.markers[${i}]`)),
      omitted: optNum(m.omitted, "host message.omitted") ?? 0,
      liveEpoch: optNum(m.liveEpoch, "host message.liveEpoch") ?? 0,
    }),
  },
} satisfies Table<"t", { scene: unknown; snapshot: unknown; session: unknown; rpc: unknown; select: unknown; timeline: unknown }>;

export type ToViewerMessage = MessageOf<typeof TO_VIEWER>;

export function validateToViewer(x: unknown): ToViewerMessage {
  const m = record(x, "host message");
  return validateBy(TO_VIEWER, m.t, "host message.t", m, NO_DROPS);
}

/** Every message the viewer posts to the host. */
export const FROM_VIEWER = {
  ready: { doc: "the page loaded and wants the current scene", binary: false, validate: (): ReadyMsg => ({ t: "ready" }) },
  event: {
    doc: "a user interaction or an RPC answer, for the program",
    binary: true,
    validate: (m): EventMsg => ({ t: "event", event: validateClientEvent(m.event) }),
  },
  warning: {
    doc: "something the viewer could not draw, with the node's key",
    binary: false,
    validate: (m): WarningMsg => {
      const w: WarningMsg = { t: "warning", message: str(m.message, "viewer message.message") };
      const key = optStr(m.key, "viewer message.key");
      if (key !== undefined) w.key = key;
      return w;
    },
  },
  stats: {
    doc: "periodic numbers for the status line, tests and benchmarks",
    binary: false,
    validate: (m): StatsMsg => ({
      t: "stats",
      fps: num(m.fps, "viewer message.fps"),
      nodes: num(m.nodes, "viewer message.nodes"),
      lastTs: num(m.lastTs, "viewer message.lastTs"),
    }),
  },
  applied: { doc: "every batch up to seq is drawn: the host may send more", binary: false, validate: (m): AppliedMsg => ({ t: "applied", seq: num(m.seq, "viewer message.seq") }) },
  rerun: { doc: "the Run again button of a finished run's viewer", binary: false, validate: (): RerunMsg => ({ t: "rerun" }) },
  seek: {
    doc: "the timeline moved: show the scene as it was then (null: the present)",
    binary: false,
    validate: (m): SeekMsg => {
      const seek: SeekMsg = { t: "seek", at: m.at === null ? null : num(m.at, "viewer message.at") };
      const epoch = optNum(m.epoch, "viewer message.epoch");
      if (epoch !== undefined) seek.epoch = epoch;
      return seek;
    },
  },
  openSource: {
    doc: "a task's span was clicked: open where the task was created",
    binary: false,
    validate: (m): OpenSourceMsg => {
      const o: OpenSourceMsg = { t: "openSource", file: str(m.file, "viewer message.file"), line: num(m.line, "viewer message.line") };
      const column = optNum(m.column, "viewer message.column");
      if (column !== undefined) o.column = column;
      return o;
    },
  },
  screenshot: {
    doc: "the screenshot button: a PNG of the view to save",
    binary: true,
    validate: (m): ScreenshotMsg => {
      if (!(m.png instanceof Uint8Array)) return fail("viewer message.png", "PNG bytes (Uint8Array)", m.png);
      return { t: "screenshot", png: m.png };
    },
  },
} satisfies Table<"t", { ready: unknown; event: unknown; warning: unknown; stats: unknown; applied: unknown; rerun: unknown; seek: unknown; openSource: unknown; screenshot: unknown }>;

export type FromViewerMessage = MessageOf<typeof FROM_VIEWER>;

export function validateFromViewer(x: unknown): FromViewerMessage {
  const m = record(x, "viewer message");
  return validateBy(FROM_VIEWER, m.t, "viewer message.t", m, NO_DROPS);
}

/** Viewer messages carry no scene nodes to drop (a batch's are checked when applied). */
const NO_DROPS = { onDrop: () => {} };
