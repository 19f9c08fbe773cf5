/** An asyncio.Event: tasks wait until some other code sets it. */
import { Future } from "./future.js";

export class Event {
  private waiters = new Set<Future<true>>();
  private flag = false;

  isSet(): boolean {
    return this.flag;
  }

  set(): void {
    if (this.flag) return;
    this.flag = true;
    for (const w of this.waiters) if (!w.done()) w.setResult(true);
    this.waiters.clear();
  }

  clear(): void {
    this.flag = false;
  }

  /** Resolves once set; a cancelled waiter leaves the event untouched. */
  async wait(): Promise<true> {
    if (this.flag) return true;
    const fut = new Future<true>();
    this.waiters.add(fut);
    try {
      return await fut;
    } finally {
      this.waiters.delete(fut);
    }
  }
}
