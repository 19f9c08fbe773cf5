/**
 * TASK_BATCH: many task reports in one runner-pipe frame, in columns. A program that spawns
 * 100,000 tasks in a loop makes 200,000 TASK_SPAWN/TASK_STATE reports in about a second; one
 * JSON object and one frame each cost the runner more than the tasks themselves. The Node
 * runner collects the reports of one turn of Node's loop (2,048 at most) into one of these
 * instead (src/runner/node/task-reports.ts); any runner may send them.
 *
 * It exists on the pipe only: the host expands it (expandTaskBatch) into exactly the
 * TASK_SPAWN and TASK_STATE messages it stands for, in their order, so nothing past the
 * supervisor (task tree, recordings, `run --events`) ever sees it. A failed task's report
 * (it carries its error) is never batched.
 *
 *   kind[i]   0: a spawn, 1: a state change (the i-th report)
 *   id[i]     its task; dt[i] its time in ms after the message's ts
 *   spawns, in report order: name[k] and file[k] index `strings` (file -1: none),
 *     parent[k] (null: none), line[k] and column[k] (0: none; both are 1-based)
 *   state changes, in report order: state[k] indexes TASK_STATES
 */
import type { MessageOf, Table } from "./descriptors.js";
import { validateRunnerToHost, type RunnerToHost } from "./runner.js";
import type { OnDroppedNode } from "./scene.js";
import { TASK_STATES, type TaskInfo, type TaskSpawnMessage, type TaskStateMessage } from "./tasks.js";
import { fail, num, record } from "./validate.js";

export interface TaskBatchMessage {
  etype: "TASK_BATCH";
  ts: number;
  strings: string[];
  kind: number[];
  id: string[];
  dt: number[];
  name: number[];
  parent: (string | null)[];
  file: number[];
  line: number[];
  column: number[];
  state: number[];
}

export const SPAWN = 0;
export const STATE = 1;

/**
 * Reports per batch at most, for every runner. The host expands a batch in one go (the task
 * model, the tree, the recorder: about 20 µs a report) and its channel yields to other work
 * only between frames, so one frame must stay a few milliseconds of the host's thread: 256
 * reports is about 5 ms (2,048 held it for 50 ms under a 30,000-task burst). The runner barely
 * notices: 400 frames for 100,000 reports.
 */
export const TASK_BATCH_MAX = 256;

function column<T>(m: Record<string, unknown>, key: string, length: number, ok: (x: unknown) => boolean, expected: string): T[] {
  const xs = m[key];
  if (!Array.isArray(xs) || xs.length !== length) fail(`message.${key}`, `an array of ${length}`, xs);
  for (let i = 0; i < xs.length; i++) if (!ok(xs[i])) fail(`message.${key}[${i}]`, expected, xs[i]);
  return xs as T[];
}

const isIndex = (n: number) => (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
const isCount = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;

export function validateTaskBatch(m: Record<string, unknown>): TaskBatchMessage {
  const ts = num(m.ts, "message.ts");
  const kinds = m.kind;
  if (!Array.isArray(kinds)) fail("message.kind", "an array", kinds);
  let spawns = 0;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] === SPAWN) spawns++;
    else if (kinds[i] !== STATE) fail(`message.kind[${i}]`, "0 (spawn) or 1 (state)", kinds[i]);
  }
  const n = kinds.length;
  const strings = m.strings;
  if (!Array.isArray(strings)) fail("message.strings", "an array", strings);
  for (let i = 0; i < strings.length; i++) if (typeof strings[i] !== "string") fail(`message.strings[${i}]`, "a string", strings[i]);
  const isString = (x: unknown) => typeof x === "string";
  return {
    etype: "TASK_BATCH",
    ts,
    strings: strings as string[],
    kind: kinds as number[],
    id: column(m, "id", n, isString, "a task id"),
    dt: column(m, "dt", n, (x) => typeof x === "number" && Number.isFinite(x), "a finite number"),
    name: column(m, "name", spawns, isIndex(strings.length), "an index into strings"),
    parent: column(m, "parent", spawns, (x) => x === null || typeof x === "string", "a task id or null"),
    file: column(m, "file", spawns, (x) => x === -1 || isIndex(strings.length)(x), "an index into strings or -1"),
    line: column(m, "line", spawns, isCount, "a line (0: none)"),
    column: column(m, "column", spawns, isCount, "a column (0: none)"),
    state: column(m, "state", n - spawns, isIndex(TASK_STATES.length), `an index into ${TASK_STATES.join("|")}`),
  };
}

/** The TASK_SPAWN and TASK_STATE messages a (validated) batch stands for, in their order. */
export function expandTaskBatch(b: TaskBatchMessage): Array<TaskSpawnMessage | TaskStateMessage> {
  const out: Array<TaskSpawnMessage | TaskStateMessage> = new Array(b.kind.length);
  let s = 0;
  let c = 0;
  for (let i = 0; i < b.kind.length; i++) {
    const ts = b.ts + b.dt[i];
    if (b.kind[i] === SPAWN) {
      // The key order of the runner's own TASK_SPAWN (recordings and --events files read the same).
      const task: TaskInfo = { id: b.id[i], name: b.strings[b.name[s]], parent: b.parent[s] };
      if (b.file[s] >= 0) task.file = b.strings[b.file[s]];
      if (b.line[s] > 0) task.line = b.line[s];
      if (b.column[s] > 0) task.column = b.column[s];
      out[i] = { etype: "TASK_SPAWN", ts, task };
      s++;
    } else {
      out[i] = { etype: "TASK_STATE", ts, task: { id: b.id[i], state: TASK_STATES[b.state[c++]] } };
    }
  }
  return out;
}

/**
 * Messages that only the runner pipe carries (the supervisor expands them): their own table,
 * so RunnerToHost, what every receiver past the supervisor switches over, stays as it is.
 */
export const RUNNER_PIPE_ONLY = {
  TASK_BATCH: {
    doc: "many task reports (spawns and state changes but failures) in columns, expanded by the host",
    binary: false,
    validate: (m): TaskBatchMessage => validateTaskBatch(m),
  },
} satisfies Table<"etype", { TASK_BATCH: unknown }>;

export type RunnerPipeOnly = MessageOf<typeof RUNNER_PIPE_ONLY>;

/** What the runner pipe carries, runner to host: a RunnerToHost message, or a pipe-only one. */
export type RunnerPipeMessage = RunnerToHost | RunnerPipeOnly;

/** validateRunnerToHost, plus the pipe-only messages (the supervisor's validator). */
export function validateRunnerPipe(x: unknown, onDrop: OnDroppedNode): RunnerPipeMessage {
  const m = record(x, "message");
  return m.etype === "TASK_BATCH" ? RUNNER_PIPE_ONLY.TASK_BATCH.validate(m) : validateRunnerToHost(m, onDrop);
}
