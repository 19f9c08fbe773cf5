/** sleep(ms): suspend the current task; a cancel request interrupts it with CancelledError. */
import { Future } from "./future.js";
import { loop, type Handle, type Runnable } from "./loop.js";
import { taskStorage } from "./current.js";
import { suspendOn, yieldStep } from "./suspend.js";

const noop = () => {};

/** The future is its own wake-up: no closure or extra handle per sleep (100,000 sleeping tasks are common). */
class SleepFuture<T> extends Future<T> implements Runnable {
  _cancelled = false;
  private timer: Handle | undefined;
  constructor(
    ms: number,
    private readonly value: T,
  ) {
    super();
    if (ms > 0) this.timer = loop.scheduleAt(ms, noop, undefined, this);
    else loop.schedule(this);
  }
  _run(): void {
    if (!this.done()) this.setResult(this.value);
  }
  override cancel(message?: string): boolean {
    // Drop the timer at once: 100,000 cancelled sleeps must not leave 100,000 timers behind.
    this._cancelled = true;
    this.timer?.cancel();
    return super.cancel(message);
  }
}

/** Milliseconds, as setTimeout. `sleep(0)` yields to every other ready task once. */
export function sleep(ms?: number): Promise<void>;
export function sleep<T>(ms: number, value: T): Promise<T>;
export function sleep<T>(ms = 0, value?: T): Promise<T | undefined> {
  if (!(ms > 0)) {
    const task = taskStorage.getStore();
    if (task) return yieldStep(task, value);
  }
  return suspendOn(new SleepFuture<T | undefined>(ms, value));
}
