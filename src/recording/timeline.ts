/**
 * What a timeline needs of a session's tasks: one span per task (spawn → end, nested by
 * parent, with every state change) and markers for errors, cancels and client events. Built
 * from the same messages the task tree reads, on the recording's clock; pure.
 */
import type { ClientEvent } from "../protocol/events.js";
import type { RunnerToHost, SessionOutcome } from "../protocol/runner.js";
import type { ErrorInfo, TaskInfo, TaskState } from "../protocol/tasks.js";

export interface TaskSpan extends TaskInfo {
  /** t of TASK_SPAWN. */
  start: number;
  /** t of the end state, absent while the task runs. */
  end?: number;
  /** Every state, in order, from [start, "running"]. */
  states: Array<[number, TaskState]>;
  error?: ErrorInfo;
}

export type MarkerKind = "error" | "cancel" | "event" | "end";

export interface Marker {
  t: number;
  kind: MarkerKind;
  /** One line: what happened. */
  label: string;
  /** The task it belongs to, for errors and cancels. */
  task?: string;
  /** How the session ended, on the session's end marker. */
  session?: SessionOutcome;
}

/** A task as it was at one moment: its state then and how long it had run. */
export interface TaskAtTime extends TaskInfo {
  state: TaskState;
  start: number;
  elapsed: number;
  error?: ErrorInfo;
}

const ENDED = new Set<TaskState>(["done", "cancelled", "failed"]);

export class TaskTimeline {
  private readonly byId = new Map<string, TaskSpan>();
  private markerList: Marker[] = [];

  constructor(spans: TaskSpan[] = [], markers: Marker[] = []) {
    for (const s of spans) this.byId.set(s.id, s);
    this.markerList = markers.slice();
  }

  /** What a runner message means for the timeline (task spawns and states, the session's end). */
  message(t: number, m: RunnerToHost): void {
    if (m.etype === "TASK_SPAWN") this.spawn(t, m.task);
    else if (m.etype === "TASK_STATE") this.state(t, m.task.id, m.task.state, m.task.error);
    else if (m.etype === "SESSION_END") {
      const why = m.error ? `: ${m.error.name}: ${m.error.message}` : "";
      this.mark({ t, kind: m.status === "failed" ? "error" : "end", session: m.status, label: `session ${m.status}${why}` });
    }
  }

  /** A viewer event: a marker (camera moves come many a second: not worth one each). */
  event(t: number, e: ClientEvent): void {
    if (e.etype !== "CAMERA_MOVE") this.mark({ t, kind: "event", label: `${e.etype}${e.key !== undefined ? ` ${e.key}` : ""}` });
  }

  spawn(t: number, task: TaskInfo): void {
    this.byId.set(task.id, { ...task, start: t, states: [[t, "running"]] });
  }

  state(t: number, id: string, state: TaskState, error?: ErrorInfo): void {
    const span = this.byId.get(id);
    if (!span) return; // its spawn was dropped with older data, or never sent
    span.states.push([t, state]);
    if (ENDED.has(state)) span.end = t;
    if (error) span.error = error;
    if (state === "failed") this.markerList.push({ t, kind: "error", task: id, label: `${span.name} failed: ${error?.name ?? "Error"}: ${error?.message ?? ""}` });
    else if (state === "cancelled") this.markerList.push({ t, kind: "cancel", task: id, label: `${span.name} cancelled` });
  }

  mark(marker: Marker): void {
    this.markerList.push(marker);
  }

  spans(): TaskSpan[] {
    return [...this.byId.values()];
  }

  markers(): Marker[] {
    return this.markerList.slice();
  }

  get markerCount(): number {
    return this.markerList.length;
  }

  get count(): number {
    return this.byId.size;
  }

  /** Tasks spawned at or before `t`, each in the state it had then. */
  at(t: number): TaskAtTime[] {
    const out: TaskAtTime[] = [];
    for (const s of this.byId.values()) {
      if (s.start > t) continue;
      let state: TaskState = "running";
      for (const [when, st] of s.states) {
        if (when > t) break;
        state = st;
      }
      const ended = s.end !== undefined && s.end <= t;
      const { states: _states, end: _end, error, start, ...info } = s;
      const row: TaskAtTime = { ...info, state, start, elapsed: (ended ? s.end! : t) - start };
      if (ended && error) row.error = error;
      out.push(row);
    }
    return out;
  }

  /** Forgets what ended before `t` (data older than a bounded recording keeps). */
  prune(t: number): void {
    for (const [id, s] of this.byId) if (s.end !== undefined && s.end < t) this.byId.delete(id);
    if (this.markerList.length && this.markerList[0].t < t) this.markerList = this.markerList.filter((m) => m.t >= t);
  }
}
