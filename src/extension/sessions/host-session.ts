/**
 * One run of one scene file: the child process (never the extension host's own
 * thread), the authoritative scene on its way to the viewer, the task model, and
 * the run's output. Everything the UI shows about a run is read from here; the
 * UI learns about changes through `onDidChange`.
 */
import { basename, extname } from "node:path";
import * as vscode from "vscode";
import { rpcResponseType, type ClientEvent } from "../../protocol/events.js";
import { assertNever } from "../../protocol/descriptors.js";
import { droppedNodeLine } from "../../protocol/scene.js";
import { viewerInit, type RunnerToHost, type RuntimeKind, type VuerServingMessage } from "../../protocol/runner.js";
import type { ErrorInfo, TaskInfo, TaskState } from "../../protocol/tasks.js";
import type { ViewerSessionState } from "../../protocol/viewer.js";
import { LaunchError } from "../../runner/launch.js";
import { exitStatus } from "../../runner/outcome.js";
import { startSession, type RunningSession, type SessionExit } from "../../runner/supervisor.js";
import type { InterpreterChoice } from "../../runner/python/interpreter-choice.js";
import { findPython, planPythonRun } from "../../runner/python/launcher.js";
import { servingUrl, type VuerMode } from "../../runner/python/vuer-choice.js";
import { VuerClientSession } from "../../vuer-client/client-session.js";
import { log } from "../output/extension-log.js";
import type { RunOutput } from "../output/program-output.js";
import { ScenePipeline } from "../../scene/pipeline.js";
import type { SceneStore } from "../../scene/scene-store.js";
import { Recorder } from "../../recording/recorder.js";
import type { SceneNode } from "../../protocol/scene.js";
import { TaskModel, type TaskRecord } from "./task-model.js";

export type SessionState = Extract<ViewerSessionState, "starting" | "running" | "done" | "failed" | "stopped">;

/** A task spawned (its parent's row gains a child) or changed state (its own row). */
export interface TaskChange {
  readonly task: TaskRecord;
  readonly spawned: boolean;
}

export interface HostSessionOptions {
  id: string;
  file: string;
  /** Shown in the tree, the panel title and the viewer's status line. */
  label: string;
  /** 1 for a file's first run in this window, 2 for its second, ... */
  runOfFile: number;
  output: RunOutput;
  python?: string;
  /**
   * A Python run's interpreter and why (the Python extension's, the setting, PATH: see
   * interpreter-choice.ts); absent: `python` as given.
   */
  interpreter?: () => Promise<InterpreterChoice>;
  /** Which vuer a Python run gets (sceneRunner.vuer); default auto. */
  vuer?: VuerMode;
  /** Our version, for the INIT our vuer client sends a program's own vuer server. */
  clientVersion?: string;
  graceMs?: number;
  /** Memory for the run's recording (the timeline); 0: not recorded. */
  recordingBudgetBytes?: number;
}

/** How a run that is only remembered (a window reload ended it) is rebuilt: see saved-sessions.ts. */
export interface RestoredRun {
  state: SessionState;
  live: boolean;
  startedAt: number;
  endedAt?: number;
  error?: ErrorInfo;
  tasks: ReadonlyArray<TaskInfo & { state: TaskState; startedAt: number; endedAt?: number; error?: ErrorInfo }>;
  omittedTasks: number;
}

let nextRun = 1;

export class HostSession implements vscode.Disposable {
  readonly id: string;
  readonly file: string;
  readonly uri: vscode.Uri;
  readonly label: string;
  readonly run = nextRun++;
  readonly runOfFile: number;
  readonly tasks = new TaskModel();
  readonly pipeline: ScenePipeline;
  /** Everything the run did, bounded (oldest first dropped): the timeline's scenes and task spans. */
  get recorder(): Recorder | undefined {
    return this.recording;
  }
  private recording: Recorder | undefined;

  /** Frees the run's recording (the manager keeps only the newest finished runs' recordings). */
  dropRecording(): void {
    this.recording = undefined;
  }
  readonly output: RunOutput;
  startedAt = Date.now();
  /** A window reload ended it: it is remembered, not run (no process, no viewer of its own). */
  endedByReload = false;
  restored = false;
  /**
   * A recording's run as it stood at this moment (ms into the recording): its tasks in their
   * states then, their times frozen there. Undefined for a run of this window.
   */
  recordedAt?: number;
  /** The clock rows read elapsed times by: now, or the recorded moment shown. */
  private frozenNow?: number;

  now(): number {
    return this.frozenNow ?? Date.now();
  }
  endedAt?: number;
  state: SessionState = "starting";
  runtime?: RuntimeKind;
  /** Why the run failed: the program's uncaught error, or a launch problem. */
  error?: ErrorInfo;
  /** Stop was requested (the tree shows "stopping" until the process is gone). */
  stopping = false;
  private stopRequestedAt?: number;
  private child?: RunningSession;
  /** On installed vuer: our client of the program's own vuer server, feeding this run's pipeline. */
  private vuerClient?: VuerClientSession;
  private readonly changed = new vscode.EventEmitter<HostSession>();
  private readonly ended = new vscode.EventEmitter<HostSession>();
  /** Fires on any change the UI shows: state, tasks. */
  readonly onDidChange = this.changed.event;
  /** Fires once, when the process is gone (or never started). */
  readonly onDidEnd = this.ended.event;
  /** The program is under way: its first task or scene message arrived (SESSION_START comes before the import). */
  programStarted = false;
  private readonly programStart = new vscode.EventEmitter<HostSession>();
  /** Fires once, when `programStarted` becomes true; never for a run that fails to start. */
  readonly onDidStartProgram = this.programStart.event;
  private readonly taskChanged = new vscode.EventEmitter<TaskChange>();
  /** One task spawned or changed state (the tree redraws just its rows). Also fires onDidChange. */
  readonly onDidChangeTask = this.taskChanged.event;
  private readonly taskFailed = new vscode.EventEmitter<TaskRecord>();
  /** A task failed: main, or one in the background that nobody may ever await. */
  readonly onDidFailTask = this.taskFailed.event;
  private readonly finished: Promise<void>;
  private markFinished!: () => void;

  constructor(private readonly options: HostSessionOptions) {
    this.id = options.id;
    this.file = options.file;
    this.uri = vscode.Uri.file(options.file);
    this.label = options.label;
    this.runOfFile = options.runOfFile;
    this.output = options.output;
    this.pipeline = new ScenePipeline({ state: "starting", title: options.label });
    const budget = options.recordingBudgetBytes;
    // Keyframes come from the pipeline's store (the host's one copy of the scene): the recorder
    // sees each message before the store applies it.
    this.recording = budget === 0 ? undefined : new Recorder({ ...(budget ? { budgetBytes: budget } : {}), scene: { snapshot: () => this.pipeline.store.snapshot() } });
    this.finished = new Promise((r) => (this.markFinished = r));
  }

  /** A run from before a window reload, as it was (one live then is "stopped by window reload"). */
  static restore(options: HostSessionOptions, saved: RestoredRun, recordedAt?: number): HostSession {
    const s = new HostSession(options);
    s.restored = true;
    s.startedAt = saved.startedAt;
    for (const t of saved.tasks) {
      s.tasks.spawn(t, t.startedAt);
      if (t.state === "running" || t.state === "cancelling") {
        // A recording shows the task as it was then; a task a reload cut off ends with its run,
        // as tasks a killed process never reported.
        if (recordedAt !== undefined) s.tasks.setState(t.id, t.state, t.startedAt);
        else s.tasks.setState(t.id, "cancelled", saved.endedAt ?? Date.now());
      } else s.tasks.setState(t.id, t.state, t.endedAt ?? t.startedAt, t.error);
    }
    if (recordedAt !== undefined) {
      s.recordedAt = recordedAt;
      s.frozenNow = saved.startedAt + recordedAt;
    }
    if (saved.error) s.error = saved.error;
    s.endedByReload = saved.live;
    s.endedAt = saved.endedAt ?? Date.now();
    s.state = saved.live ? "stopped" : saved.state;
    s.pipeline.setSession({ state: s.state, title: s.label });
    if (saved.omittedTasks) s.output.note(`(restored after a window reload: ${saved.omittedTasks} later tasks were not kept)`);
    s.markFinished();
    return s;
  }

  get isLive(): boolean {
    return this.state === "starting" || this.state === "running";
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process. Never throws: a launch problem ends the session as failed. */
  async start(): Promise<void> {
    this.output.header(`Run ${this.run}: ${basename(this.file)}  ${new Date(this.startedAt).toLocaleTimeString()}`);
    try {
      const python = extname(this.file).toLowerCase() === ".py" ? await this.planPython() : undefined;
      this.child = await startSession({
        file: this.file,
        python: python?.python ?? this.options.python,
        vuer: python?.vuer,
        graceMs: this.options.graceMs,
        // A viewer only needs the latest state: let the runner fold updates while the pipe is full.
        coalesce: true,
        onMessage: (m, frame) => this.receive(m, frame),
        onStdout: (c) => this.output.write("stdout", c),
        onStderr: (c) => this.output.write("stderr", c),
        // Where the user looks (the run's output), not only in the extension's log.
        onProtocolError: (e) => this.warn(`ignored a malformed message from the program: ${e.message}`),
        onDroppedNode: (d) => this.warn(droppedNodeLine(d)),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.error = { name: e instanceof LaunchError ? "LaunchError" : "Error", message };
      this.output.note(`could not start: ${message}`);
      log.error(`${this.label}: could not start: ${message}`);
      this.finish("failed");
      return;
    }
    log.info(`${this.label}: started (pid ${this.child.pid})`);
    // vuer's handshake. The run's viewer is its scene pipeline, there from the start: a panel
    // opened (or reopened) later is shown that scene and starts no second session.
    this.child.send(viewerInit("vscode"));
    if (this.stopping) void this.child.stop(); // Stop was pressed while it launched
    void this.child.exited.then((exit) => this.exited(exit));
  }

  /**
   * The interpreter and the vuer of a Python run, said under the run's header. Throws
   * LaunchError (an interpreter that does not run; `installed` asked for and none importable).
   */
  private async planPython(): Promise<{ python: string; vuer: "bundled" | "installed" }> {
    const choice = this.options.interpreter ? await this.options.interpreter() : { python: this.options.python, why: this.options.python ? "sceneRunner.pythonPath" : "python3 from PATH" };
    const interpreter = await findPython(choice.python).catch((e: unknown) => {
      this.output.detail("python", `${choice.python ?? "python3"}: ${choice.why}`);
      throw e;
    });
    this.output.detail("python", `${interpreter.command} (Python ${interpreter.version.join(".")}): ${choice.why}`);
    const plan = await planPythonRun(this.file, { python: interpreter.command, vuer: this.options.vuer });
    this.output.detail("vuer", plan.vuer.why);
    return { python: interpreter.command, vuer: plan.vuer.use };
  }

  /**
   * The program's own vuer server listens (installed vuer): our vuer client connects to it and
   * feeds this run's pipeline, so the run's panel shows what the server sends and its events go
   * to the server. One server per run: a second app's address is only said.
   */
  private connectVuer(m: VuerServingMessage): void {
    const url = servingUrl(m);
    if (this.vuerClient) return this.output.note(`the program's vuer also serves on ${url}; the viewer stays on the first`);
    if (!this.isLive || this.stopping) return;
    this.output.note(`the program's vuer serves on ${url}: the viewer connects to it`);
    const client = new VuerClientSession({
      url,
      version: this.options.clientVersion ?? "0.0.0",
      viewer: "vscode",
      width: 1280,
      height: 720,
      sharedPipeline: this.pipeline,
      // Recorded as a bundled run's scene messages are: the timeline scrubs an installed run too.
      onScene: (scene) => this.recorder?.record(scene),
      log: (line, state) => {
        log.info(`${this.label}: vuer client: ${line}`);
        // The run's output says what went wrong (a lost connection, a dropped node), not that all is well.
        if (state !== "connected") this.output.note(`vuer client: ${line}`);
      },
    });
    this.vuerClient = client;
    client.start();
  }

  private closeVuerClient(reason: string): void {
    this.vuerClient?.close(reason);
  }

  /** Cancels every task (finally blocks run), kills after the grace period. Resolves once it has ended. */
  async stop(): Promise<void> {
    if (!this.isLive) return;
    if (!this.stopping) {
      this.stopping = true;
      this.stopRequestedAt = Date.now();
      this.changed.fire(this);
      log.info(`${this.label}: stop requested`);
      // The program's own server goes down with it: no reconnect attempts meanwhile.
      this.closeVuerClient("the run is stopping");
    }
    if (this.child) await this.child.stop();
    await this.finished;
  }

  /** Ends the process at once (deactivation that cannot wait). */
  kill(): void {
    this.child?.kill();
  }

  /** Cancels one task, exactly as task.cancel() in the program would. */
  cancelTask(taskId: string): void {
    if (!this.child || !this.isLive) return;
    log.info(`${this.label}: cancel task ${taskId}`);
    this.child.send({ etype: "TASK_CANCEL", ts: Date.now(), id: taskId });
    // Shown at once: the runner confirms (or the task ends) in its own time.
    if (this.tasks.setState(taskId, "cancelling", Date.now())) {
      this.taskChanged.fire({ task: this.tasks.get(taskId)!, spawned: false });
      this.changed.fire(this);
    }
  }

  /** A viewer event (click, camera, gizmo, widget, RPC answer) for the program. */
  sendEvent(event: ClientEvent): void {
    if (!this.child || !this.isLive) return;
    this.recorder?.recordEvent(event);
    // On installed vuer the program hears its viewer through its own server, as from a browser.
    if (this.vuerClient) this.vuerClient.viewerEvent(event);
    else this.child.send(event);
  }


  /** The scene as it was `at` ms into the recording (null: nothing recorded, or nothing held that far back). */
  sceneAt(at: number): { scene: SceneNode; at: number } | null {
    const past = this.storeAt(at);
    return past && { scene: past.store.snapshot(), at: past.at };
  }

  /**
   * The scene store as it was `at` ms into the recording, to read node by node (the outliner of a
   * scrubbed run). One store per moment, shared with the viewer's timeline (Recorder.sceneAt): read only.
   */
  storeAt(at: number): { store: SceneStore; at: number } | null {
    if (!this.recorder?.header) return null;
    const { store, t } = this.recorder.sceneAt(at);
    return { store, at: t };
  }

  private receive(m: RunnerToHost, frame?: Buffer): void {
    this.recorder?.record(m, frame);
    switch (m.etype) {
      case "SET":
      case "ADD":
      case "UPSERT":
      case "UPDATE":
      case "REMOVE":
        this.noteProgramStarted();
        for (const w of this.pipeline.push(m)) this.warn(w);
        return;
      case "TASK_SPAWN":
        this.noteProgramStarted();
        this.taskChanged.fire({ task: this.tasks.spawn(m.task, m.ts), spawned: true });
        break;
      case "TASK_STATE":
        if (!this.tasks.setState(m.task.id, m.task.state, m.ts, m.task.error)) return;
        this.taskChanged.fire({ task: this.tasks.get(m.task.id)!, spawned: false });
        if (m.task.state === "failed") this.taskFailed.fire(this.tasks.get(m.task.id)!);
        break;
      case "LOG":
        this.output.text(m.text);
        return;
      case "GRAB_RENDER":
        if (!this.pipeline.rpc(m)) {
          this.sendEvent({ etype: rpcResponseType("GRAB_RENDER", m.uuid), ts: Date.now(), error: "the viewer panel is not open (Scene: Show Viewer opens it)" });
        }
        return;
      case "SESSION_START":
        this.runtime = m.runtime;
        this.setState("running");
        return;
      case "SESSION_END":
        if (m.error) this.error = m.error;
        return; // the state follows the process exit, which comes right after
      case "VUER_SERVING":
        this.connectVuer(m);
        return;
      default:
        assertNever(m);
    }
    this.changed.fire(this);
  }

  /** A problem with this run the user must see: in its output channel, and in the extension's log. */
  warn(text: string): void {
    log.warn(`${this.label}: ${text}`);
    this.output.note(text);
  }

  private noteProgramStarted(): void {
    if (this.programStarted) return;
    this.programStarted = true;
    this.programStart.fire(this);
  }

  private exited(exit: SessionExit): void {
    const status = exit.channelClosed ? "failed" : (exit.end?.status ?? (this.stopping ? "stopped" : "failed"));
    const unreported = this.tasks.endAll(Date.now());
    // One line on how the program ended, as the CLI prints it (a signal, a closed channel, its own status, what it left running).
    const outcome = exitStatus(exit, this.stopping ? "interrupted" : undefined);
    if (exit.killed) this.output.note(`did not stop within the grace period: killed${unreported ? ` (${unreported} task${unreported > 1 ? "s" : ""} never finished)` : ""}`);
    if (outcome.line) this.output.note(outcome.line);
    else if (!exit.end && !exit.killed) this.output.note(`the process ended without reporting (exit ${exit.signal ?? exit.code})`);
    if (exit.channelClosed && !this.error) this.error = { name: "Error", message: "the program closed the runner's channel (fd 3)" };
    if (status === "failed" && !this.error) this.error = { name: "Error", message: `the program exited with ${exit.signal ?? `code ${exit.code}`}` };
    const failedTasks = this.tasks.counts().failed;
    const tasksNote = status !== "failed" && failedTasks ? ` (${failedTasks} task${failedTasks === 1 ? "" : "s"} failed: see Problems)` : "";
    this.output.note(`${status}${this.error && status === "failed" ? `: ${this.error.name}: ${this.error.message}` : ""}${tasksNote}`);
    const after = this.stopRequestedAt === undefined ? "" : `, ${Date.now() - this.stopRequestedAt} ms after stop was requested`;
    log.info(`${this.label}: ${status} (exit ${exit.signal ?? exit.code}${exit.killed ? ", killed" : ""}${after})`);
    this.finish(status);
  }

  private finish(status: Extract<SessionState, "done" | "failed" | "stopped">): void {
    this.closeVuerClient("the run ended");
    this.endedAt = Date.now();
    this.stopping = false;
    this.setState(status);
    this.recorder?.close();
    this.markFinished();
    this.ended.fire(this);
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.pipeline.setSession({ state, title: this.label });
    this.changed.fire(this);
  }

  dispose(): void {
    this.closeVuerClient("the run was closed");
    this.child?.kill();
    this.pipeline.dispose();
    this.changed.dispose();
    this.taskChanged.dispose();
    this.ended.dispose();
    this.taskFailed.dispose();
    this.programStart.dispose();
  }
}
