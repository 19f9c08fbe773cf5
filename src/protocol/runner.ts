/**
 * The messages that cross the runner pipe: between a process running a user's
 * program (TypeScript or Python) and its supervisor (the CLI or the extension
 * host). One discriminated union per direction, tagged by `etype`.
 */
import { validateClientEvent, type ClientEvent } from "./events.js";
import { entryOf, validateBy, type Descriptor, type MessageOf, type Table } from "./descriptors.js";
import { validateSceneMessage, type OnDroppedNode, type RemoveMessage, type SceneMessage } from "./scene.js";
import {
  validateError,
  validateTaskInfo,
  validateTaskState,
  type ErrorInfo,
  type LogMessage,
  type TaskSpawnMessage,
  type TaskStateMessage,
} from "./tasks.js";
import { num, oneOf, optStr, record, str, isRecord, ProtocolError } from "./validate.js";

export type RuntimeKind = "node" | "python";
export const SESSION_OUTCOMES = ["done", "failed", "stopped"] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** First message of every session: who is running what. */
export interface SessionStartMessage {
  etype: "SESSION_START";
  ts: number;
  file: string;
  runtime: RuntimeKind;
  pid: number;
  /**
   * The runner paces its scene updates by the host's PIPE_ACKs (see PipeAckMessage): the host
   * sends them from then on. Absent (the Python runner today): the host sends none.
   */
  acks?: boolean;
}

/** Last message of every session. `error` is set when main (or the program) failed. */
export interface SessionEndMessage {
  etype: "SESSION_END";
  ts: number;
  status: SessionOutcome;
  error?: ErrorInfo;
}

/**
 * A program running on the user's installed vuer (not our bundled package): its own Vuer app
 * now listens here, and the host connects its vuer client to it. Sent once per listening
 * socket, by the Python runner's hook on vuer's server start (python/scene_runner/installed_vuer.py).
 */
export interface VuerServingMessage {
  etype: "VUER_SERVING";
  ts: number;
  /** The address the socket is bound to, as it says ("0.0.0.0", "127.0.0.1", "::"...). */
  host: string;
  port: number;
  /** The app serves over TLS (vuer's `cert`): wss://. */
  tls: boolean;
  /** The vuer package's directory, and its version where its package metadata says. */
  path: string;
  version?: string;
}

/** vuer's GRAB_RENDER RPC: the viewer answers with a ClientEvent whose etype is `rtype`. */
export interface GrabRenderRequest {
  etype: "GRAB_RENDER";
  ts: number;
  uuid: string;
  rtype: string;
  data: { quality?: number; downsample?: number; key?: string };
}

/** One key per message type of the runner pipe, runner to host (checked against RUNNER_TO_HOST). */
interface RunnerToHostShapes {
  SET: unknown;
  ADD: unknown;
  UPSERT: unknown;
  UPDATE: unknown;
  REMOVE: unknown;
  TASK_SPAWN: unknown;
  TASK_STATE: unknown;
  LOG: unknown;
  GRAB_RENDER: unknown;
  SESSION_START: unknown;
  SESSION_END: unknown;
  VUER_SERVING: unknown;
}

/** Every message a runner sends: derived from RUNNER_TO_HOST, so none exists without its validator. */
export type RunnerToHost = MessageOf<typeof RUNNER_TO_HOST>;

/** Ask the runner to cancel one task, exactly as `task.cancel()` would. */
export interface TaskCancelMessage {
  etype: "TASK_CANCEL";
  ts: number;
  id: string;
}

/** Ask the runner to end the session: cancel every task, let finally blocks run, exit. */
export interface StopMessage {
  etype: "STOP";
  ts: number;
}

/**
 * The runner pipe's flow control: the host has taken in (read, validated and handed on) this
 * many of the runner's frames since the session began, malformed ones included. Sent once per
 * turn of reading, only to a runner whose SESSION_START asked (`acks`). Such a runner sends a
 * scene update at once only while few of its frames are untaken, and otherwise folds it with
 * the others held (per node key; structural messages kept, in order) and sends what it holds
 * at the next ack: the host is never handed updates that are already frames old.
 */
export interface PipeAckMessage {
  etype: "PIPE_ACK";
  ts: number;
  frames: number;
}

export type HostToRunner = TaskCancelMessage | StopMessage | PipeAckMessage | ClientEvent;

export function isTaskCancel(m: HostToRunner): m is TaskCancelMessage {
  return m.etype === "TASK_CANCEL";
}
export function isStop(m: HostToRunner): m is StopMessage {
  return m.etype === "STOP";
}
/** The flow-control frame's etype (a channel takes these itself; they never reach its handlers). */
export const PIPE_ACK: PipeAckMessage["etype"] = "PIPE_ACK";

const sceneEntry = <E extends SceneMessage["etype"]>(doc: string): Descriptor<Extract<SceneMessage, { etype: E }>> => ({
  doc,
  binary: true,
  validate: (m, ctx) => validateSceneMessage(m, ctx.onDrop) as Extract<SceneMessage, { etype: E }>,
});

/** Every message a runner sends its host. `RunnerToHost` is derived from this table. */
export const RUNNER_TO_HOST = {
  SET: sceneEntry<"SET">("vuer: replace the whole scene with a Scene node"),
  ADD: sceneEntry<"ADD">("vuer: add nodes under a parent (or the scene)"),
  UPSERT: sceneEntry<"UPSERT">("vuer: merge props into the nodes with these keys, creating the missing ones"),
  UPDATE: sceneEntry<"UPDATE">("vuer: merge props into existing nodes only"),
  REMOVE: { doc: "vuer: remove nodes by key", binary: false, validate: (m, ctx) => validateSceneMessage(m, ctx.onDrop) as RemoveMessage },
  TASK_SPAWN: {
    doc: "a task started: id, name, spawner, creation site",
    binary: false,
    validate: (m): TaskSpawnMessage => ({ etype: "TASK_SPAWN", ts: num(m.ts, "message.ts"), task: validateTaskInfo(m.task, "message.task") }),
  },
  TASK_STATE: {
    doc: "a task is cancelling, or ended (done, cancelled, failed with its error)",
    binary: false,
    validate: (m): TaskStateMessage => ({ etype: "TASK_STATE", ts: num(m.ts, "message.ts"), task: validateTaskState(m.task, "message.task") }),
  },
  LOG: {
    doc: "text the program wrote that did not go to its own stdout/stderr",
    binary: false,
    validate: (m): LogMessage => {
      const log: LogMessage = {
        etype: "LOG",
        ts: num(m.ts, "message.ts"),
        stream: oneOf(m.stream, ["stdout", "stderr"] as const, "message.stream"),
        text: str(m.text, "message.text"),
      };
      const task = optStr(m.task, "message.task");
      if (task !== undefined) log.task = task;
      return log;
    },
  },
  GRAB_RENDER: {
    doc: "vuer's RPC: a picture of the view, answered by the viewer",
    binary: false,
    barrier: true,
    validate: (m): GrabRenderRequest => ({
      etype: "GRAB_RENDER",
      ts: num(m.ts, "message.ts"),
      uuid: str(m.uuid, "message.uuid"),
      rtype: str(m.rtype, "message.rtype"),
      data: isRecord(m.data) ? m.data : {},
    }),
  },
  SESSION_START: {
    doc: "first message of a session: the file, the runtime, the pid",
    binary: false,
    validate: (m): SessionStartMessage => ({
      etype: "SESSION_START",
      ts: num(m.ts, "message.ts"),
      file: str(m.file, "message.file"),
      runtime: oneOf(m.runtime, ["node", "python"] as const, "message.runtime"),
      pid: num(m.pid, "message.pid"),
      ...(m.acks === true ? { acks: true } : {}),
    }),
  },
  SESSION_END: {
    doc: "last message of a session: how it ended, and main's error",
    binary: false,
    barrier: true,
    validate: (m): SessionEndMessage => {
      const end: SessionEndMessage = { etype: "SESSION_END", ts: num(m.ts, "message.ts"), status: oneOf(m.status, SESSION_OUTCOMES, "message.status") };
      if (m.error !== undefined && m.error !== null) end.error = validateError(m.error, "message.error");
      return end;
    },
  },
  VUER_SERVING: {
    doc: "the program's own vuer server (installed vuer) listens: address, port, TLS, vuer's path and version",
    binary: false,
    validate: (m): VuerServingMessage => {
      const port = num(m.port, "message.port");
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ProtocolError(`message.port: not a TCP port (${port})`);
      const serving: VuerServingMessage = {
        etype: "VUER_SERVING",
        ts: num(m.ts, "message.ts"),
        host: str(m.host, "message.host"),
        port,
        tls: m.tls === true,
        path: str(m.path, "message.path"),
      };
      const version = optStr(m.version, "message.version");
      if (version !== undefined) serving.version = version;
      return serving;
    },
  },
} satisfies Table<"etype", RunnerToHostShapes>;

/** `onDrop` hears of each malformed node left out of a scene message (the rest of it applies). */
export function validateRunnerToHost(x: unknown, onDrop: OnDroppedNode): RunnerToHost {
  const m = record(x, "message");
  return validateBy(RUNNER_TO_HOST, m.etype, "message.etype", m, { onDrop });
}

/** The messages a host sends its runner, besides the viewer's events (an open set of etypes). */
export const HOST_TO_RUNNER = {
  TASK_CANCEL: {
    doc: "cancel one task, exactly as task.cancel() in the program",
    binary: false,
    validate: (m): TaskCancelMessage => ({ etype: "TASK_CANCEL", ts: num(m.ts ?? Date.now(), "message.ts"), id: str(m.id, "message.id") }),
  },
  STOP: {
    doc: "end the session: cancel every task, let finally blocks run, exit",
    binary: false,
    validate: (m): StopMessage => ({ etype: "STOP", ts: num(m.ts ?? Date.now(), "message.ts") }),
  },
  PIPE_ACK: {
    doc: "flow control: the host has taken in this many of the runner's frames (sent only to a runner that asked, SESSION_START.acks)",
    binary: false,
    validate: (m): PipeAckMessage => {
      const frames = num(m.frames, "message.frames");
      if (!Number.isSafeInteger(frames) || frames < 0) throw new ProtocolError(`message.frames: not a frame count (${frames})`);
      return { etype: "PIPE_ACK", ts: num(m.ts ?? Date.now(), "message.ts"), frames };
    },
  },
} satisfies Table<"etype", { TASK_CANCEL: unknown; STOP: unknown; PIPE_ACK: unknown }>;

/**
 * vuer's handshake: the INIT a client sends when it connects. A host sends it once, as the
 * run starts (its viewer is there from then on: the run's scene, which a panel shows when
 * it opens); a vuer program's session starts on it. `value` is what spawn filters match.
 */
export function viewerInit(viewer: "vscode" | "headless" | "snapshot"): ClientEvent {
  return { etype: "INIT", ts: Date.now(), value: { client: "browser", viewer } };
}

/** Whether held scene messages must go out before a message of this etype (see Descriptor.barrier). */
export function isBarrier(etype: string): boolean {
  const d: Descriptor<unknown> | undefined = entryOf(RUNNER_TO_HOST, etype);
  return d?.barrier === true;
}

/** Whether a message of this etype may carry typed arrays (unknown etypes: assume so). */
export function mayCarryBinary(etype: unknown): boolean {
  if (typeof etype !== "string") return true;
  const d = entryOf(RUNNER_TO_HOST, etype) ?? entryOf(HOST_TO_RUNNER, etype);
  return d ? d.binary : true;
}

export function validateHostToRunner(x: unknown): HostToRunner {
  const m = record(x, "message");
  const etype = str(m.etype, "message.etype");
  const d = entryOf(HOST_TO_RUNNER, etype);
  return d ? (d as Descriptor<HostToRunner>).validate(m, { onDrop: () => {} }) : validateClientEvent(m);
}
