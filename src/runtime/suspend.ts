/**
 * The one place where a task suspends on a runtime future. It records the
 * future as the task's waiter, so `task.cancel()` can forward the request to
 * what the task is waiting on (asyncio's `_fut_waiter`), and it turns a pending
 * cancel request into CancelledError at the step boundary (asyncio's
 * `_must_cancel`): either before suspending, or on resumption when the future
 * finished before the request could reach it.
 */
import { isCancelledError } from "./errors.js";
import { taskStorage } from "./current.js";
import type { Future } from "./future.js";

export function suspendOn<T>(fut: Future<T>): Promise<T> {
  const task = taskStorage.getStore();
  if (!task || (task as unknown) === fut) return fut.asPromise();
  // Also after an early "cancelled" mark: the task's code still gets its CancelledError here.
  const pending = task._takeCancelRequest();
  if (pending) return Promise.reject(pending);
  if (task.done()) return fut.asPromise();
  task._waiter = fut as Future<unknown>;
  return fut.asPromise().then(
    (value) => {
      if (task._waiter === fut) task._waiter = undefined;
      const late = task._takeCancelRequest();
      if (late) throw late;
      return value;
    },
    (error) => {
      if (task._waiter === fut) task._waiter = undefined;
      const late = task._takeCancelRequest();
      if (late && !isCancelledError(error)) throw late;
      throw error;
    },
  );
}
