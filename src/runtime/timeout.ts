/**
 * timeout(ms, fn): run fn in the current task; if it takes longer, cancel it and
 * raise TimeoutError (asyncio.timeout). A cancel from outside still comes out
 * as CancelledError: only the cancellation this timeout caused is converted.
 *
 * As in asyncio's Timeout.__aexit__: once the deadline has fired, its cancel
 * request is withdrawn on the way out whatever fn did (even when fn finished
 * in the same turn, the request must not outlive the timeout and hit the
 * task's next await), and the CancelledError counts as ours only when no
 * request beyond those already pending at entry remains.
 */
import { isCancelledError, TimeoutError } from "./errors.js";
import { currentTask } from "./current.js";
import { loop } from "./loop.js";

export async function timeout<T>(ms: number, fn: () => T | PromiseLike<T>): Promise<T> {
  const task = currentTask();
  if (!task) throw new Error("timeout() must be called from inside a task (for example from main)");
  const cancellingAtEntry = task.cancelling();
  let expired = false;
  const handle = loop.callLater(ms, () => {
    expired = true;
    task.cancel(undefined, { soft: true });
  });
  let value: T;
  try {
    value = await fn();
  } catch (e) {
    handle.cancel();
    if (expired && task.uncancel() <= cancellingAtEntry && isCancelledError(e)) throw new TimeoutError(`timed out after ${ms} ms`);
    throw e;
  }
  handle.cancel();
  if (expired) task.uncancel();
  return value;
}
