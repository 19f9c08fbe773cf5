/**
 * The one place where a task suspends on a runtime future. It records the
 * future as the task's waiter, so `task.cancel()` can forward the request to
 * what the task is waiting on (asyncio's `_fut_waiter`), and it turns a pending
 * cancel request into CancelledError at the step boundary (asyncio's
 * `_must_cancel`): either before suspending, or on resumption when the future
 * finished before the request could reach it.
 *
 * The task resumes through a Waker queued among the future's done callbacks
 * (asyncio's Task.__wakeup): until that wake-up runs, the task still counts as
 * waiting on the future, so a cancel() in between is delivered at this wait
 * instead of being mistaken for a task stuck in a foreign promise.
 */
import { isCancelledError } from "./errors.js";
import { taskStorage } from "./current.js";
import type { Future } from "./future.js";
import { loop, type Runnable } from "./loop.js";
import type { Task } from "./task.js";

/** What a yielding task "waits on": nothing that a cancel can reach, so the request waits for the wake-up. */
const YIELDING = { cancel: () => false } as unknown as Future<unknown>;

/** A suspended task's wake-up: one object per suspension, no closures. */
class Waker<T> implements Runnable {
  _cancelled = false;
  constructor(
    private readonly task: Task<unknown>,
    /** What the task waits on; YIELDING for sleep(0). */
    private readonly fut: Future<T>,
    private readonly resolve: (v: T) => void,
    private readonly reject: (e: unknown) => void,
    private readonly value: T | undefined,
  ) {}

  _run(): void {
    const task = this.task;
    const fut = this.fut;
    if (task._waiter === fut) task._waiter = undefined;
    const late = task._takeCancelRequest();
    // The loop waits for this step to end before it runs the next callback of the turn.
    loop._stepping = task;
    if ((fut as unknown) === YIELDING) {
      if (late) this.reject(late);
      else this.resolve(this.value as T);
      return;
    }
    // The outcome read field by field: fut._outcome()'s pair was one more array per wake-up.
    // A cancelled future's own CancelledError wins over a cancel request that came meanwhile.
    if (fut.cancelled()) {
      this.reject(fut.makeCancelledError());
      return;
    }
    const error = fut._failure();
    if (late && (error === undefined || !isCancelledError(error))) this.reject(late);
    else if (error !== undefined) this.reject(error);
    else this.resolve(fut._value() as T);
  }
}

export function suspendOn<T>(fut: Future<T>): Promise<T> {
  const task = taskStorage.getStore();
  // A finished future is no suspension (asyncio's Future.__await__ returns at once): the step goes on.
  if (!task || (task as unknown) === fut || fut.done()) return fut.asPromise();
  // Also after an early "cancelled" mark: the task's code still gets its CancelledError here.
  const pending = task._takeCancelRequest();
  if (pending) return Promise.reject(pending);
  if (task.done()) return fut.asPromise();
  task._waiter = fut as Future<unknown>;
  const promise = new Promise<T>(capture);
  fut._addWaker(new Waker(task, fut, captured.resolve as (v: T) => void, captured.reject, undefined));
  loop._stepDone(task);
  return promise;
}

/**
 * sleep(0) inside a task: asyncio's bare `yield`. The task's next step is queued
 * directly (one turn, no future in between); a cancel meanwhile is delivered
 * when it resumes.
 */
export function yieldStep<T>(task: Task<unknown>, value: T): Promise<T> {
  const pending = task._takeCancelRequest();
  if (pending) return Promise.reject(pending);
  task._waiter = YIELDING;
  const promise = new Promise<T>(capture);
  loop.schedule(new Waker(task, YIELDING as Future<T>, captured.resolve as (v: T) => void, captured.reject, value));
  loop._stepDone(task);
  return promise;
}

// One shared executor instead of a closure per await: it parks the resolvers here for the caller.
const captured: { resolve: (v: unknown) => void; reject: (e: unknown) => void } = { resolve: () => {}, reject: () => {} };
function capture(resolve: (v: never) => void, reject: (e: unknown) => void): void {
  captured.resolve = resolve as (v: unknown) => void;
  captured.reject = reject;
}
