/**
 * The event loop the runtime schedules on, modelled on asyncio's: a FIFO of
 * ready callbacks (callSoon) and a heap of timers (callLater), driven by Node's
 * own loop. A turn runs the callbacks that were ready when it began, in the
 * order they were scheduled; timers that fall due are moved to the ready queue
 * in deadline order (ties in scheduling order). A task's wake-up is one such
 * callback, and the turn waits for the step it starts before running the next
 * one, so a step is atomic as in asyncio (see _stepping). One Node timer is
 * armed at a time, for the earliest deadline, so 100,000 sleeping tasks cost one
 * timer; with a virtual clock (clock.ts) none is: time jumps to the next deadline.
 * Callbacks run as no task (asyncio: current_task() is None in a callback).
 */
import { realClock, type Clock } from "./clock.js";
import { outsideTasks, taskStorage } from "./current.js";

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

/** A future's done callback on its way: the callback and its one argument (no rest array, no handle). */
class CallbackRun implements Runnable {
  _cancelled = false;
  constructor(
    readonly fn: (arg: any) => unknown,
    readonly arg: unknown,
  ) {}
  _run(): void {
    this.fn(this.arg);
  }
}

/**
 * What the timer heap holds: something to run at a deadline. A sleep is its own entry (see
 * sleep.ts: no handle object per sleep, 100,000 sleeping tasks are common); callLater's are handles.
 */
export interface TimerEntry extends Runnable {
  readonly when: number;
  /** Ties between equal deadlines go in scheduling order. */
  readonly seq: number;
  /** False once the loop took it off the heap (fired, or swept): cancelling it then changes no count. */
  _inHeap: boolean;
}

export class TimerHandle extends ReadyHandle implements TimerEntry {
  _inHeap = true;
  constructor(
    readonly when: number,
    readonly seq: number,
    fn: Callback,
    args: unknown[] | undefined,
    private readonly loop: EventLoop,
  ) {
    super(fn, args);
  }
  override cancel(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    // A handle cancelled after it fired (timeout()'s finally, say) is not in the heap any more.
    if (this._inHeap) this.loop._timerCancelled();
  }
}

export interface EventLoopOptions {
  /** Where time comes from (default: performance.now()). A VirtualClock makes every test run the same. */
  clock?: Clock;
}

/** Anything whose step the loop waits for before it runs the next ready callback (a task). */
export type Stepper = object;

const NO_BATCH: Runnable[] = [];

export class EventLoop {
  readonly clock: Clock;
  private ready: Runnable[] = [];
  private timers: TimerEntry[] = []; // binary min-heap on (when, seq)
  private cancelledTimers = 0;
  private seq = 0;
  private drainScheduled = false;
  private armedFor = Infinity;
  private nodeTimer: NodeJS.Timeout | undefined;
  /** The turn being run, and how far it got. */
  private batch: Runnable[] = NO_BATCH;
  private index = 0;
  /** True while runBatch is on the stack: a step that ends synchronously just lets it go on. */
  private inBatch = false;
  /**
   * The task whose step the current turn waits for. A task's step (from its
   * wake-up to its next suspension) goes on in microtasks after the callback that
   * woke it has returned; the turn resumes when the step ends (see _stepDone), so
   * steps and callbacks run one after another in queue order, as in asyncio.
   * A step stuck in a foreign promise never ends that way: the turn goes on once
   * no microtask is left (the next drain finds it still set).
   */
  _stepping: Stepper | undefined;

  constructor(options: EventLoopOptions = {}) {
    this.clock = options.clock ?? realClock;
  }

  /** Milliseconds on the loop's clock. */
  time(): number {
    return this.clock.now();
  }

  callSoon(fn: Callback, ...args: unknown[]): Handle {
    const h = new ReadyHandle(fn, args);
    this.schedule(h);
    return h;
  }

  callLater(delayMs: number, fn: Callback, ...args: unknown[]): Handle {
    const h = new TimerHandle(this._deadline(delayMs), this._timerSeq(), fn, args, this);
    this._addTimer(h);
    return h;
  }

  /** @internal callSoon(fn, arg) for the runtime's own callbacks: nobody cancels them, so no Handle. */
  _callSoonWith(fn: (arg: any) => unknown, arg: unknown): void {
    this.schedule(new CallbackRun(fn, arg));
  }

  /** @internal queues an object to run on the next turn (tasks starting, wake-ups, zero sleeps). */
  schedule(r: Runnable): void {
    this.ready.push(r);
    this.scheduleDrain();
  }

  /** @internal the deadline `delayMs` from now (a bad or negative delay is no delay). */
  _deadline(delayMs: number): number {
    return this.time() + (Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0);
  }

  /** @internal the next tie-break number for a timer entry. */
  _timerSeq(): number {
    return this.seq++;
  }

  /** @internal puts an entry (its when and seq set, _inHeap true) on the timer heap. */
  _addTimer(t: TimerEntry): void {
    this.heapPush(t);
    this.arm();
  }

  /** @internal the step of `who` has ended (it suspended on a runtime future, or its body exited). */
  _stepDone(who: Stepper): void {
    if (this._stepping !== who) return;
    this._stepping = undefined;
    // Called from inside the task's code: the rest of the turn must not run as that task.
    if (!this.inBatch) outsideTasks(this.runBatch);
  }

  _timerCancelled(): void {
    this.cancelledTimers++;
    // Many cancelled timers (100,000 cancelled sleeps) are swept at once rather than one by one.
    if (this.cancelledTimers > 1024 && this.cancelledTimers * 2 > this.timers.length) {
      const live: TimerEntry[] = [];
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
      // Node's immediates carry the async context of whoever scheduled them: the drain (and
      // every callback in it) must run as no task at all, whichever task asked for the turn.
      if (taskStorage.getStore() === undefined) setImmediate(this.drain);
      else outsideTasks(this.setImmediateDrain);
    }
  }

  private setImmediateDrain = (): void => {
    setImmediate(this.drain);
  };

  private drain = (): void => {
    this.drainScheduled = false;
    if (this._stepping !== undefined) {
      // No microtask is left and the step has not ended: it waits on a foreign promise.
      this._stepping = undefined;
      this.runBatch();
      return;
    }
    if (this.index < this.batch.length) return; // a turn is still going on (its step ends in a microtask)
    if (this.clock.advanceTo && !this.ready.length) {
      const next = this.nextTimer();
      if (next) this.clock.advanceTo(next.when);
    }
    this.collectDueTimers();
    this.batch = this.ready;
    this.ready = [];
    this.index = 0;
    this.runBatch();
  };

  /** Runs the current turn's callbacks in order, pausing at each task step until it ends. */
  private runBatch = (): void => {
    const batch = this.batch;
    this.inBatch = true;
    while (this.index < batch.length) {
      const h = batch[this.index++];
      if (h._cancelled) continue;
      try {
        h._run();
      } catch (e) {
        // One failing callback must not stop the others; the error still surfaces as uncaught.
        queueMicrotask(() => {
          throw e;
        });
      }
      if (this._stepping !== undefined) {
        // The step goes on in microtasks; _stepDone resumes the turn. The drain is the fallback.
        this.inBatch = false;
        this.scheduleDrain();
        return;
      }
    }
    this.inBatch = false;
    this.batch = NO_BATCH;
    this.index = 0;
    if (this.ready.length) this.scheduleDrain();
    this.arm();
  };

  private nextTimer(): TimerEntry | undefined {
    while (this.timers.length && this.timers[0]._cancelled) {
      this.heapPop();
      this.cancelledTimers--;
    }
    return this.timers[0];
  }

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
    const next = this.nextTimer();
    if (!next) return this.disarm();
    // A virtual clock is never waited on: the next idle drain jumps to the deadline.
    if (this.clock.advanceTo) return this.scheduleDrain();
    const when = next.when;
    if (when === this.armedFor && this.nodeTimer) return;
    this.disarm();
    this.armedFor = when;
    if (taskStorage.getStore() === undefined) this.setNodeTimer();
    else outsideTasks(this.setNodeTimer);
  }

  private setNodeTimer = (): void => {
    this.nodeTimer = setTimeout(this.onNodeTimer, Math.max(0, this.armedFor - this.time()));
  };

  private onNodeTimer = (): void => {
    this.nodeTimer = undefined;
    this.armedFor = Infinity;
    this.scheduleDrain();
  };

  private disarm(): void {
    if (this.nodeTimer) clearTimeout(this.nodeTimer);
    this.nodeTimer = undefined;
    this.armedFor = Infinity;
  }

  private less(a: TimerEntry, b: TimerEntry): boolean {
    return a.when < b.when || (a.when === b.when && a.seq < b.seq);
  }

  private heapPush(h: TimerEntry): void {
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

  private heapPop(): TimerEntry {
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

/**
 * The process's loop: scene programs in one process share it, as asyncio programs share
 * theirs. Tests swap in a loop with a virtual clock (setEventLoop) while nothing is pending.
 */
export let loop = new EventLoop();

/** Makes `next` the loop every future, task and sleep uses from now on; returns the previous one. */
export function setEventLoop(next: EventLoop): EventLoop {
  const previous = loop;
  loop = next;
  return previous;
}
