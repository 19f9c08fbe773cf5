/**
 * The messages that cross the runner pipe: between a process running a user's
 * program (TypeScript or Python) and its supervisor (the CLI or the extension
 * host). One discriminated union per direction, tagged by `etype`.
 */
import { validateClientEvent, type ClientEvent } from "./events.js";
import { validateSceneMessage, SCENE_ETYPES, type OnDroppedNode, type SceneMessage } from "./scene.js";
import {
  validateError,
  validateTaskInfo,
  validateTaskState,
  type ErrorInfo,
  type LogMessage,
  type TaskSpawnMessage,
  type TaskStateMessage,
} from "./tasks.js";
import { fail, num, oneOf, optStr, record, str, isRecord } from "./validate.js";

export type RuntimeKind = "node" | "python";
export type SessionOutcome = "done" | "failed" | "stopped";

/** First message of every session: who is running what. */
export interface SessionStartMessage {
  etype: "SESSION_START";
  ts: number;
  file: string;
  runtime: RuntimeKind;
  pid: number;
}

/** Last message of every session. `error` is set when main (or the program) failed. */
export interface SessionEndMessage {
  etype: "SESSION_END";
  ts: number;
  status: SessionOutcome;
  error?: ErrorInfo;
}

/** vuer's GRAB_RENDER RPC: the viewer answers with a ClientEvent whose etype is `rtype`. */
export interface GrabRenderRequest {
  etype: "GRAB_RENDER";
  ts: number;
  uuid: string;
  rtype: string;
  data: { quality?: number; downsample?: number; key?: string };
}

export type RunnerToHost =
  | SceneMessage
  | TaskSpawnMessage
  | TaskStateMessage
  | LogMessage
  | GrabRenderRequest
  | SessionStartMessage
  | SessionEndMessage;

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

export type HostToRunner = TaskCancelMessage | StopMessage | ClientEvent;

export function isTaskCancel(m: HostToRunner): m is TaskCancelMessage {
  return m.etype === "TASK_CANCEL";
}
export function isStop(m: HostToRunner): m is StopMessage {
  return m.etype === "STOP";
}

/** `onDrop` hears of each malformed node left out of a scene message (the rest of it applies). */
export function validateRunnerToHost(x: unknown, onDrop: OnDroppedNode): RunnerToHost {
  const m = record(x, "message");
  const etype = str(m.etype, "message.etype");
  if ((SCENE_ETYPES as readonly string[]).includes(etype)) return validateSceneMessage(m, onDrop);
  const ts = num(m.ts, "message.ts");
  switch (etype) {
    case "TASK_SPAWN":
      return { etype, ts, task: validateTaskInfo(m.task, "message.task") };
    case "TASK_STATE":
      return { etype, ts, task: validateTaskState(m.task, "message.task") };
    case "LOG": {
      const log: LogMessage = {
        etype,
        ts,
        stream: oneOf(m.stream, ["stdout", "stderr"] as const, "message.stream"),
        text: str(m.text, "message.text"),
      };
      const task = optStr(m.task, "message.task");
      if (task !== undefined) log.task = task;
      return log;
    }
    case "GRAB_RENDER": {
      const data = isRecord(m.data) ? m.data : {};
      return { etype, ts, uuid: str(m.uuid, "message.uuid"), rtype: str(m.rtype, "message.rtype"), data };
    }
    case "SESSION_START":
      return {
        etype,
        ts,
        file: str(m.file, "message.file"),
        runtime: oneOf(m.runtime, ["node", "python"] as const, "message.runtime"),
        pid: num(m.pid, "message.pid"),
      };
    case "SESSION_END": {
      const end: SessionEndMessage = {
        etype,
        ts,
        status: oneOf(m.status, ["done", "failed", "stopped"] as const, "message.status"),
      };
      if (m.error !== undefined && m.error !== null) end.error = validateError(m.error, "message.error");
      return end;
    }
    default:
      return fail("message.etype", "a scene, task, log, render or session message", etype);
  }
}

export function validateHostToRunner(x: unknown): HostToRunner {
  const m = record(x, "message");
  const etype = str(m.etype, "message.etype");
  if (etype === "TASK_CANCEL") return { etype, ts: num(m.ts ?? Date.now(), "message.ts"), id: str(m.id, "message.id") };
  if (etype === "STOP") return { etype, ts: num(m.ts ?? Date.now(), "message.ts") };
  return validateClientEvent(m);
}
