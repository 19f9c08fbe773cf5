/**
 * An uncaught error of a scene program in the Problems panel, at the line of the
 * user's code that threw (the runner reports the innermost user frame as the
 * error's location). A file's entries are cleared when it runs again.
 */
import * as vscode from "vscode";
import type { ErrorInfo } from "../../protocol/tasks.js";
import type { TaskRecord } from "../sessions/task-model.js";

export class SceneDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("scene-runner");
  /** Scene file -> documents its last run put problems on (an error may point into an imported module). */
  private readonly written = new Map<string, vscode.Uri[]>();

  /** Forgets what the previous run of `sceneFile` reported. */
  clear(sceneFile: string): void {
    for (const uri of this.written.get(sceneFile) ?? []) this.collection.delete(uri);
    this.written.delete(sceneFile);
  }

  /** Reports the uncaught error of a run of `sceneFile`. Without a location it points at the scene file's first line. */
  report(sceneFile: string, error: ErrorInfo): void {
    this.add(sceneFile, error, `${error.name}: ${error.message}`);
  }

  /**
   * Reports a task that failed, wherever it ran: main, or a background task nobody awaited.
   * The entry names the task and points at the line that threw; its related information
   * points at the line that created the task.
   */
  reportTask(sceneFile: string, task: TaskRecord): void {
    if (!task.error) return;
    const d = this.add(sceneFile, task.error, `${task.error.name}: ${task.error.message} (task "${task.name}")`);
    if (task.file && task.line) {
      const at = new vscode.Position(task.line - 1, Math.max(0, (task.column ?? 1) - 1));
      d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(task.file), at), `task "${task.name}" was created here`)];
    }
  }

  private add(sceneFile: string, error: ErrorInfo, message: string): vscode.Diagnostic {
    const where = error.location;
    const uri = vscode.Uri.file(where?.file ?? sceneFile);
    const line = Math.max(0, (where?.line ?? 1) - 1);
    const column = Math.max(0, (where?.column ?? 1) - 1);
    // The whole rest of the line: the column alone would be a zero-width squiggle.
    const range = new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER);
    const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    d.source = "Scene Runner";
    this.collection.set(uri, [...(this.collection.get(uri) ?? []), d]);
    const written = this.written.get(sceneFile) ?? [];
    if (!written.some((u) => u.toString() === uri.toString())) written.push(uri);
    this.written.set(sceneFile, written);
    return d;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
