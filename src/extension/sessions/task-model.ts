/**
 * The tasks of one session as the runner reports them: who spawned whom, what
 * state each is in, when it started and ended, and how it failed. Pure (no
 * vscode), so the tree, the status bar and the tests all read the same model.
 */
import type { ErrorInfo, TaskInfo, TaskState } from "../../protocol/tasks.js";

export interface TaskRecord {
  readonly id: string;
  readonly name: string;
  /** The spawner, or null for a root (main, or a task whose spawner the runner hides). */
  readonly parent: string | null;
  /** Where the task was created (1-based line). */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  state: TaskState;
  readonly startedAt: number;
  endedAt?: number;
  error?: ErrorInfo;
  /** Child ids in spawn order. */
  readonly children: string[];
}

export interface TaskCounts {
  total: number;
  /** Tasks whose code still runs, cancelling ones included. */
  running: number;
  /** Of `running`, those asked to cancel and not yet out of their code. */
  cancelling: number;
  done: number;
  failed: number;
  cancelled: number;
}

export class TaskModel {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly rootIds: string[] = [];
  /**
   * Kept as tasks spawn and end (the only two mutations), not recounted: the tree and the
   * status bar read counts on every message, and a session may hold 100,000 tasks.
   */
  private readonly tally: TaskCounts = { total: 0, running: 0, cancelling: 0, done: 0, failed: 0, cancelled: 0 };

  get size(): number {
    return this.tasks.size;
  }

  get(id: string): TaskRecord | undefined {
    return this.tasks.get(id);
  }

  /** Every task, in no particular order. */
  all(): IterableIterator<TaskRecord> {
    return this.tasks.values();
  }

  roots(): TaskRecord[] {
    return this.rootIds.map((id) => this.tasks.get(id)!);
  }

  children(id: string): TaskRecord[] {
    return (this.tasks.get(id)?.children ?? []).map((c) => this.tasks.get(c)!);
  }

  /** A TASK_SPAWN. A repeated id (should not happen) keeps the first record. */
  spawn(info: TaskInfo, ts: number): TaskRecord {
    const existing = this.tasks.get(info.id);
    if (existing) return existing;
    // A parent we never heard of (a runner-internal task) makes this a root rather than an orphan.
    const parent = info.parent !== null && this.tasks.has(info.parent) ? info.parent : null;
    const record: TaskRecord = {
      id: info.id,
      name: info.name,
      parent,
      ...(info.file !== undefined ? { file: info.file } : {}),
      ...(info.line !== undefined ? { line: info.line } : {}),
      ...(info.column !== undefined ? { column: info.column } : {}),
      state: "running",
      startedAt: ts,
      children: [],
    };
    this.tasks.set(info.id, record);
    this.tally.total++;
    this.tally.running++;
    if (parent === null) this.rootIds.push(info.id);
    else this.tasks.get(parent)!.children.push(info.id);
    return record;
  }

  /**
   * A TASK_STATE. Returns false when nothing changed: an unknown task, a task
   * already finished (a task ends once, and a late "cancelled" must not
   * overwrite "failed"), or a second "cancelling". "cancelling" is the one
   * state between running and an end: the task's code has not exited yet. It can
   * go back to "running" when the task takes the cancel back (asyncio's uncancel:
   * a timeout or a task group that absorbed its own cancellation).
   */
  setState(id: string, state: TaskState, ts: number, error?: ErrorInfo): boolean {
    const t = this.tasks.get(id);
    if (!t || !isLive(t.state) || state === t.state) return false;
    if (state === "running" || state === "cancelling") {
      t.state = state;
      this.tally.cancelling += state === "cancelling" ? 1 : -1;
      return true;
    }
    if (t.state === "cancelling") this.tally.cancelling--;
    this.tally.running--;
    this.tally[state]++;
    t.state = state;
    t.endedAt = ts;
    if (error) t.error = error;
    return true;
  }

  /**
   * The process ended without reporting some tasks (killed after the grace period,
   * crashed): they did not finish on their own, so they count as cancelled.
   */
  endAll(ts: number): number {
    let n = 0;
    for (const t of this.tasks.values()) if (this.setState(t.id, "cancelled", ts)) n++;
    return n;
  }

  counts(): TaskCounts {
    return { ...this.tally };
  }

  /** Milliseconds the task has run: until now while running, until its end afterwards. */
  elapsedMs(t: TaskRecord, now: number): number {
    return Math.max(0, (t.endedAt ?? now) - t.startedAt);
  }
}

/** Running, or asked to cancel and still in its code. */
export function isLive(state: TaskState): state is "running" | "cancelling" {
  return state === "running" || state === "cancelling";
}

/** "0.4s", "12.3s", "3m 05s", "1h 02m": short enough for a tree description. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
