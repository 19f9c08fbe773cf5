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
  const promise = new Promise<T>(capture);
  const resolve = captured.resolve as (v: T) => void;
  const reject = captured.reject;
  fut._onSettle((f) => {
    if (task._waiter === f) task._waiter = undefined;
    const [ok, value] = f._outcome();
    const late = task._takeCancelRequest();
    if (late && (ok || !isCancelledError(value))) reject(late);
    else if (ok) resolve(value as T);
    else reject(value);
  });
  return promise;
}

// One shared executor instead of a closure per await: it parks the resolvers here for the caller.
const captured: { resolve: (v: unknown) => void; reject: (e: unknown) => void } = { resolve: () => {}, reject: () => {} };
function capture(resolve: (v: never) => void, reject: (e: unknown) => void): void {
  captured.resolve = resolve as (v: unknown) => void;
  captured.reject = reject;
}
