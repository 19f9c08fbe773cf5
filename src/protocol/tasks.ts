/**
 * Task lifecycle and log messages: our addition to vuer's vocabulary. A runner
 * reports every task the program spawns so the host can draw the task tree.
 */
import { fail, num, oneOf, optNum, optStr, record, str } from "./validate.js";

/**
 * "cancelling": a cancel was requested (delivered, or waiting for the task's next
 * await) and the task's code has not exited yet; it then ends in one of the last three.
 */
export const TASK_STATES = ["running", "cancelling", "done", "cancelled", "failed"] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Where something happened in the user's program (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** The innermost frame that belongs to the user's code (not the runtime). */
  location?: SourceLocation;
}

export interface TaskInfo {
  id: string;
  name: string;
  parent: string | null;
  file?: string;
  line?: number;
  column?: number;
}

export interface TaskSpawnMessage {
  etype: "TASK_SPAWN";
  ts: number;
  task: TaskInfo;
}

export interface TaskStateMessage {
  etype: "TASK_STATE";
  ts: number;
  task: { id: string; state: TaskState; error?: ErrorInfo };
}

export interface LogMessage {
  etype: "LOG";
  ts: number;
  stream: "stdout" | "stderr";
  text: string;
  task?: string;
}

export function validateLocation(x: unknown, path: string): SourceLocation {
  const r = record(x, path);
  const loc: SourceLocation = { file: str(r.file, `${path}.file`), line: num(r.line, `${path}.line`) };
  const column = optNum(r.column, `${path}.column`);
  if (column !== undefined) loc.column = column;
  return loc;
}

export function validateError(x: unknown, path: string): ErrorInfo {
  const r = record(x, path);
  const info: ErrorInfo = { name: str(r.name ?? "Error", `${path}.name`), message: str(r.message, `${path}.message`) };
  const stack = optStr(r.stack, `${path}.stack`);
  if (stack !== undefined) info.stack = stack;
  if (r.location !== undefined && r.location !== null) info.location = validateLocation(r.location, `${path}.location`);
  return info;
}

export function validateTaskInfo(x: unknown, path: string): TaskInfo {
  const r = record(x, path);
  const info: TaskInfo = {
    id: str(r.id, `${path}.id`),
    name: str(r.name, `${path}.name`),
    parent: r.parent === null || r.parent === undefined ? null : str(r.parent, `${path}.parent`),
  };
  const file = optStr(r.file, `${path}.file`);
  if (file !== undefined) info.file = file;
  const line = optNum(r.line, `${path}.line`);
  if (line !== undefined) info.line = line;
  const column = optNum(r.column, `${path}.column`);
  if (column !== undefined) info.column = column;
  return info;
}

export function validateTaskState(x: unknown, path: string): TaskStateMessage["task"] {
  const r = record(x, path);
  const out: TaskStateMessage["task"] = { id: str(r.id, `${path}.id`), state: oneOf(r.state, TASK_STATES, `${path}.state`) };
  if (r.error !== undefined && r.error !== null) out.error = validateError(r.error, `${path}.error`);
  if (out.state === "failed" && !out.error) fail(`${path}.error`, "error details for a failed task", r.error);
  return out;
}

