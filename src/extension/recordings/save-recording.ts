/**
 * "Scene: Save Recording…": writes a run's recording (running or finished; what its bounded
 * in-memory recorder holds) to a `.srec` file the custom editor and `snapshot --from` open.
 */
import { basename, dirname, join } from "node:path";
import * as vscode from "vscode";
import { saveRecording } from "../../recording/writer.js";
import { errorText, log } from "../output/extension-log.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";

/** The run a save means: the one named, else the active viewer's file's latest, else the newest recorded. */
export function sessionToSave(sessions: SessionManager, activeFile: string | undefined, target?: vscode.Uri | { session: HostSession }): HostSession | undefined {
  if (target && "session" in target) return target.session;
  const file = target instanceof vscode.Uri ? target.fsPath : activeFile;
  if (file) return sessions.latestFor(file);
  return [...sessions.sessions].reverse().find((s) => s.recorder?.header);
}

export async function saveRecordingCommand(session: HostSession | undefined): Promise<void> {
  const recorder = session?.recorder;
  if (!session || !recorder?.header) {
    void vscode.window.showInformationMessage("Scene: no run has a recording to save yet (run a scene first; sceneRunner.recording.memoryMB 0 turns recording off)");
    return;
  }
  const stem = basename(session.file).replace(/\.[^.]+$/, "");
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(dirname(session.file), `${stem}.srec`)),
    filters: { "Scene recording": ["srec"] },
    saveLabel: "Save Recording",
  });
  if (!target) return;
  try {
    const { records } = saveRecording(recorder, target.fsPath);
    log.info(`recording of ${session.label} saved to ${target.fsPath} (${records} records, ${(recorder.end / 1000).toFixed(1)} s)`);
    void vscode.window.showInformationMessage(`Scene: recording saved to ${basename(target.fsPath)}`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Scene: could not save the recording: ${errorText(e)}`);
  }
}
