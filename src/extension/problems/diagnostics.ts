/**
 * An uncaught error of a scene program in the Problems panel, at the line of the
 * user's code that threw (the runner reports the innermost user frame as the
 * error's location). A file's entries are cleared when it runs again.
 */
import * as vscode from "vscode";
import type { ErrorInfo } from "../../protocol/tasks.js";

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
    const where = error.location;
    const uri = vscode.Uri.file(where?.file ?? sceneFile);
    const line = Math.max(0, (where?.line ?? 1) - 1);
    const column = Math.max(0, (where?.column ?? 1) - 1);
    // The whole rest of the line: the column alone would be a zero-width squiggle.
    const range = new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER);
    const d = new vscode.Diagnostic(range, `${error.name}: ${error.message}`, vscode.DiagnosticSeverity.Error);
    d.source = "Scene Runner";
    this.collection.set(uri, [...(this.collection.get(uri) ?? []), d]);
    this.written.set(sceneFile, [...(this.written.get(sceneFile) ?? []), uri]);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
