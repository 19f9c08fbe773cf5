/**
 * The Node runner's session sink: task reports (TASK_SPAWN, and TASK_STATE but a failure's)
 * are collected into one TASK_BATCH (src/protocol/task-batch.ts) per burst of the loop
 * instead of one frame each; every other message goes on to `next` after the reports
 * made before it, so the host sees everything in the order the session said it.
 *
 * A burst is one turn of Node's loop (one turn of the runtime's loop, and all the task steps
 * it runs in microtasks): the first report of a burst goes out at once, as itself (a program
 * that then blocks in a busy loop has still reported its task), and the rest are collected
 * until the turn is over (setImmediate), or MAX_RECORDS. Not the end of the first report's
 * microtasks: the runtime runs each task's step after the previous one's microtasks, so that
 * would make a burst of every task that ends.
 */
import type { RunnerToHost } from "../../protocol/runner.js";
import { SPAWN, STATE, TASK_BATCH_MAX, type TaskBatchMessage } from "../../protocol/task-batch.js";
import { TASK_STATES, type TaskState, type TaskStateMessage } from "../../protocol/tasks.js";

/** Reports per batch at most: the contract's bound on one frame's share of the host's thread. */
const MAX_RECORDS = TASK_BATCH_MAX;

const stateIndex = new Map<TaskState, number>(TASK_STATES.map((s, i) => [s, i]));

export interface PipeSink {
  send(m: RunnerToHost): void;
}

export class TaskReportBatcher {
  private ts = 0;
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private kind: number[] = [];
  private id: string[] = [];
  private dt: number[] = [];
  private name: number[] = [];
  private parent: (string | null)[] = [];
  private file: number[] = [];
  private line: number[] = [];
  private column: number[] = [];
  private state: number[] = [];
  private flushQueued = false;

  constructor(
    /** Where every other message goes (the scene sink). */
    private readonly next: PipeSink,
    /** Where batches go (the channel: task reports may overtake scene updates held by `next`). */
    private readonly sendBatch: (m: TaskBatchMessage) => void,
  ) {}

  send(m: RunnerToHost): void {
    const report = m.etype === "TASK_SPAWN" || (m.etype === "TASK_STATE" && m.task.error === undefined);
    if (report && !this.flushQueued) {
      // A burst begins: this one at once, the rest of the burst batched.
      this.flushQueued = true;
      setImmediate(this.flushSoon);
      this.next.send(m);
      return;
    }
    if (!report) {
      this.flush();
      this.next.send(m);
      return;
    }
    if (m.etype === "TASK_SPAWN") {
      const t = m.task;
      this.record(SPAWN, t.id, m.ts);
      this.name.push(this.intern(t.name));
      this.parent.push(t.parent);
      this.file.push(t.file === undefined ? -1 : this.intern(t.file));
      this.line.push(t.line ?? 0);
      this.column.push(t.column ?? 0);
    } else {
      const change = m as TaskStateMessage;
      this.record(STATE, change.task.id, change.ts);
      this.state.push(stateIndex.get(change.task.state)!);
    }
    if (this.kind.length >= MAX_RECORDS) this.flush();
  }

  /** Sends the reports collected so far as one TASK_BATCH (nothing when there are none). */
  flush(): void {
    if (!this.kind.length) return;
    const batch: TaskBatchMessage = {
      etype: "TASK_BATCH",
      ts: this.ts,
      strings: this.strings,
      kind: this.kind,
      id: this.id,
      dt: this.dt,
      name: this.name,
      parent: this.parent,
      file: this.file,
      line: this.line,
      column: this.column,
      state: this.state,
    };
    // Fresh columns (the batch keeps these until it is encoded); the string table starts over too.
    this.strings = [];
    this.stringIds.clear();
    this.kind = [];
    this.id = [];
    this.dt = [];
    this.name = [];
    this.parent = [];
    this.file = [];
    this.line = [];
    this.column = [];
    this.state = [];
    this.sendBatch(batch);
  }

  private record(kind: number, id: string, ts: number): void {
    if (!this.kind.length) this.ts = ts;
    this.kind.push(kind);
    this.id.push(id);
    this.dt.push(ts - this.ts);
  }

  private readonly flushSoon = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  private intern(s: string): number {
    let i = this.stringIds.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, i);
    }
    return i;
  }
}
