/**
 * Context keys for when-clauses in package.json menus: `sceneRunner.running`
 * (any scene runs) and `sceneRunner.runningFiles` (paths of running scene
 * files, for `resourcePath in sceneRunner.runningFiles` on the editor's Stop button).
 */
import * as vscode from "vscode";
import type { SessionManager } from "./sessions/session-manager.js";

export function trackContextKeys(sessions: SessionManager): vscode.Disposable {
  let last: string | undefined;
  const update = () => {
    const files = sessions.liveSessions().map((s) => s.file).sort();
    const key = files.join("\n");
    if (key === last) return;
    last = key;
    void vscode.commands.executeCommand("setContext", "sceneRunner.running", files.length > 0);
    void vscode.commands.executeCommand("setContext", "sceneRunner.runningFiles", files);
  };
  update();
  return sessions.onDidChangeSessions(update);
}
