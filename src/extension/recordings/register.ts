/** Recordings in VS Code: `.srec` files open as a recording; "Scene: Save Recording…" writes a run's. */
import * as vscode from "vscode";
import type { SessionManager } from "../sessions/session-manager.js";
import { RecordingEditorProvider } from "./recording-editor.js";
import { saveRecordingCommand, sessionToSave } from "./save-recording.js";

export function registerRecordings(context: vscode.ExtensionContext, sessions: SessionManager, activeFile: () => string | undefined): vscode.Disposable[] {
  return [
    RecordingEditorProvider.register(context.extensionUri, sessions),
    vscode.commands.registerCommand("sceneRunner.saveRecording", (target?: vscode.Uri | { session: never }) => saveRecordingCommand(sessionToSave(sessions, activeFile(), target))),
  ];
}
