/**
 * A status bar item while scenes run: how many sessions and tasks, a click
 * focuses the Tasks tree. Hidden when nothing runs (an idle extension shows
 * nothing).
 */
import * as vscode from "vscode";
import { FOCUS_TASKS_VIEW } from "../commands.js";
import type { SessionManager } from "../sessions/session-manager.js";

export class SceneStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("sceneRunner.status", vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sessions: SessionManager) {
    this.item.name = "Scene Runner";
    this.item.command = FOCUS_TASKS_VIEW;
    this.subscriptions = [sessions.onDidChangeSessions(() => this.updateSoon()), sessions.onDidChangeSession(() => this.updateSoon())];
    this.update();
  }

  /** Task messages arrive by the thousand: redraw at most every 100 ms. */
  private updateSoon(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    const live = this.sessions.liveSessions();
    if (live.length === 0) {
      this.item.hide();
      return;
    }
    const running = live.map((s) => s.tasks.counts().running);
    const tasks = running.reduce((a, b) => a + b, 0);
    const scenes = live.length === 1 ? live[0].label : `${live.length} scenes`;
    this.item.text = `$(loading~spin) ${scenes} · ${tasks} task${tasks === 1 ? "" : "s"}`;
    this.item.tooltip = `${live.map((s, i) => `${s.label}: ${running[i]} running`).join("\n")}\nClick to show the Tasks view`;
    this.item.show();
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subscriptions.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
