/**
 * Future: a result that is not there yet, with asyncio's states (pending,
 * cancelled, finished with a result or an exception) and its rule that done
 * callbacks run on the loop, never synchronously inside the transition.
 *
 * A Future is awaitable. Awaiting it from inside a task goes through
 * `suspendOn`, which records it as the task's waiter so that cancelling the
 * task cancels what it waits on (sleep timer, inner task, gather...).
 *
 * Done callbacks and the wake-ups of the tasks awaiting it are one list, run on
 * the loop in the order they were registered, as asyncio's (an awaiting task's
 * wake-up is just one more done callback there): a callback registered before
 * a task awaited the future runs before that task's next step.
 */
import { CancelledError, InvalidStateError, isCancelledError } from "./errors.js";
import { loop, type Runnable } from "./loop.js";
import { suspendOn } from "./suspend.js";

type State = "pending" | "cancelled" | "finished";
export type DoneCallback<T> = (f: Future<T>) => void;

export class Future<T = unknown> implements PromiseLike<T> {
  protected _state: State = "pending";
  protected _result: T | undefined;
  protected _exception: unknown;
  protected _cancelMessage: string | undefined;
  /**
   * Done callbacks and task wake-ups (Runnables, see suspend.ts), in registration order: the
   * first in a field of its own, the rest in an array. Most futures get exactly one (a sleep its
   * task's wake-up, a task its gather's callback): no array for them (~56 B each).
   */
  private _first: DoneCallback<T> | Runnable | undefined;
  private _callbacks: Array<DoneCallback<T> | Runnable> | undefined;
  /** Synchronous settle listeners: how a native promise (asPromise) follows the future. Rare: one field for both. */
  private _native: { promise: Promise<T> | undefined; listeners: Array<(f: Future<T>) => void> } | undefined;
  /** True once someone looked at the outcome: an unretrieved exception is reported. */
  _retrieved = false;

  done(): boolean {
    return this._state !== "pending";
  }

  cancelled(): boolean {
    return this._state === "cancelled";
  }

  /** The result; throws the exception, CancelledError, or InvalidStateError while pending. */
  result(): T {
    if (this._state === "pending") throw new InvalidStateError("result is not ready");
    this._retrieved = true;
    if (this._state === "cancelled") throw this.makeCancelledError();
    if (this._exception !== undefined) throw this._exception;
    return this._result as T;
  }

  exception(): unknown {
    if (this._state === "pending") throw new InvalidStateError("exception is not set");
    this._retrieved = true;
    if (this._state === "cancelled") throw this.makeCancelledError();
    return this._exception;
  }

  addDoneCallback(fn: DoneCallback<T>): void {
    // Someone (a gather, a task group, an awaiter) is now responsible for the outcome.
    this._retrieved = true;
    if (this._state !== "pending") loop._callSoonWith(fn, this);
    else this.queue(fn);
  }

  removeDoneCallback(fn: DoneCallback<T>): void {
    const rest = this._callbacks?.filter((f) => f !== fn);
    if (this._first === fn) {
      this._first = rest?.shift();
    }
    this._callbacks = rest?.length ? rest : undefined;
  }

  /** @internal queues a task's wake-up behind the done callbacks registered so far. */
  _addWaker(waker: Runnable): void {
    if (this._state !== "pending") loop.schedule(waker);
    else this.queue(waker);
  }

  private queue(entry: DoneCallback<T> | Runnable): void {
    if (this._first === undefined) this._first = entry;
    else if (this._callbacks) this._callbacks.push(entry);
    else this._callbacks = [entry]; // a literal holds one slot; a push onto [] would reserve 17
  }

  /** Requests cancellation; for a plain future that is immediate. Returns false if already done. */
  cancel(message?: string): boolean {
    return this._cancelNow(message);
  }

  /** The transition itself; subclasses that override cancel() (tasks, gather) still end through here. */
  protected _cancelNow(message?: string): boolean {
    if (this._state !== "pending") return false;
    this._state = "cancelled";
    this._cancelMessage = message;
    this.scheduleCallbacks();
    return true;
  }

  setResult(value: T): void {
    if (this._state !== "pending") throw new InvalidStateError("future is already done");
    this._result = value;
    this._state = "finished";
    this.scheduleCallbacks();
  }

  setException(error: unknown): void {
    if (this._state !== "pending") throw new InvalidStateError("future is already done");
    if (isCancelledError(error)) {
      this._cancelNow((error as Error).message);
      return;
    }
    // `throw undefined` must still count as a failure (an undefined exception reads as success).
    this._exception = error === undefined ? new Error("undefined was thrown") : error;
    this._state = "finished";
    this.scheduleCallbacks();
  }

  makeCancelledError(): CancelledError {
    return new CancelledError(this._cancelMessage);
  }

  /** A native promise that settles with this future (created on first use). */
  asPromise(): Promise<T> {
    let promise = this._native?.promise;
    if (!promise) {
      promise = new Promise<T>((resolve, reject) =>
        this._onSettle((f) => {
          const [ok, value] = f._outcome();
          if (ok) resolve(value as T);
          else reject(value);
        }),
      );
      // Marked handled: rejection is delivered to awaiters; unobserved failures are reported by the session.
      promise.catch(() => {});
      // A done future called its listener at once and kept none: this is the first use of _native then.
      if (this._native) this._native.promise = promise;
      else this._native = { promise, listeners: [] };
    }
    return promise;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this._retrieved = true;
    return suspendOn(this).then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally);
  }

  /** @internal called synchronously when the future settles (or at once if it has). */
  _onSettle(fn: (f: Future<T>) => void): void {
    if (this._state !== "pending") fn(this);
    else if (this._native) this._native.listeners.push(fn);
    else this._native = { promise: undefined, listeners: [fn] };
  }

  /** @internal the outcome without marking it retrieved: [ok, value-or-error]. */
  _outcome(): [true, T] | [false, unknown] {
    if (this._state === "cancelled") return [false, this.makeCancelledError()];
    if (this._exception !== undefined) return [false, this._exception];
    return [true, this._result as T];
  }

  /** @internal a finished future's exception (undefined for a result), not marking it retrieved. */
  _failure(): unknown {
    return this._exception;
  }

  /** @internal a finished future's result, not marking it retrieved. */
  _value(): T | undefined {
    return this._result;
  }

  protected scheduleCallbacks(): void {
    if (this._native?.listeners.length) {
      const listeners = this._native.listeners;
      this._native.listeners = [];
      for (const fn of listeners) fn(this);
    }
    const first = this._first;
    if (first === undefined) return;
    const callbacks = this._callbacks;
    this._first = undefined;
    this._callbacks = undefined;
    this.run(first);
    if (callbacks) for (const fn of callbacks) this.run(fn);
  }

  private run(entry: DoneCallback<T> | Runnable): void {
    if (typeof entry === "function") loop._callSoonWith(entry, this);
    else loop.schedule(entry);
  }
}
