/** sleep(ms): suspend the current task; a cancel request interrupts it with CancelledError. */
import { Future } from "./future.js";
import { loop, type EventLoop, type TimerEntry } from "./loop.js";
import { taskStorage } from "./current.js";
import { suspendOn, yieldStep } from "./suspend.js";

/**
 * The future is its own wake-up and its own timer entry: no closure or handle per sleep
 * (100,000 sleeping tasks are common; a handle was ~90 bytes more of each).
 */
class SleepFuture<T> extends Future<T> implements TimerEntry {
  _cancelled = false;
  _inHeap = false;
  readonly when: number = 0;
  readonly seq: number = 0;
  /** The loop it waits on (tests swap loops; a cancel must reach the one holding it). */
  private readonly loop: EventLoop;
  constructor(
    ms: number,
    private readonly value: T,
  ) {
    super();
    this.loop = loop;
    if (ms > 0) {
      this.when = loop._deadline(ms);
      this.seq = loop._timerSeq();
      this._inHeap = true;
      loop._addTimer(this);
    } else loop.schedule(this);
  }
  _run(): void {
    if (!this.done()) this.setResult(this.value);
  }
  override cancel(message?: string): boolean {
    // Off the timer heap's count at once: 100,000 cancelled sleeps are swept, not left to fire.
    if (!this._cancelled) {
      this._cancelled = true;
      if (this._inHeap) this.loop._timerCancelled();
    }
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
