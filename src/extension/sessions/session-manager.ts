/**
 * All runs, live and finished. One live session per scene file: running a file
 * that is already running restarts it. Several files run at once, each with its
 * own session (and so its own panel and tree root). Finished sessions stay until
 * "Clear Finished" (the oldest beyond sceneRunner.keepFinishedRuns are dropped
 * so a long day of run-on-save does not grow without bound).
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as vscode from "vscode";
import { log } from "../output/extension-log.js";
import { RunOutput, type ProgramOutputs } from "../output/program-output.js";
import { chooseInterpreter } from "../../runner/python/interpreter-choice.js";
import type { VuerMode } from "../../runner/python/vuer-choice.js";
import { pythonExtensionSource } from "../installed-vuer/python-extension.js";
import { HostSession, type TaskChange } from "./host-session.js";
import type { SavedSession } from "./saved-sessions.js";
import type { SetMessage } from "../../protocol/scene.js";

export interface RunSettings {
  python?: string;
  /** sceneRunner.vuer: which vuer Python scenes import. */
  vuer?: VuerMode;
  /** Finished runs kept in the list (sceneRunner.keepFinishedRuns). */
  keepFinished: number;
  recordingBudgetBytes?: number;
}

/** Finished runs whose recordings (the viewer's timeline, Save Recording…) are kept. */
export const RECORDINGS_KEPT = 3;

export class SessionManager implements vscode.Disposable {
  private readonly all: HostSession[] = [];
  private readonly live = new Map<string, HostSession>();
  /** Per file, the run being set up: a second Run waits for the first instead of racing it. */
  private readonly launching = new Map<string, Promise<HostSession>>();
  private readonly subscriptions = new Map<HostSession, vscode.Disposable[]>();
  private nextId = 1;
  /** Per file, how many runs it has had in this window (run numbers in the tree). */
  private readonly runsOfFile = new Map<string, number>();

  private readonly listChanged = new vscode.EventEmitter<void>();
  private readonly sessionChanged = new vscode.EventEmitter<HostSession>();
  private readonly taskChanged = new vscode.EventEmitter<TaskChange & { session: HostSession }>();
  private readonly sessionStarted = new vscode.EventEmitter<HostSession>();
  private readonly sessionEnded = new vscode.EventEmitter<HostSession>();
  /** Sessions were added or removed, or one changed state (code lenses, status bar, context keys). */
  readonly onDidChangeSessions = this.listChanged.event;
  /** Anything about one session changed (its tasks included): the tree. */
  readonly onDidChangeSession = this.sessionChanged.event;
  /** One task of a session spawned or changed state (fires before that session's onDidChangeSession). */
  readonly onDidChangeTask = this.taskChanged.event;
  readonly onDidStartSession = this.sessionStarted.event;
  readonly onDidEndSession = this.sessionEnded.event;

  constructor(
    private readonly outputs: ProgramOutputs,
    private readonly settings: () => RunSettings,
  ) {}

  /** Sessions in start order. */
  get sessions(): readonly HostSession[] {
    return this.all;
  }

  liveSessions(): HostSession[] {
    return [...this.live.values()];
  }

  liveFor(file: string): HostSession | undefined {
    return this.live.get(file);
  }

  /** The newest session of a file, live or not. */
  latestFor(file: string): HostSession | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) if (this.all[i].file === file) return this.all[i];
    return undefined;
  }

  /** Runs `file`, stopping its current run first. Resolves once the new process is started (or failed to). */
  run(file: string): Promise<HostSession> {
    const previous = this.launching.get(file);
    const next = (async () => {
      await previous?.catch(() => undefined);
      const current = this.live.get(file);
      if (current) {
        log.info(`${current.label}: restarting`);
        await current.stop();
      }
      return this.launch(file);
    })();
    this.launching.set(file, next);
    void next.finally(() => {
      if (this.launching.get(file) === next) this.launching.delete(file);
    });
    return next;
  }

  private async launch(file: string): Promise<HostSession> {
    const label = this.labelFor(file);
    const output = new RunOutput(this.outputs.channel(file, label));
    const runOfFile = (this.runsOfFile.get(file) ?? 0) + 1;
    this.runsOfFile.set(file, runOfFile);
    const settings = this.settings();
    const session = new HostSession({
      id: `s${this.nextId++}`,
      file,
      label,
      runOfFile,
      output,
      python: settings.python,
      // The Python extension's interpreter for this file, else the setting, else PATH.
      interpreter: () => chooseInterpreter(file, { pythonExtension: pythonExtensionSource(), setting: settings.python }),
      vuer: settings.vuer,
      clientVersion: extensionVersion(),
      recordingBudgetBytes: settings.recordingBudgetBytes,
    });
    this.all.push(session);
    this.live.set(file, session);
    // Task messages change a session many times a second; the list changes only with its state.
    let lastState = session.state;
    this.subscriptions.set(session, [
      session.onDidChangeTask((c) => this.taskChanged.fire({ ...c, session })),
      session.onDidChange((s) => {
        this.sessionChanged.fire(s);
        if (s.state !== lastState) {
          lastState = s.state;
          this.listChanged.fire();
        }
      }),
      session.onDidEnd((s) => {
        if (this.live.get(s.file) === s) this.live.delete(s.file);
        this.trimRecordings();
        this.sessionEnded.fire(s);
        this.listChanged.fire();
      }),
    ]);
    this.trimFinished();
    this.listChanged.fire();
    this.sessionStarted.fire(session);
    await session.start();
    return session;
  }

  /** Runs from before a window reload, shown as they were (see saved-sessions.ts). */
  restore(saved: readonly SavedSession[]): void {
    for (const r of saved) {
      const output = new RunOutput(this.outputs.channel(r.file, r.label));
      const session = HostSession.restore({ id: `s${this.nextId++}`, file: r.file, label: r.label, runOfFile: r.runOfFile, output }, r);
      this.all.push(session);
      this.runsOfFile.set(r.file, Math.max(this.runsOfFile.get(r.file) ?? 0, r.runOfFile));
      this.subscriptions.set(session, []);
    }
    this.trimFinished();
    if (saved.length) this.listChanged.fire();
  }

  /** Rows of recordings open in an editor, by editor: the run as it stood at the moment shown. */
  private readonly recorded = new Map<string, HostSession>();

  /**
   * Shows (or, with undefined, removes) a recording's run in the list: `key` names the editor
   * showing it, `at` the moment (ms into the recording) its tasks are shown at, `scene` the
   * scene of that moment (what the Scene view lists).
   */
  setRecorded(key: string, run: (SavedSession & { at: number; scene?: SetMessage }) | undefined): void {
    const old = this.recorded.get(key);
    if (old) {
      this.all.splice(this.all.indexOf(old), 1);
      this.recorded.delete(key);
      this.forget(old);
    }
    if (run) {
      const output = new RunOutput(this.outputs.channel(run.file, run.label));
      const session = HostSession.restore({ id: `s${this.nextId++}`, file: run.file, label: run.label, runOfFile: run.runOfFile, output, recordingBudgetBytes: 0 }, run, run.at);
      // No viewer is attached to this row's pipeline: the scene only fills its store.
      if (run.scene) session.pipeline.push(run.scene);
      this.all.push(session);
      this.recorded.set(key, session);
      this.subscriptions.set(session, []);
    }
    this.listChanged.fire();
  }

  async stop(file: string): Promise<void> {
    await this.live.get(file)?.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.liveSessions().map((s) => s.stop()));
  }

  /** Drops every finished session from the list (their output channels stay while their file has a session). */
  clearFinished(): void {
    const keep = this.all.filter((s) => s.isLive || s.recordedAt !== undefined);
    const dropped = this.all.filter((s) => !keep.includes(s));
    this.all.splice(0, this.all.length, ...keep);
    dropped.forEach((s) => this.forget(s));
    if (dropped.length) this.listChanged.fire();
  }

  /**
   * Each run's recording may hold up to sceneRunner.recording.memoryMB; a day of runs must not
   * add up: only the newest RECORDINGS_KEPT finished runs keep theirs (live runs always do).
   */
  private trimRecordings(): void {
    const finished = this.all.filter((s) => !s.isLive && s.recorder);
    for (const s of finished.slice(0, Math.max(0, finished.length - RECORDINGS_KEPT))) s.dropRecording();
  }

  private trimFinished(): void {
    // A recording's row stays while its editor is open.
    const finished = this.all.filter((s) => !s.isLive && s.recordedAt === undefined);
    for (const s of finished.slice(0, Math.max(0, finished.length - this.settings().keepFinished))) {
      this.all.splice(this.all.indexOf(s), 1);
      this.forget(s);
    }
  }

  private forget(s: HostSession): void {
    this.subscriptions.get(s)?.forEach((d) => d.dispose());
    this.subscriptions.delete(s);
    s.dispose();
    if (!this.all.some((o) => o.file === s.file)) this.outputs.release(s.file);
  }

  /** The file name, or its workspace-relative path when another known file has the same name. */
  labelFor(file: string): string {
    const name = basename(file);
    const clash = this.all.some((s) => s.file !== file && basename(s.file) === name);
    return clash ? vscode.workspace.asRelativePath(file, false) : name;
  }

  /** Deactivation: ask every live session to stop, and kill what is left when time runs out. */
  async shutdown(deadlineMs = 2500): Promise<void> {
    const live = this.liveSessions();
    const timer = new Promise<void>((r) => setTimeout(r, deadlineMs));
    await Promise.race([Promise.all(live.map((s) => s.stop())), timer]);
    live.forEach((s) => s.kill());
  }

  dispose(): void {
    for (const s of this.all) {
      s.kill();
      this.forget(s);
    }
    this.all.length = 0;
    this.live.clear();
    this.listChanged.dispose();
    this.sessionChanged.dispose();
    this.taskChanged.dispose();
    this.sessionStarted.dispose();
    this.sessionEnded.dispose();
  }
}

let version: string | undefined;
/** Ours, from the package.json beside dist/ (read once). */
function extensionVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version?: unknown }).version ?? "0.0.0");
    } catch {
      version = "0.0.0";
    }
  }
  return version;
}
