/**
 * The runs the Tasks view showed, kept across a window reload. A reload restarts
 * the extension host and ends every program (see docs/process-contract.md), so
 * what comes back is the truth: each run as it last was, a live one marked
 * "stopped by window reload", with its tasks. Saved in the workspace state while
 * runs change (deactivation may be cut short by the reload), at most MAX_TASKS
 * tasks a run so a reload never stalls on a 100,000-task session.
 */
import * as vscode from "vscode";
import type { ErrorInfo, TaskInfo, TaskState } from "../../protocol/tasks.js";
import type { HostSession, SessionState } from "./host-session.js";
import type { SessionManager } from "./session-manager.js";
import type { TaskRecord } from "./task-model.js";

const KEY = "sceneRunner.sessions";
export const MAX_TASKS = 2000;

export interface SavedTask extends TaskInfo {
  state: TaskState;
  startedAt: number;
  endedAt?: number;
  error?: ErrorInfo;
}

export interface SavedSession {
  file: string;
  label: string;
  runOfFile: number;
  state: SessionState;
  /** It was live when the window went away. */
  live: boolean;
  startedAt: number;
  endedAt?: number;
  error?: ErrorInfo;
  tasks: SavedTask[];
  /** Tasks left out past MAX_TASKS. */
  omittedTasks: number;
}

export function snapshotSession(s: HostSession): SavedSession {
  const tasks: SavedTask[] = [];
  let omitted = 0;
  // Spawn order: a parent always comes before its children, so the first MAX_TASKS rebuild a tree.
  for (const t of s.tasks.all()) {
    if (tasks.length < MAX_TASKS) tasks.push(savedTask(t));
    else omitted++;
  }
  return {
    file: s.file,
    label: s.label,
    runOfFile: s.runOfFile,
    state: s.state,
    live: s.isLive,
    startedAt: s.startedAt,
    ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}),
    ...(s.error ? { error: s.error } : {}),
    tasks,
    omittedTasks: omitted,
  };
}

function savedTask(t: TaskRecord): SavedTask {
  const { children: _children, ...rest } = t;
  return { ...rest };
}

export class SavedSessions {
  constructor(private readonly state: vscode.Memento) {}

  load(): SavedSession[] {
    const all = this.state.get<unknown>(KEY);
    // Anything not in today's shape (an older version wrote it) is dropped, not trusted.
    return Array.isArray(all) ? all.filter(isSavedSession) : [];
  }

  save(sessions: readonly HostSession[]): Thenable<void> {
    // A recording's row belongs to its open editor, not to the window's runs.
    return this.state.update(KEY, sessions.filter((s) => s.recordedAt === undefined).map(snapshotSession));
  }
}

function isSavedSession(x: unknown): x is SavedSession {
  const s = x as Partial<SavedSession> | null;
  return !!s && typeof s.file === "string" && typeof s.label === "string" && typeof s.runOfFile === "number" && typeof s.startedAt === "number" && Array.isArray(s.tasks);
}

/** How long the list may change before it is saved: a busy run changes it many times a second. */
const SAVE_AFTER_MS = 2000;

/** Keeps the saved list current as runs start, change and end. */
export function keepSaved(sessions: SessionManager, store: SavedSessions): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void store.save(sessions.sessions);
    }, SAVE_AFTER_MS);
  };
  const subs = [sessions.onDidChangeSessions(soon), sessions.onDidChangeSession(soon)];
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    subs.forEach((d) => d.dispose());
  });
}
