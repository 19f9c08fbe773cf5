/**
 * Task: a function run concurrently on the loop, with asyncio's life cycle.
 *
 * - Creating a task schedules its start; the spawner keeps running until its
 *   next await (asyncio.create_task schedules, it does not run). The function
 *   is called inside the task's context, so everything it awaits knows its task.
 * - `cancel()` only records a request. If the task waits on a runtime future
 *   (sleep, another task, gather, an event) the request is forwarded to that
 *   future and the task sees CancelledError there, so try/finally runs. If it is
 *   stuck in a foreign promise (fetch, a third-party library), it is marked
 *   cancelled at once for everyone awaiting it, its AbortSignal fires, and its
 *   code gets CancelledError at its next runtime await.
 * - Two things end separately: the task's future (what awaiters see) and its
 *   body (the function, finally blocks included). They coincide except for a
 *   task marked cancelled while stuck in a foreign promise; until its body has
 *   exited it is "cancelling", and its owner (the session) still counts it live.
 * - A task ends "cancelled" when its function exits with CancelledError, "done"
 *   with a result, "failed" with any other error.
 */
import type { SourceLocation, TaskState } from "../protocol/tasks.js";
import { CancelledError, isCancelledError } from "./errors.js";
import { currentTask, taskStorage } from "./current.js";
import { Future } from "./future.js";
import { loop, type Runnable } from "./loop.js";

/** What a task tells whoever owns it (the session) about its life. */
export interface TaskOwner {
  /** Tasks created inside this task (gather, task groups) belong to the same owner. */
  spawnTask<T>(fn: () => T | PromiseLike<T>, options?: { name?: string }): Task<T>;
  /** The task's future has settled and its body has exited. */
  _taskDone(task: Task<unknown>): void;
  /** Someone asked to cancel the task (not the runtime's own timeout or task group), and its body still runs. */
  _taskCancelling(task: Task<unknown>): void;
  /** An error thrown by a task's code after the task was already marked cancelled. */
  _lateError(task: Task<unknown>, error: unknown): void;
}

export interface TaskOptions {
  name?: string;
  parent?: Task<unknown> | null;
  owner?: TaskOwner;
  id?: string;
}

let nextId = 1;

const MUST_CANCEL = 1;
const STARTED = 2;
const EXITED = 4;
const CANCEL_REQUESTED = 8;

/**
 * Runs a task's function inside the task's context. Not an async function: `await` would cost
 * every task a generator, a second promise and (with AsyncLocalStorage's promise hooks, Node 20)
 * a throwaway promise more; `Promise.resolve(r).then` settles at the same microtask as `await r`
 * for a value, a native promise or a thenable alike.
 */
function runBody<T>(task: Task<T>): void {
  let r: T | PromiseLike<T>;
  try {
    r = task._fn();
  } catch (e) {
    bodyFailed(task, e);
    return;
  }
  // Shared handlers, no closures per task: a reaction runs in the context it was registered in
  // (this task's, entered by _run), so the store names the task.
  Promise.resolve(r).then(bodyReturnedHere, bodyFailedHere);
}

function bodyReturnedHere(value: unknown): void {
  bodyReturned(taskStorage.getStore()!, value);
}

function bodyFailedHere(e: unknown): void {
  bodyFailed(taskStorage.getStore()!, e);
}

function bodyReturned<T>(task: Task<T>, value: T): void {
  task._exited = true;
  task._onFnResult(value);
  loop._stepDone(task);
}

function bodyFailed<T>(task: Task<T>, e: unknown): void {
  task._exited = true;
  task._onFnError(e);
  loop._stepDone(task);
}

export class Task<T = unknown> extends Future<T> implements Runnable {
  /** @internal never set: a task's start is cancelled through its own cancel(), not the loop's handle. */
  _cancelled = false;
  readonly id: string;
  private _name: string | undefined;
  readonly parent: Task<unknown> | null;
  /** @internal where the task was created, in the user's code (set by the session; shared per position). */
  _site: SourceLocation | undefined;

  /** @internal the runtime future this task is suspended on, if any. */
  _waiter: Future<unknown> | undefined;
  private _numCancelsRequested = 0;
  /**
   * The task's yes/no state in one number (MUST_CANCEL, STARTED, EXITED, CANCEL_REQUESTED): a
   * field each cost every task 8 bytes, and 100,000 live tasks are scavenged and promoted.
   */
  private _flags = 0;
  /** Created on first use: most tasks never hand out their signal. */
  private _abort: AbortController | undefined;
  readonly _owner: TaskOwner | undefined;

  constructor(
    /** @internal */
    readonly _fn: () => T | PromiseLike<T>,
    options: TaskOptions = {},
  ) {
    super();
    if (typeof _fn !== "function") {
      throw new TypeError(`spawnTask expects a function that starts the work (e.g. () => work()), got ${typeof _fn}`);
    }
    this.id = options.id ?? `t${nextId++}`;
    this._name = options.name;
    this.parent = options.parent === undefined ? (currentTask() ?? null) : options.parent;
    this._owner = options.owner;
    loop.schedule(this);
  }

  /** Where the task was created, in the user's code. */
  get file(): string | undefined {
    return this._site?.file;
  }
  get line(): number | undefined {
    return this._site?.line;
  }
  get column(): number | undefined {
    return this._site?.column;
  }

  private get _mustCancel(): boolean {
    return (this._flags & MUST_CANCEL) !== 0;
  }
  private set _mustCancel(on: boolean) {
    this._flags = on ? this._flags | MUST_CANCEL : this._flags & ~MUST_CANCEL;
  }
  private get _started(): boolean {
    return (this._flags & STARTED) !== 0;
  }
  private set _started(on: boolean) {
    this._flags = on ? this._flags | STARTED : this._flags & ~STARTED;
  }
  /** @internal the body has exited (or will never run): nothing of the task's code is left. */
  get _exited(): boolean {
    return (this._flags & EXITED) !== 0;
  }
  set _exited(on: boolean) {
    this._flags = on ? this._flags | EXITED : this._flags & ~EXITED;
  }
  /** A cancel was asked for by someone other than the runtime's timeout/task group. */
  private get _cancelRequested(): boolean {
    return (this._flags & CANCEL_REQUESTED) !== 0;
  }
  private set _cancelRequested(on: boolean) {
    this._flags = on ? this._flags | CANCEL_REQUESTED : this._flags & ~CANCEL_REQUESTED;
  }

  /** The name given at spawn, else the function's name, else Task-<n> (computed on first use). */
  get name(): string {
    return (this._name ??= this._fn.name || `Task-${this.id.slice(1)}`);
  }

  set name(value: string) {
    this._name = value;
  }

  /**
   * "running" from creation (asyncio has no separate pending state either);
   * "cancelling" from a cancel request until the body has exited; then its end.
   */
  get state(): TaskState {
    if (!this._exited && (this._cancelRequested || this._state !== "pending")) return "cancelling";
    if (this._state === "pending") return "running";
    if (this._state === "cancelled") return "cancelled";
    return this._exception !== undefined ? "failed" : "done";
  }

  /** Fires when the task is cancelled: pass it to fetch() and friends. */
  get signal(): AbortSignal {
    if (!this._abort) {
      this._abort = new AbortController();
      if (this._numCancelsRequested > 0 || this._state === "cancelled") this._abort.abort(this.makeCancelledError());
    }
    return this._abort.signal;
  }

  /** How many cancel requests are outstanding (asyncio's Task.cancelling). */
  cancelling(): number {
    return this._numCancelsRequested;
  }

  /** Withdraws one cancel request; used by timeout() and task groups that caused it. */
  uncancel(): number {
    if (this._numCancelsRequested > 0) this._numCancelsRequested--;
    if (this._numCancelsRequested === 0) this._mustCancel = false;
    return this._numCancelsRequested;
  }

  /**
   * Requests cancellation. Returns false if the task is already done.
   * `soft` (used inside the runtime by timeout and task groups): never mark the
   * task cancelled early, because the canceller intends to absorb the CancelledError.
   */
  override cancel(message?: string, options?: { soft?: boolean }): boolean {
    const soft = options?.soft === true; // no default object: 100,000 cancels made 100,000 of them
    if (this.done()) return false;
    this._numCancelsRequested++;
    if (this._abort && !this._abort.signal.aborted) this._abort.abort(new CancelledError(message));
    this._cancelMessage = message;
    if (!soft && !this._cancelRequested) {
      this._cancelRequested = true;
      this._owner?._taskCancelling(this as Task<unknown>);
    }
    if (this._waiter && this._waiter.cancel(message)) return true;
    this._mustCancel = true;
    // Not waiting on a runtime future, not between a wake-up and its step, not running: stuck elsewhere.
    const stuckInForeignPromise =
      this._started && !this._exited && !this._waiter && !soft && currentTask() !== this && loop._stepping !== this;
    if (stuckInForeignPromise) this._cancelNow(message);
    return true;
  }

  /** @internal a pending cancel request, taken at a step boundary (see suspend.ts). */
  _takeCancelRequest(): CancelledError | undefined {
    if (!this._mustCancel) return undefined;
    this._mustCancel = false;
    return this.makeCancelledError();
  }

  /** @internal the loop starts the task. */
  _run(): void {
    if (this.done()) return;
    this._started = true;
    if (this._mustCancel) {
      // Cancelled before it ever ran: like a coroutine closed before its first step.
      this._mustCancel = false;
      this._exited = true;
      this._cancelNow(this._cancelMessage);
      return;
    }
    // The first step: the loop waits for it unless it suspends before taskStorage.run returns.
    loop._stepping = this;
    taskStorage.run(this as Task<unknown>, runBody, this as Task<unknown>);
  }

  /** @internal */
  _onFnResult(value: T): void {
    if (this.done()) {
      this._owner?._taskDone(this as Task<unknown>); // marked cancelled earlier; the body has now exited
      return;
    }
    if (this._mustCancel) {
      // Cancel requested after the last await: asyncio still reports the task as cancelled.
      this._mustCancel = false;
      this._cancelNow(this._cancelMessage);
    } else {
      this.setResult(value);
    }
  }

  /** @internal */
  _onFnError(error: unknown): void {
    if (this.done()) {
      if (!isCancelledError(error)) this._owner?._lateError(this as Task<unknown>, error);
      this._owner?._taskDone(this as Task<unknown>);
      return;
    }
    if (isCancelledError(error)) this._cancelNow((error as Error).message);
    else this.setException(error);
  }

  protected override scheduleCallbacks(): void {
    if (this._abort && !this._abort.signal.aborted && this._state === "cancelled") this._abort.abort(this.makeCancelledError());
    if (this._exited) this._owner?._taskDone(this as Task<unknown>);
    super.scheduleCallbacks();
  }

  override toString(): string {
    return `<Task ${this.name} (${this.id}) ${this.state}>`;
  }
}
