/**
 * Repeated runs of the same code, folded into one row. An event handler runs as a
 * new task on every click (`on_click done · 0.0s` ×N), a loop spawns the same
 * worker again and again: siblings with the same name and the same creation site
 * are runs of one thing. From GROUP_MIN of them on, the tree shows one row per
 * such thing, with a count, every run still going and the last few that ended.
 * Pure (no vscode): the tree and the tests use the same rules.
 */
import type { TaskState } from "../../protocol/tasks.js";
import { isLive, type TaskRecord } from "../sessions/task-model.js";

/** Siblings of one kind from which on they are shown as one row. */
export const GROUP_MIN = 3;
/** Finished runs a group row lists (every live run is listed too). */
export const RUNS_SHOWN = 5;

type Site = Pick<TaskRecord, "name" | "file" | "line">;

/** What makes two sibling tasks runs of the same thing: their name and where they were created. */
export function runKey(t: Site): string {
  return `${t.name}\u0000${t.file ?? ""}:${t.line ?? ""}`;
}

export interface RunGroup {
  readonly kind: "runs";
  readonly key: string;
  readonly name: string;
  /** In spawn order. */
  readonly members: TaskRecord[];
}

/**
 * A parent's children as the tree lists them: a task alone, or a group in the
 * place of its kind's first run. One pass; children stay in spawn order.
 */
export function groupSiblings(children: readonly TaskRecord[]): Array<TaskRecord | RunGroup> {
  const byKey = new Map<string, TaskRecord[]>();
  for (const c of children) {
    const k = runKey(c);
    const list = byKey.get(k);
    if (list) list.push(c);
    else byKey.set(k, [c]);
  }
  const out: Array<TaskRecord | RunGroup> = [];
  for (const c of children) {
    const k = runKey(c);
    const members = byKey.get(k)!;
    if (members.length < GROUP_MIN) out.push(c);
    else if (members[0] === c) out.push({ kind: "runs", key: k, name: c.name, members });
  }
  return out;
}

/** The runs a group row lists: every one still going, then the last RUNS_SHOWN that ended, in spawn order. */
export function shownRuns(members: readonly TaskRecord[]): TaskRecord[] {
  let finishedLeft = RUNS_SHOWN;
  const keep = new Set<TaskRecord>();
  for (let i = members.length - 1; i >= 0; i--) {
    const t = members[i];
    if (isLive(t.state)) keep.add(t);
    else if (finishedLeft > 0) {
      keep.add(t);
      finishedLeft--;
    }
  }
  return members.filter((t) => keep.has(t));
}

export interface RunSummary {
  total: number;
  live: number;
  byState: Record<TaskState, number>;
  /** The latest run (spawn order). */
  last: TaskRecord;
}

export function summarise(members: readonly TaskRecord[]): RunSummary {
  const byState: Record<TaskState, number> = { running: 0, cancelling: 0, done: 0, cancelled: 0, failed: 0 };
  for (const t of members) byState[t.state]++;
  return { total: members.length, live: byState.running + byState.cancelling, byState, last: members[members.length - 1] };
}

/**
 * Counts of each kind among one parent's children, kept as tasks spawn, so the
 * tree knows in O(1) whether a task's row lives in a group (and which row to
 * redraw when it changes) without regrouping 100,000 siblings per message.
 */
export class SiblingKinds {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Records a spawn; returns how many of its kind its parent now has. */
  add(parent: string, t: Site): number {
    let m = this.counts.get(parent);
    if (!m) this.counts.set(parent, (m = new Map()));
    const k = runKey(t);
    const n = (m.get(k) ?? 0) + 1;
    m.set(k, n);
    return n;
  }

  count(parent: string, t: Site): number {
    return this.counts.get(parent)?.get(runKey(t)) ?? 0;
  }

  grouped(parent: string, t: Site): boolean {
    return this.count(parent, t) >= GROUP_MIN;
  }

  /** Forgets every parent whose key starts with `prefix` (a cleared session). */
  forget(prefix: string): void {
    for (const k of this.counts.keys()) if (k.startsWith(prefix)) this.counts.delete(k);
  }
}
