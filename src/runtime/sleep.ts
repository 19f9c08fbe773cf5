/** sleep(ms): suspend the current task; a cancel request interrupts it with CancelledError. */
import { Future } from "./future.js";
import { loop, type Handle } from "./loop.js";
import { suspendOn } from "./suspend.js";

class SleepFuture<T> extends Future<T> {
  handle: Handle | undefined;
  override cancel(message?: string): boolean {
    // Drop the timer at once: 100,000 cancelled sleeps must not leave 100,000 timers behind.
    this.handle?.cancel();
    return super.cancel(message);
  }
}

/** Milliseconds, as setTimeout. `sleep(0)` yields to every other ready task once. */
export function sleep(ms?: number): Promise<void>;
export function sleep<T>(ms: number, value: T): Promise<T>;
export function sleep<T>(ms = 0, value?: T): Promise<T | undefined> {
  const fut = new SleepFuture<T | undefined>();
  const wake = () => {
    if (!fut.done()) fut.setResult(value);
  };
  fut.handle = ms > 0 ? loop.callLater(ms, wake) : loop.callSoon(wake);
  return suspendOn(fut);
}
