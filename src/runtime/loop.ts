/**
 * The event loop the runtime schedules on, modelled on asyncio's: a FIFO of
 * ready callbacks (callSoon) and a heap of timers (callLater), driven by Node's
 * own loop. All ready callbacks of one turn run together in one macrotask, in
 * the order they were scheduled; timers that fall due are moved to the ready
 * queue in deadline order (ties in scheduling order). One Node timer is armed at
 * a time, for the earliest deadline, so 100,000 sleeping tasks cost one timer.
 */
export type Callback = (...args: any[]) => unknown;

export interface Handle {
  cancel(): void;
  cancelled(): boolean;
}

/** Anything the loop can run: a callback handle, a task's first step, a zero sleep's wake-up. */
export interface Runnable {
  _cancelled: boolean;
  _run(): void;
}

class ReadyHandle implements Handle, Runnable {
  _cancelled = false;
  constructor(
    readonly fn: Callback,
    readonly args: unknown[] | undefined,
  ) {}
  _run(): void {
    if (this.args && this.args.length) this.fn(...this.args);
    else this.fn();
  }
  cancel(): void {
    this._cancelled = true;
  }
  cancelled(): boolean {
    return this._cancelled;
  }
}

export class TimerHandle extends ReadyHandle {
  /** False once the loop took it off the heap (fired, or swept): cancelling it then changes no count. */
  _inHeap = true;
  constructor(
    readonly when: number,
    readonly seq: number,
    fn: Callback,
    args: unknown[] | undefined,
    private readonly loop: EventLoop,
    /** Run this instead of fn (a sleep wakes its own future: no closure per sleep). */
    private readonly target?: Runnable,
  ) {
    super(fn, args);
  }
  override _run(): void {
    if (this.target) this.target._run();
    else super._run();
  }
  override cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    // A handle cancelled after it fired (timeout()'s finally, say) is not in the heap any more.
    if (this._inHeap) this.loop._timerCancelled();
  }
}

export class EventLoop {
  private ready: Runnable[] = [];
  private timers: TimerHandle[] = []; // binary min-heap on (when, seq)
  private cancelledTimers = 0;
  private seq = 0;
  private drainScheduled = false;
  private armedFor = Infinity;
  private nodeTimer: NodeJS.Timeout | undefined;

  /** Milliseconds on a monotonic clock. */
  time(): number {
    return performance.now();
  }

  callSoon(fn: Callback, ...args: unknown[]): Handle {
    const h = new ReadyHandle(fn, args);
    this.schedule(h);
    return h;
  }

  callLater(delayMs: number, fn: Callback, ...args: unknown[]): Handle {
    return this.scheduleAt(delayMs, fn, args);
  }

  /** @internal queues an object to run on the next turn (tasks starting, zero sleeps). */
  schedule(r: Runnable): void {
    this.ready.push(r);
    this.scheduleDrain();
  }

  /** @internal a timer that runs `target._run()`, or `fn(...args)`. */
  scheduleAt(delayMs: number, fn: Callback, args: unknown[] | undefined, target?: Runnable): Handle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const h = new TimerHandle(this.time() + delay, this.seq++, fn, args, this, target);
    this.heapPush(h);
    this.arm();
    return h;
  }

  _timerCancelled(): void {
    this.cancelledTimers++;
    // Many cancelled timers (100,000 cancelled sleeps) are swept at once rather than one by one.
    if (this.cancelledTimers > 1024 && this.cancelledTimers * 2 > this.timers.length) {
      const live: TimerHandle[] = [];
      for (const t of this.timers) {
        if (t._cancelled) t._inHeap = false;
        else live.push(t);
      }
      this.timers = live;
      this.cancelledTimers = 0;
      this.heapify();
    }
    if (this.timers.length === this.cancelledTimers) this.disarm();
  }

  private scheduleDrain(): void {
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(this.drain);
    }
  }

  private drain = (): void => {
    this.drainScheduled = false;
    this.collectDueTimers();
    const batch = this.ready;
    this.ready = [];
    for (const h of batch) {
      if (h._cancelled) continue;
      try {
        h._run();
      } catch (e) {
        // One failing callback must not stop the others; the error still surfaces as uncaught.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    if (this.ready.length) this.scheduleDrain();
    this.arm();
  };

  private collectDueTimers(): void {
    const now = this.time();
    while (this.timers.length) {
      const top = this.timers[0];
      if (top._cancelled) {
        this.heapPop();
        this.cancelledTimers--;
        continue;
      }
      if (top.when > now + 0.5) break; // timers fire up to half a millisecond early, like asyncio's clock resolution
      this.heapPop();
      this.ready.push(top);
    }
  }

  private arm(): void {
    while (this.timers.length && this.timers[0]._cancelled) {
      this.heapPop();
      this.cancelledTimers--;
    }
    if (!this.timers.length) return this.disarm();
    const when = this.timers[0].when;
    if (when === this.armedFor && this.nodeTimer) return;
    this.disarm();
    this.armedFor = when;
    this.nodeTimer = setTimeout(() => {
      this.nodeTimer = undefined;
      this.armedFor = Infinity;
      this.scheduleDrain();
    }, Math.max(0, when - this.time()));
  }

  private disarm(): void {
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.armedFor = Infinity;
  }

  private less(a: TimerHandle, b: TimerHandle): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  private heapPush(h: TimerHandle): void {
    const t = this.timers;
    t.push(h);
    let i = t.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(t[i], t[p])) break;
      [t[i], t[p]] = [t[p], t[i]];
      i = p;
    }
  }

  private heapPop(): TimerHandle {
    const t = this.timers;
    const top = t[0];
    top._inHeap = false;
    const last = t.pop()!;
    if (t.length) {
      t[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number): void {
    const t = this.timers;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < t.length && this.less(t[l], t[m])) m = l;
      if (r < t.length && this.less(t[r], t[m])) m = r;
      if (m === i) return;
      [t[i], t[m]] = [t[m], t[i]];
      i = m;
    }
  }

  private heapify(): void {
    for (let i = (this.timers.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
}

/** The process's loop: scene programs in one process share it, as asyncio programs share theirs. */
export const loop = new EventLoop();
