/**
 * Scene Runner in VS Code: run a scene file's `main` in a child process, watch
 * its scene in a viewer panel and its tasks in a tree, cancel and stop them.
 * activate() only wires the features together; each lives in its own folder.
 * Everything created here is pushed to context.subscriptions.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import { languageOf } from "../runner/main-locator.js";
import { MainCodeLensProvider, SCENE_SELECTOR } from "./codelens/main-lens.js";
import { registerCommands, type CommandHandlers } from "./commands.js";
import { settings } from "./config.js";
import { trackContextKeys } from "./context-keys.js";
import { createExtensionLog, errorText, log } from "./output/extension-log.js";
import { ProgramOutputs } from "./output/program-output.js";
import { SceneDiagnostics } from "./problems/diagnostics.js";
import type { HostSession } from "./sessions/host-session.js";
import { keepSaved, SavedSessions } from "./sessions/saved-sessions.js";
import { SessionManager } from "./sessions/session-manager.js";
import { SceneOutliner } from "./outliner/scene-outliner.js";
import { SceneStatusBar } from "./status/status-bar.js";
import { isSessionItem, TaskTreeProvider, type SessionItem } from "./tasks/task-tree.js";
import { scrubbedRuns } from "./tasks/past-tasks.js";
import { mayRunCode } from "./trust.js";
import { ScenePanels } from "./viewer/scene-panels.js";
import { registerRecordings } from "./recordings/register.js";
import { registerConnectCommand } from "./connect/connect-command.js";
import { registerBrowserViewer } from "./browser/open-in-browser.js";

const loadedAt = performance.now();
let running: { sessions: SessionManager; panels: ScenePanels; savedSessions: SavedSessions } | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const push = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  push(createExtensionLog());
  const outputs = push(new ProgramOutputs());
  const sessions = push(new SessionManager(outputs, () => settings()));
  const savedSessions = new SavedSessions(context.workspaceState);
  // Before a tree or a lens reads the list: the runs from before a window reload come back as they were.
  sessions.restore(savedSessions.load());
  push(keepSaved(sessions, savedSessions));
  const diagnostics = push(new SceneDiagnostics());
  const panels = push(new ScenePanels(context.extensionUri, context.workspaceState, context.globalState, sessions));
  const outliner = push(new SceneOutliner(sessions, () => panels.activeFile(), (s, key) => panels.select(s, key)));
  push(panels.onDidClickNode(({ session, key }) => void outliner.reveal(session, key)));
  const tree = push(new TaskTreeProvider(sessions));
  tree.attach(push(vscode.window.createTreeView("sceneRunner.tasks", { treeDataProvider: tree, showCollapseAll: true })));
  push(vscode.languages.registerCodeLensProvider(SCENE_SELECTOR, push(new MainCodeLensProvider(sessions))));
  push(new SceneStatusBar(sessions));
  push(trackContextKeys(sessions));
  running = { sessions, panels, savedSessions };
  for (const d of registerRecordings(context, sessions, () => panels.activeFile())) push(d); // .srec files; "Scene: Save Recording…"
  for (const d of registerConnectCommand(context)) push(d); // "Scene: Connect to vuer Server…"
  for (const d of registerBrowserViewer(context, sessions, () => panels.activeFile())) push(d); // "Scene: Open Viewer in Browser"

  // A new run forgets the Problems of the previous one; every failed task adds one (a task
  // failing in the background as well as main), and a failure no task carries (a launch
  // problem, a syntax error, a crash before main) adds one when the run ends.
  push(
    sessions.onDidStartSession((s) => {
      diagnostics.clear(s.file);
      s.onDidFailTask((t) => diagnostics.reportTask(s.file, t));
    }),
  );
  push(
    sessions.onDidEndSession((s) => {
      if (s.state === "failed" && s.error && !s.tasks.counts().failed) diagnostics.report(s.file, s.error);
    }),
  );

  /** Files that run() itself is saving: their save must not also restart them (runOnSave). */
  const savingToRun = new Set<string>();
  const run = async (file: string): Promise<HostSession | undefined> => {
    if (!mayRunCode()) return undefined;
    // Run what the editor shows, not an older copy on disk.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (doc?.isDirty) {
      savingToRun.add(file);
      try {
        await doc.save();
      } finally {
        savingToRun.delete(file);
      }
    }
    const session = await sessions.run(file);
    session.output.channel.show(true);
    if (session.state === "failed" && session.error?.name === "LaunchError") {
      void vscode.window.showErrorMessage(`Scene: ${session.error.message}`);
    }
    return session;
  };

  const handlers: CommandHandlers = {
    "sceneRunner.run": async (uri) => {
      const file = targetFile(uri, panels);
      if (file) await run(file);
    },
    "sceneRunner.stop": async (target) => {
      const file = isSessionItem(target) ? target.session.file : targetFile(target, panels);
      if (!file) return;
      if (!sessions.liveFor(file)) {
        void vscode.window.showInformationMessage(`Scene: ${vscode.workspace.asRelativePath(file)} is not running.`);
        return;
      }
      await sessions.stop(file);
    },
    "sceneRunner.stopAll": () => sessions.stopAll(),
    "sceneRunner.showViewer": (target) => {
      if (isSessionItem(target)) {
        // A run from before a window reload has no scene of its own: its file's restored panel, if any.
        if (!target.session.restored) panels.showFor(target.session, false);
        else if (!panels.show(target.session.file)) void vscode.window.showInformationMessage(`Scene: ${target.session.label} ran before the window reload. Run it again to see it.`);
        return;
      }
      const file = targetFile(target, panels);
      if (file && !panels.show(file)) {
        void vscode.window.showInformationMessage(`Scene: ${vscode.workspace.asRelativePath(file)} has not run yet. Run it first (Scene: Run Scene).`);
      }
    },
    // A tree action can arrive without its row when the tree was redrawn under the click.
    "sceneRunner.cancelTask": (item) => (item ? item.session.cancelTask(item.task.id) : staleRow()),
    "sceneRunner.stopSession": (item: SessionItem) => (item ? item.session.stop() : staleRow()),
    "sceneRunner.backToLive": (item: SessionItem) => (item ? scrubbedRuns.backToLive(item.session) : staleRow()),
    "sceneRunner.clearFinished": () => sessions.clearFinished(),
    "sceneRunner.openLocation": async (file, line, column) => {
      const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
      await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), preview: true });
    },
  };
  for (const d of registerCommands(handlers, (id, e) => {
    log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    void vscode.window.showErrorMessage(`Scene: ${errorText(e)}`);
  })) {
    push(d);
  }

  // sceneRunner.runOnSave: saving a running scene restarts it.
  push(
    vscode.workspace.onDidSaveTextDocument((doc) => {
      const file = doc.uri.fsPath;
      if (doc.uri.scheme !== "file" || savingToRun.has(file) || !sessions.liveFor(file) || !settings(doc.uri).runOnSave) return;
      log.info(`${vscode.workspace.asRelativePath(file)} saved: restarting its scene (sceneRunner.runOnSave)`);
      void run(file).catch((e: unknown) => log.error(`restart on save failed: ${errorText(e)}`));
    }),
  );

  const now = performance.now();
  log.info(`activated in ${(now - started).toFixed(1)} ms (module load to ready: ${(now - loadedAt).toFixed(1)} ms)`);
}

/** Saves the open viewers' scenes for a window reload, then stops every program (kills what will not stop). */
export async function deactivate(): Promise<void> {
  if (!running) return;
  const { sessions, panels, savedSessions } = running;
  running = undefined;
  await Promise.all([panels.saveAll().catch(() => undefined), Promise.resolve(savedSessions.save(sessions.sessions)).catch(() => undefined)]);
  await sessions.shutdown();
}

function staleRow(): void {
  log.warn("a tree action arrived without its row (the tree was redrawn under the click)");
  void vscode.window.showWarningMessage("Scene: the task list changed under the click; please try again.");
}

/**
 * The scene file a command is about: the Uri it was given (code lens, editor
 * title, explorer), else the active editor's file, else the file of the
 * focused viewer panel. Shows why when there is none.
 */
function targetFile(arg: unknown, panels: ScenePanels): string | undefined {
  let file: string | undefined;
  if (arg instanceof vscode.Uri) file = arg.fsPath;
  else {
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.scheme === "file" && languageOf(editor.document.fileName)) file = editor.document.uri.fsPath;
    else file = panels.activeFile();
  }
  if (!file || !languageOf(file)) {
    void vscode.window.showErrorMessage("Scene: open a scene file (.ts, .js, .mjs or .py with a main function) to run it.");
    return undefined;
  }
  return file;
}
