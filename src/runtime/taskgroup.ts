/**
 * Structured concurrency, like asyncio.TaskGroup: `await taskGroup(async tg => { tg.spawn(...) })`
 * returns only when every child has finished. When a child fails, its siblings
 * and the body are cancelled, and all failures come out together as one
 * AggregateError (the JavaScript form of an exception group).
 */
import { CancelledError, isCancelledError } from "./errors.js";
import { currentTask } from "./current.js";
import { Future } from "./future.js";
import { spawnHere } from "./spawn.js";
import type { Task } from "./task.js";

export class TaskGroup {
  private readonly tasks = new Set<Task<unknown>>();
  private readonly errors: unknown[] = [];
  private aborting = false;
  private exiting = false;
  private parentCancelRequested = false;
  private allDone: Future<void> | undefined;

  constructor(private readonly parent: Task<unknown>) {}

  /** Starts a child task that the group waits for. */
  spawn<T>(fn: () => T | PromiseLike<T>, options: { name?: string } = {}): Task<T> {
    if (this.exiting && this.tasks.size === 0) throw new Error("TaskGroup is finished: spawn inside its body");
    if (this.aborting) throw new Error("TaskGroup is shutting down: a sibling failed");
    const task = spawnHere(fn, options);
    this.tasks.add(task as Task<unknown>);
    task.addDoneCallback((t) => this.onTaskDone(t as Task<unknown>));
    return task;
  }

  get size(): number {
    return this.tasks.size;
  }

  private abort(): void {
    this.aborting = true;
    for (const t of this.tasks) if (!t.done()) t.cancel(undefined, { soft: true });
  }

  private onTaskDone(task: Task<unknown>): void {
    this.tasks.delete(task);
    if (this.tasks.size === 0 && this.allDone && !this.allDone.done()) this.allDone.setResult();
    if (task.cancelled()) return;
    const exc = task.exception();
    if (exc === undefined) return;
    this.errors.push(exc);
    if (!this.aborting) {
      this.abort();
      // Interrupt the body too, unless it has already finished; the CancelledError is absorbed at exit.
      if (!this.exiting && !this.parent.done()) {
        this.parentCancelRequested = true;
        this.parent.cancel(undefined, { soft: true });
      }
    }
  }

  /** @internal waits for the children once the body has finished (or failed with `bodyError`). */
  async _exit(bodyError: unknown, bodyFailed: boolean): Promise<void> {
    this.exiting = true;
    let propagateCancel: CancelledError | undefined;
    if (bodyFailed && isCancelledError(bodyError)) propagateCancel = bodyError as CancelledError;
    if (bodyFailed && !this.aborting) this.abort();
    while (this.tasks.size) {
      this.allDone = new Future<void>();
      try {
        await this.allDone;
      } catch (e) {
        if (!isCancelledError(e)) throw e;
        if (!this.parentCancelRequested) propagateCancel = e as CancelledError;
        this.abort();
      }
    }
    this.allDone = undefined;
    // We cancelled the body only to stop it; once that request is withdrawn it must not escape.
    if (this.parentCancelRequested && this.parent.uncancel() === 0) propagateCancel = undefined;
    if (propagateCancel && !this.errors.length) throw propagateCancel;
    if (bodyFailed && !isCancelledError(bodyError)) this.errors.push(bodyError);
    if (this.errors.length) {
      const n = this.errors.length;
      throw new AggregateError(this.errors, `unhandled errors in a TaskGroup (${n} sub-exception${n === 1 ? "" : "s"})`);
    }
  }
}

export async function taskGroup<T>(body: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
  const parent = currentTask();
  if (!parent) throw new Error("taskGroup() must be called from inside a task (for example from main)");
  const tg = new TaskGroup(parent);
  let result: T | undefined;
  let bodyError: unknown;
  let bodyFailed = false;
  try {
    result = await body(tg);
  } catch (e) {
    bodyError = e;
    bodyFailed = true;
  }
  await tg._exit(bodyError, bodyFailed);
  if (bodyFailed) throw bodyError;
  return result as T;
}
