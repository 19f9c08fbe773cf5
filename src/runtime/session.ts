/**
 * Session: what `main(sess)` receives. It owns every task the program spawns
 * (reported to the host as they start and end), sends scene operations with
 * vuer's names and semantics, and delivers the viewer's events.
 *
 * The session rule, as asyncio.run's and vuer's: when main returns (or raises,
 * or is cancelled), every task still running is cancelled, their finally
 * blocks run, and the session ends once every task's body has exited.
 * `await sess.forever()` keeps a scene alive. Stopping cancels every task the
 * same way but waits only a short grace period for them to finish.
 */
import { randomUUID } from "node:crypto";
import { rpcResponseType, type ClientEvent } from "../protocol/events.js";
import type { RunnerToHost, SessionOutcome } from "../protocol/runner.js";
import type { SceneNode } from "../protocol/scene.js";
import type { ErrorInfo, SourceLocation } from "../protocol/tasks.js";
import { TimeoutError } from "./errors.js";
import { currentTask } from "./current.js";
import { Future } from "./future.js";
import { callerLocation, capturedLocation, errorInfo } from "./locations.js";
import { loop, type Handle } from "./loop.js";
import { Task, type TaskOwner } from "./task.js";
import { taskGroup, type TaskGroup } from "./taskgroup.js";

/** Where spawnTask captures its caller's frame; read at once by capturedLocation (see spawnTask). */
const spawnSite: { stack?: unknown } = {};

export interface MessageSink {
  send(message: RunnerToHost): void;
}

export interface SessionOptions {
  /** Where protocol messages go (the runner pipe, a test array...). */
  sink: MessageSink;
  /** Where the runtime's own diagnostics go (unretrieved task errors). Default: process.stderr. */
  stderr?: (text: string) => void;
  /** How long stop() waits for cancelled tasks to finish. */
  stopGraceMs?: number;
  /** How long a failed task may stay unawaited before its error is printed. */
  unretrievedAfterMs?: number;
}

export interface SessionResult {
  status: SessionOutcome;
  error?: ErrorInfo;
}

export type EventHandler = (event: ClientEvent, sess: Session) => unknown;
type Targeted = { to?: string | null };

export class Session implements TaskOwner {
  private readonly sink: MessageSink;
  private readonly stderr: (text: string) => void;
  private readonly stopGraceMs: number;
  private readonly unretrievedAfterMs: number;
  /**
   * Tasks whose body has not exited (a task marked cancelled while stuck in a foreign
   * promise stays here until its code is done). Finished tasks are forgotten: a long session
   * must not grow without bound. A set of the tasks themselves, not a map by id: a spawn and
   * an end are an add and a delete by identity (the host's cancel-by-id, a click, scans it).
   */
  private readonly liveTasks = new Set<Task<unknown>>();
  /** Handlers by event type, each wrapped once so a throwing handler is reported, not fatal. */
  private readonly handlers = new Map<string, Set<(event: ClientEvent, sess: Session) => void>>();
  private readonly eventWaiters = new Map<string, Set<Future<ClientEvent>>>();
  private taskSeq = 0;
  private mainTask: Task<unknown> | undefined;
  private stopping = false;
  /** main has ended: the remaining tasks have been cancelled (the session rule). */
  private mainEnded = false;
  /** After main: the tasks the last round of cancels went to, still running. */
  private cancelRound = new Set<Task<unknown>>();
  /** Where main is defined (set by the runner, which knows the file); the main task reports it. */
  mainLocation: SourceLocation | undefined;
  private ended = new Future<SessionResult>();
  private readonly beforeEnd: Array<() => void> = [];

  constructor(options: SessionOptions) {
    this.sink = options.sink;
    this.stderr = options.stderr ?? ((t) => void process.stderr.write(t));
    this.stopGraceMs = options.stopGraceMs ?? 1500;
    this.unretrievedAfterMs = options.unretrievedAfterMs ?? 1000;
  }

  // ---------------------------------------------------------------- tasks

  /**
   * Starts `fn` as a task on a later turn of the loop; the caller keeps running
   * until its next await. The task's parent is the task that spawned it.
   */
  spawnTask<T>(fn: () => T | PromiseLike<T>, options: { name?: string } = {}): Task<T> {
    // The creation line is the caller's frame, captured here and not deeper in: V8's stack walk
    // costs per frame it passes (see capturedLocation). Formatted into a location further on.
    // Into one shared holder (a fresh object a task cost ~0.25 µs more), read before any code of
    // the user's can run and spawn in between (options.name is read first: it may be a getter).
    const name = options.name;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(spawnSite, this.spawnTask);
    Error.stackTraceLimit = limit;
    return this.createTask(fn, name, currentTask() ?? this.mainTask ?? null, spawnSite);
  }

  private createTask<T>(fn: () => T | PromiseLike<T>, name: string | undefined, parent: Task<unknown> | null, site: { stack?: unknown } | Function): Task<T> {
    if (this.stopping) throw new Error("the session is stopping: no new tasks");
    const task = new Task(fn, { name, parent, owner: this, id: `t${++this.taskSeq}` });
    const loc =
      parent === null && this.mainLocation ? this.mainLocation : typeof site === "function" ? callerLocation(site) : capturedLocation(site, this.spawnTask);
    task._site = loc;
    this.liveTasks.add(task as Task<unknown>);
    this.sink.send({
      etype: "TASK_SPAWN",
      ts: Date.now(),
      task: { id: task.id, name: task.name, parent: task.parent?.id ?? null, file: loc?.file, line: loc?.line, column: loc?.column },
    });
    return task;
  }

  /** Structured concurrency (asyncio.TaskGroup): see taskgroup.ts. */
  taskGroup<T>(body: (tg: TaskGroup) => T | PromiseLike<T>): Promise<T> {
    return taskGroup(body);
  }

  /** Cancels a task by id, as a cancel request from the host does. Returns false if unknown or done. */
  cancelTask(id: string): boolean {
    for (const task of this.liveTasks) if (task.id === id) return task.cancel("cancelled from the task tree");
    return false;
  }

  /** @internal TaskOwner */
  _taskDone(task: Task<unknown>): void {
    if (!this.liveTasks.delete(task)) return;
    this.cancelRound.delete(task);
    const state = task.state;
    const message: RunnerToHost = { etype: "TASK_STATE", ts: Date.now(), task: { id: task.id, state } };
    if (state === "failed") {
      const error = errorInfo(task._outcome()[1]);
      message.task.error = error;
      if (task !== this.mainTask) this.watchUnretrieved(task, error);
    }
    this.sink.send(message);
    if (task === this.mainTask && !this.stopping) {
      // The session rule (asyncio.run, vuer): main is over, so is every task it left behind.
      this.mainEnded = true;
      this.cancelAll(state === "failed" ? "main failed" : "main ended");
    } else if (this.mainEnded && !this.stopping && this.cancelRound.size === 0 && this.liveTasks.size) {
      // Cleanup code spawned new tasks; once the cancelled ones are gone, those go the same way
      // (asyncio.run would close the loop on them, never running their finally blocks).
      this.cancelAll("main ended");
    }
    this.checkEnded();
  }

  /** @internal TaskOwner: the tree shows the task as cancelling until its body exits. */
  _taskCancelling(task: Task<unknown>): void {
    // While the whole session winds down its state says so; only tasks that outlive the request are shown.
    if (this.stopping || this.mainEnded || !this.liveTasks.has(task)) return;
    this.sendState(task, "cancelling");
  }

  private sendState(task: Task<unknown>, state: "cancelling"): void {
    this.sink.send({ etype: "TASK_STATE", ts: Date.now(), task: { id: task.id, state } });
  }

  /**
   * Cancels every live task, newest first: a task's helpers get their CancelledError
   * (and run their finally blocks) before the task that spawned them. Those stuck in a
   * foreign promise are reported as cancelling.
   */
  private cancelAll(reason: string): void {
    this.cancelRound = new Set(this.liveTasks);
    for (const t of [...this.liveTasks].reverse()) {
      const shown = t.state === "cancelling"; // already reported when its cancel was asked for
      t.cancel(reason);
      if (!shown && t.done() && this.liveTasks.has(t)) this.sendState(t, "cancelling");
    }
  }

  /** @internal TaskOwner */
  _lateError(task: Task<unknown>, error: unknown): void {
    const info = errorInfo(error);
    this.stderr(`Task ${task.name} (${task.id}) raised after it was cancelled: ${info.stack ?? `${info.name}: ${info.message}`}\n`);
  }

  private watchUnretrieved(task: Task<unknown>, error: ErrorInfo): void {
    const report = () => {
      if (task._retrieved) return;
      task._retrieved = true;
      const where = error.location ? ` (${error.location.file}:${error.location.line})` : "";
      this.stderr(`Task exception was never retrieved: ${task.name}${where}\n${error.stack ?? `${error.name}: ${error.message}`}\n`);
    };
    const handle = loop.callLater(this.unretrievedAfterMs, report);
    // At the latest when the session ends, before anyone can exit the process.
    this.beforeEnd.push(() => {
      handle.cancel();
      report();
    });
  }

  private checkEnded(): void {
    if (this.ended.done() || !this.mainTask?.done()) return;
    // Bodies still running are waited for: after main, until they exit (as asyncio.run);
    // while stopping, until the grace period ends (see stop()).
    if (this.liveTasks.size) return;
    this.finish();
  }

  private finish(): void {
    if (this.ended.done()) return;
    for (const fn of this.beforeEnd.splice(0)) fn();
    const main = this.mainTask!;
    let result: SessionResult;
    if (main.state === "failed") {
      result = { status: "failed", error: errorInfo(main._outcome()[1]) };
      main._retrieved = true;
    } else if (this.stopping || main.cancelled()) result = { status: "stopped" };
    else result = { status: "done" };
    this.ended.setResult(result);
  }

  /** Runs main(sess) as the task "main" and resolves when the session is over. */
  run(main: (sess: Session) => unknown): Promise<SessionResult> {
    if (this.mainTask) throw new Error("a session runs one main");
    this.mainTask = this.createTask(() => main(this), "main", null, this.run);
    return this.ended.asPromise();
  }

  /** Cancels every task, waits up to the grace period for their bodies to exit, then ends the session. */
  async stop(): Promise<SessionResult> {
    if (!this.mainTask) throw new Error("stop() before run()");
    if (!this.stopping) {
      this.stopping = true;
      this.cancelAll("session stopped");
      const deadline = setTimeout(() => this.finish(), this.stopGraceMs);
      deadline.unref?.();
      this.ended.addDoneCallback(() => clearTimeout(deadline));
      this.checkEnded();
    }
    return this.ended.asPromise();
  }

  /** Tasks whose body is still running (for diagnostics and tests). */
  get running(): Task<unknown>[] {
    return [...this.liveTasks];
  }

  // ----------------------------------------------------------- loop calls

  /** Calls fn on the next turn of the loop (Pyodide's webloop call_soon). */
  callSoon<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): Handle {
    return loop.callSoon(this.guard(fn), ...args);
  }

  /** Calls fn after ms milliseconds; the handle's cancel() prevents it. */
  callLater<A extends unknown[]>(ms: number, fn: (...args: A) => unknown, ...args: A): Handle {
    return loop.callLater(ms, this.guard(fn), ...args);
  }

  private guard<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => void {
    return (...args: A) => {
      try {
        const r = fn(...args);
        if (r && typeof (r as Promise<unknown>).then === "function") (r as Promise<unknown>).then(undefined, (e) => this.reportCallbackError(fn, e));
      } catch (e) {
        this.reportCallbackError(fn, e);
      }
    };
  }

  private reportCallbackError(fn: Function, e: unknown): void {
    const info = errorInfo(e);
    this.stderr(`Exception in callback ${fn.name || "<anonymous>"}: ${info.stack ?? `${info.name}: ${info.message}`}\n`);
  }

  /**
   * Suspends the calling task until it is cancelled (vuer's sess.forever()). main
   * awaits it to keep the scene alive: when main returns, the session ends.
   */
  async forever(): Promise<never> {
    await new Future<never>();
    throw new Error("unreachable");
  }

  // --------------------------------------------------------------- scene

  /** Replaces the whole scene (the node must be a Scene). */
  set(scene: SceneNode): void {
    checkNodes([scene], "set");
    if (scene.tag !== "Scene") throw new TypeError(`sess.set() needs a Scene node, got a ${scene.tag}`);
    this.sink.send({ etype: "SET", ts: Date.now(), data: scene });
  }

  /** Merges props into the nodes with these keys, or creates them under `to`. */
  upsert(nodes: SceneNode | SceneNode[], options: Targeted = {}): void {
    const list = Array.isArray(nodes) ? nodes : [nodes];
    checkNodes(list, "upsert");
    this.sink.send({ etype: "UPSERT", ts: Date.now(), data: { nodes: list, to: options.to ?? null } });
  }

  /** Adds nodes under `to` (a parent key, or the scene). */
  add(nodes: SceneNode | SceneNode[], options: Targeted = {}): void {
    const list = Array.isArray(nodes) ? nodes : [nodes];
    checkNodes(list, "add");
    this.sink.send({ etype: "ADD", ts: Date.now(), data: { nodes: list, to: options.to ?? null } });
  }

  /** Changes props of existing nodes only (missing keys are ignored by the viewer, with a warning). */
  update(nodes: (Partial<SceneNode> & { key: string }) | Array<Partial<SceneNode> & { key: string }>): void {
    const list = Array.isArray(nodes) ? nodes : [nodes];
    for (const n of list) if (!n || typeof n.key !== "string") throw new TypeError("sess.update() needs nodes with a string key");
    this.sink.send({ etype: "UPDATE", ts: Date.now(), data: { nodes: list } });
  }

  /** Removes nodes (and their children) by key. */
  remove(keys: string | string[]): void {
    const list = Array.isArray(keys) ? keys : [keys];
    for (const k of list) if (typeof k !== "string") throw new TypeError(`sess.remove() takes keys (strings), got ${typeof k}`);
    this.sink.send({ etype: "REMOVE", ts: Date.now(), data: { keys: list } });
  }

  // -------------------------------------------------------------- events

  /** Calls handler for every event of this type; returns a function that unsubscribes. */
  on(etype: string, handler: EventHandler): () => void {
    let set = this.handlers.get(etype);
    if (!set) this.handlers.set(etype, (set = new Set()));
    const guarded = this.guard(handler);
    set.add(guarded);
    return () => void set!.delete(guarded);
  }

  /** Waits for the next event of this type (cancellable; TimeoutError after timeoutMs). */
  async nextEvent(etype: string, options: { timeoutMs?: number } = {}): Promise<ClientEvent> {
    const fut = new Future<ClientEvent>();
    let set = this.eventWaiters.get(etype);
    if (!set) this.eventWaiters.set(etype, (set = new Set()));
    set.add(fut);
    const timer =
      options.timeoutMs !== undefined
        ? loop.callLater(options.timeoutMs, () => !fut.done() && fut.setException(new TimeoutError(`no ${etype} event within ${options.timeoutMs} ms`)))
        : undefined;
    try {
      return await fut;
    } finally {
      timer?.cancel();
      set.delete(fut);
    }
  }

  /** Asks the viewer for a PNG of the current view (vuer's grab_render). */
  async grabRender(options: { quality?: number; downsample?: number; key?: string; timeoutMs?: number } = {}): Promise<Uint8Array> {
    const uuid = randomUUID();
    const rtype = rpcResponseType("GRAB_RENDER", uuid);
    const { timeoutMs = 2000, ...data } = options;
    const answer = this.nextEvent(rtype, { timeoutMs });
    this.sink.send({ etype: "GRAB_RENDER", ts: Date.now(), uuid, rtype, data });
    const event = await answer;
    if (event.error) throw new Error(`grabRender: ${event.error}`);
    const frame = (event.value as { frame?: unknown } | undefined)?.frame;
    if (!(frame instanceof Uint8Array)) throw new Error("grabRender: the viewer answered without an image");
    return frame;
  }

  /** Delivers an event from the viewer to handlers and waiters. */
  dispatch(event: ClientEvent): void {
    const waiters = this.eventWaiters.get(event.etype);
    if (waiters) {
      for (const w of waiters) if (!w.done()) w.setResult(event);
      waiters.clear();
    }
    for (const h of this.handlers.get(event.etype) ?? []) h(event, this);
  }
}

function checkNodes(nodes: unknown[], op: string): void {
  for (const n of nodes) {
    if (!n || typeof n !== "object") throw new TypeError(`sess.${op}() takes nodes (for example Box({...})), got ${n === null ? "null" : typeof n}`);
    const node = n as Partial<SceneNode>;
    if (typeof node.tag !== "string") throw new TypeError(`sess.${op}(): a node needs a string tag (use a factory such as Box({...}))`);
    if (typeof node.key !== "string") throw new TypeError(`sess.${op}(): the ${node.tag} node needs a string key`);
  }
}
