/** The extension's settings, read when needed (so changes apply to the next run without a reload). */
import * as vscode from "vscode";
import { isVuerMode } from "../runner/python/vuer-choice.js";

export function settings(scope?: vscode.Uri) {
  const c = vscode.workspace.getConfiguration("sceneRunner", scope);
  const python = c.get<string>("pythonPath")?.trim();
  return {
    /** Interpreter for Python scenes; empty means discover (python3, then python). */
    python: python ? python : undefined,
    /** Which vuer Python scenes import (a value from an older or hand-edited settings file: auto). */
    vuer: (() => {
      const v = c.get<string>("vuer", "auto");
      return isVuerMode(v) ? v : "auto";
    })(),
    runOnSave: c.get<boolean>("runOnSave", false),
    /** Finished runs kept in the Tasks view (the oldest go first). */
    keepFinished: Math.max(0, Math.floor(c.get<number>("keepFinishedRuns", 30))),
    /** Memory per run's recording (the timeline); 0: none. */
    recordingBudgetBytes: Math.max(0, c.get<number>("recording.memoryMB", 256)) * 2 ** 20,
  };
}
