/**
 * "▶ Run Scene" above every `main` of a scene file, and "■ Stop Scene" (plus
 * "Show Viewer") while that file's scene runs. The scan is a regex pass over the
 * text (src/runner/main-locator.ts), so lenses cost nothing and work on files
 * that do not compile yet.
 */
import * as vscode from "vscode";
import { findMainFunctions, languageOf } from "../../runner/main-locator.js";
import { commandFor } from "../commands.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";

/** Where lenses are offered: files on disk in the languages a runner exists for. */
export const SCENE_SELECTOR: vscode.DocumentSelector = [
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "typescriptreact" },
  { scheme: "file", language: "python" },
];

export class MainCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Live runs whose file was edited since they started: their Restart says so. */
  private readonly edited = new WeakSet<HostSession>();

  constructor(private readonly sessions: SessionManager) {
    this.subscriptions = [
      // Run becomes Stop (and back) as sessions start and end.
      sessions.onDidChangeSessions(() => this.changed.fire()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const live = e.contentChanges.length ? sessions.liveFor(e.document.uri.fsPath) : undefined;
        if (!live || this.edited.has(live)) return;
        this.edited.add(live);
        this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const language = languageOf(doc.fileName);
    if (!language || token.isCancellationRequested) return [];
    const live = this.sessions.liveFor(doc.uri.fsPath);
    const lenses: vscode.CodeLens[] = [];
    for (const main of findMainFunctions(doc.getText(), language)) {
      const range = new vscode.Range(main.line, 0, main.line, 0);
      if (live) {
        lenses.push(new vscode.CodeLens(range, commandFor("sceneRunner.stop", "■ Stop Scene", doc.uri)));
        const restart = this.edited.has(live) ? "↻ Restart (changed)" : "↻ Restart";
        lenses.push(new vscode.CodeLens(range, commandFor("sceneRunner.run", restart, doc.uri)));
        lenses.push(new vscode.CodeLens(range, commandFor("sceneRunner.showViewer", "Show Viewer", doc.uri)));
      } else {
        lenses.push(new vscode.CodeLens(range, commandFor("sceneRunner.run", "▶ Run Scene", doc.uri)));
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
