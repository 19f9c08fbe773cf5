/**
 * The loop's notion of time. The real clock is performance.now(); a virtual
 * clock (for tests, like asyncio's test loop) has no wall time at all: when
 * nothing is ready to run, the loop moves it straight to the next timer, so a
 * test's interleaving depends only on its deadlines, never on machine load.
 */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /**
   * Virtual clocks only: move time forward to `when`. The loop calls it when
   * nothing is ready and the earliest timer is due at `when`; a clock without
   * it is waited on with a real Node timer.
   */
  advanceTo?(when: number): void;
}

export const realClock: Clock = { now: () => performance.now() };

/** Time that passes only when the loop is idle: it jumps to the next deadline. */
export class VirtualClock implements Clock {
  private t: number;
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  advanceTo(when: number): void {
    if (when > this.t) this.t = when;
  }
}
