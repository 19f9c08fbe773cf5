/**
 * timeout(ms, fn): run fn in the current task; if it takes longer, cancel it and
 * raise TimeoutError (asyncio.timeout). A cancel from outside still comes out
 * as CancelledError: only the cancellation this timeout caused is converted.
 */
import { isCancelledError, TimeoutError } from "./errors.js";
import { currentTask } from "./current.js";
import { loop } from "./loop.js";

export async function timeout<T>(ms: number, fn: () => T | PromiseLike<T>): Promise<T> {
  const task = currentTask();
  if (!task) throw new Error("timeout() must be called from inside a task (for example from main)");
  let expired = false;
  const handle = loop.callLater(ms, () => {
    expired = true;
    task.cancel(undefined, { soft: true });
  });
  try {
    return await fn();
  } catch (e) {
    if (expired && isCancelledError(e) && task.uncancel() === 0) {
      throw new TimeoutError(`timed out after ${ms} ms`);
    }
    throw e;
  } finally {
    handle.cancel();
  }
}
