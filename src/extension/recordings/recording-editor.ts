/**
 * `.srec` files open in VS Code as a recording (a CustomReadonlyEditor): the viewer with its
 * timeline strip — the run's task lanes and markers, a scrubber over its whole time — and no
 * program running. Seeking rebuilds the scene at that moment from the recording
 * (src/recording/reader.ts); it starts at the end, as the run left it.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { basename } from "node:path";
import * as vscode from "vscode";
import { assertNever } from "../../protocol/descriptors.js";
import type { SetMessage } from "../../protocol/scene.js";
import { validateFromViewer, type FromViewerMessage, type ToViewerMessage, type ViewerSessionInfo } from "../../protocol/viewer.js";
import { RecordingReader } from "../../recording/reader.js";
import type { AssetFolders } from "../../viewer/asset-files.js";
import { viewerHtml } from "../../viewer/html.js";
import { log } from "../output/extension-log.js";
import { sceneViewShown } from "../outliner/view-shown.js";
import { timelineMessage } from "../viewer/timeline-feed.js";
import { programAssetFolders, viewerPanelOptions } from "../viewer/viewer-panel.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { WebviewBase } from "../viewer/webview-base.js";

export const RECORDING_VIEW_TYPE = "sceneRunner.recording";
let nextView = 1;

class RecordingDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly reader: RecordingReader,
  ) {}

  dispose(): void {
    this.reader.close();
  }
}

export class RecordingEditorProvider implements vscode.CustomReadonlyEditorProvider<RecordingDocument> {
  static register(extensionUri: vscode.Uri, sessions: SessionManager): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(RECORDING_VIEW_TYPE, new RecordingEditorProvider(extensionUri, sessions), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly sessions: SessionManager,
  ) {}

  openCustomDocument(uri: vscode.Uri): RecordingDocument {
    if (uri.scheme !== "file") throw new Error(`Scene: recordings open from files on disk (not ${uri.scheme}:)`);
    // A file that is not a recording is one line (RecordingError), shown by VS Code in the editor.
    const reader = RecordingReader.open(uri.fsPath);
    for (const w of reader.warnings) log.warn(w);
    return new RecordingDocument(uri, reader);
  }

  resolveCustomEditor(document: RecordingDocument, panel: vscode.WebviewPanel): void {
    new RecordingView(panel, document, this.extensionUri, this.sessions);
  }
}

/**
 * The recorded program's own files (models, textures), if it is still where it was recorded and
 * inside one of this window's folders. A recording may come from anywhere (a CI artifact, a
 * download) and names its program by an absolute path it chose: reading that path's folder
 * would let a file decide which of the user's folders the viewer reads.
 */
function recordedProgramFolders(program: string | undefined): AssetFolders | undefined {
  if (!program || !existsSync(program)) return undefined;
  if (!vscode.workspace.getWorkspaceFolder(vscode.Uri.file(program))) {
    log.warn(`recording of ${program}: the program is outside this window's folders, so its models and textures are not loaded (open its folder to see them)`);
    return undefined;
  }
  return programAssetFolders(program);
}

class RecordingView extends WebviewBase<ToViewerMessage, FromViewerMessage> {
  /** The moment shown (null: the end). */
  private cursor: number | null = null;
  private readonly name: string;
  /** This editor's row in the Tasks view: the recorded run's tasks at the moment shown. */
  private readonly rowKey = `recording:${nextView++}`;
  private tasksTimer: ReturnType<typeof setTimeout> | undefined;
  /** The moment whose scene the Scene view was not given (it was hidden): given once it is shown. */
  private sceneLeftOut: { t: number; scene: SetMessage } | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly doc: RecordingDocument,
    extensionUri: vscode.Uri,
    private readonly sessions: SessionManager,
  ) {
    super(panel);
    this.disposables.push(
      new vscode.Disposable(() => {
        if (this.tasksTimer) clearTimeout(this.tasksTimer);
        sessions.setRecorded(this.rowKey, undefined);
      }),
      new vscode.Disposable(
        sceneViewShown.onShown(() => {
          const left = this.sceneLeftOut;
          if (left && !this.tasksTimer) this.showTasksSoon(left.t, left.scene);
        }),
      ),
    );
    const program = doc.reader.header.program;
    const folders = recordedProgramFolders(program);
    this.name = basename(program ?? doc.uri.fsPath);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "scene.svg");
    panel.webview.options = viewerPanelOptions(extensionUri, folders ? program : undefined);
    panel.webview.html = viewerHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js")).toString(),
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString("base64"),
      title: panel.title,
      ...(folders ? { assets: { base: panel.webview.asWebviewUri(vscode.Uri.file(folders.root)).toString().replace(/\/$/, ""), workspace: folders.workspace } } : {}),
    });
  }

  protected parse(raw: unknown): FromViewerMessage {
    return validateFromViewer(raw);
  }

  protected onMessage(m: FromViewerMessage): void {
    switch (m.t) {
      case "ready":
        this.show();
        return;
      case "seek":
        this.cursor = m.at;
        this.show();
        return;
      case "openSource":
        // Only files the recording's tasks were created in: the page names no other.
        if (this.doc.reader.spans().some((s) => s.file === m.file)) void vscode.commands.executeCommand("sceneRunner.openLocation", m.file, m.line, m.column);
        return;
      case "rerun": {
        const program = this.doc.reader.header.program;
        if (program && existsSync(program)) void vscode.commands.executeCommand("sceneRunner.run", vscode.Uri.file(program));
        else void vscode.window.showInformationMessage(`Scene: ${program ?? "the recorded program"} is not on this machine; a recording replays without it`);
        return;
      }
      case "warning":
        log.warn(`${this.panel.title}: viewer: ${m.message}`);
        return;
      case "event": // clicks and camera moves: no program is listening
      case "applied":
      case "stats":
      case "screenshot":
        return;
      default:
        assertNever(m);
    }
  }

  /** The scene at the cursor (or the end), then the strip with the cursor on it. */
  private show(): void {
    const r = this.doc.reader;
    const { message, t, warnings } = r.setMessageAt(this.cursor ?? r.end);
    for (const w of warnings) log.warn(`${this.panel.title}: ${w}`);
    const at = this.cursor === null ? "" : ` \u00b7 at ${(t / 1000).toFixed(1)} s`;
    this.post({ t: "snapshot", scene: message.data, session: this.sessionAt(t, `${this.name} (recording)${at}`) });
    this.post(timelineMessage(r.spans(), r.markers(), r.end, false, this.cursor === null ? null : t));
    this.showTasksSoon(t, message);
  }

  /**
   * The Tasks view follows the cursor once a drag settles (rebuilding the row per frame would only
   * churn). `scene`: the moment's scene, as built for the viewer (not built a second time here).
   */
  private showTasksSoon(t: number, scene: SetMessage): void {
    if (this.tasksTimer) clearTimeout(this.tasksTimer);
    this.tasksTimer = setTimeout(() => {
      this.tasksTimer = undefined;
      // Its own copy of the scene only for a Scene view on screen (it lists the moment's nodes).
      const forView = sceneViewShown.visible;
      this.sceneLeftOut = forView ? undefined : { t, scene };
      const r = this.doc.reader;
      const origin = r.header.origin;
      const tasks = r.tasksAt(t).map((x) => {
        const ended = x.state === "done" || x.state === "failed" || x.state === "cancelled";
        return {
          id: x.id,
          name: x.name,
          parent: x.parent,
          ...(x.file !== undefined ? { file: x.file } : {}),
          ...(x.line !== undefined ? { line: x.line } : {}),
          ...(x.column !== undefined ? { column: x.column } : {}),
          state: x.state,
          startedAt: origin + x.start,
          ...(ended ? { endedAt: origin + x.start + x.elapsed } : {}),
          ...(x.error ? { error: x.error } : {}),
        };
      });
      const state = this.sessionAt(t, "").state;
      this.sessions.setRecorded(this.rowKey, {
        file: r.header.program ?? this.doc.uri.fsPath,
        label: basename(this.doc.uri.fsPath),
        runOfFile: 1,
        // Never live: a recording's row offers no Stop or Cancel.
        state: state === "done" || state === "failed" ? state : "stopped",
        live: false,
        startedAt: origin,
        endedAt: origin + t,
        tasks,
        omittedTasks: 0,
        at: t,
        // The Scene view lists the nodes of the moment shown, as the Tasks view lists its tasks.
        ...(forView ? { scene } : {}),
      });
    }, 150);
  }

  /** How the run stood at `t`: ended (and how) once its end was recorded; a cut recording reads as stopped. */
  private sessionAt(t: number, title: string): ViewerSessionInfo {
    const markers = this.doc.reader.markers();
    const end = markers.find((m) => m.session !== undefined);
    if (end && end.t <= t) return { state: end.session!, title };
    return { state: end || t < this.doc.reader.end ? "running" : "stopped", title };
  }
}
