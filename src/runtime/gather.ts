/**
 * gather(...awaitables): run them concurrently, results in argument order, with
 * asyncio's semantics. Functions are started as child tasks; tasks and futures
 * are awaited as they are; other promises are awaited but cannot be cancelled.
 * Without returnExceptions the first failure is raised at once and the others
 * keep running; cancelling the gather cancels every child.
 */
import { CancelledError } from "./errors.js";
import { Future } from "./future.js";
import { spawnHere } from "./spawn.js";

export type Awaitable<T> = Future<T> | PromiseLike<T> | (() => T | PromiseLike<T>);
export interface GatherOptions {
  returnExceptions?: boolean;
}
type Results<A extends readonly unknown[]> = { -readonly [K in keyof A]: A[K] extends Awaitable<infer R> ? Awaited<R> : never };

export class GatheringFuture<T extends unknown[]> extends Future<T> {
  private cancelRequested = false;
  constructor(readonly children: Future<unknown>[]) {
    super();
  }
  override cancel(message?: string): boolean {
    if (this.done()) return false;
    let any = false;
    for (const c of this.children) if (c.cancel(message)) any = true;
    // Like asyncio: the gather becomes cancelled once its children have finished cancelling.
    if (any) this.cancelRequested = true;
    return any;
  }
  /** @internal */
  get _cancelRequested(): boolean {
    return this.cancelRequested;
  }
}

function isOptions(x: unknown): x is GatherOptions {
  return typeof x === "object" && x !== null && !(x instanceof Future) && typeof (x as PromiseLike<unknown>).then !== "function";
}

function toFuture<T>(a: Awaitable<T>, index: number): Future<T> {
  if (a instanceof Future) return a;
  if (typeof a === "function") return spawnHere(a as () => T, { name: (a as () => T).name || `gather-${index}` });
  if (a && typeof (a as PromiseLike<T>).then === "function") {
    const f = new Future<T>();
    (a as PromiseLike<T>).then(
      (v) => !f.done() && f.setResult(v),
      (e) => !f.done() && f.setException(e),
    );
    return f;
  }
  const f = new Future<T>();
  f.setResult(a as T);
  return f;
}

// With returnExceptions a slot holds its awaitable's result or whatever it threw (anything, in
// JavaScript; a CancelledError when it was cancelled): `unknown`, so `r instanceof Error` narrows it.
type Settled<A extends readonly unknown[]> = { -readonly [K in keyof A]: unknown };

export function gather<A extends readonly Awaitable<unknown>[]>(...args: [...A]): GatheringFuture<Results<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(...args: [...A, GatherOptions & { returnExceptions: true }]): GatheringFuture<Settled<A>>;
export function gather<A extends readonly Awaitable<unknown>[]>(...args: [...A, GatherOptions]): GatheringFuture<Results<A>>;
export function gather(...args: unknown[]): GatheringFuture<unknown[]> {
  const options: GatherOptions = args.length && isOptions(args[args.length - 1]) ? (args.pop() as GatherOptions) : {};
  const children = (args as Awaitable<unknown>[]).map(toFuture);
  const outer = new GatheringFuture<unknown[]>(children);
  if (!children.length) {
    outer.setResult([]);
    return outer;
  }
  let finished = 0;
  const onChildDone = (child: Future<unknown>) => {
    finished++;
    if (outer.done()) {
      if (!child.cancelled()) child.exception(); // mark retrieved: the gather owned it
      return;
    }
    if (!options.returnExceptions) {
      if (child.cancelled()) {
        outer.setException(child.makeCancelledError());
        return;
      }
      const exc = child.exception();
      if (exc !== undefined) {
        outer.setException(exc);
        return;
      }
    }
    if (finished === children.length) {
      // Not `exception() ?? result()`: a task may fail with null (JavaScript can throw anything).
      const results = children.map((c) => (c.cancelled() ? new CancelledError() : c._outcome()[1]));
      if (outer._cancelRequested) outer.setException(new CancelledError());
      else outer.setResult(results);
    }
  };
  for (const c of children) c.addDoneCallback(onChildDone);
  return outer;
}
