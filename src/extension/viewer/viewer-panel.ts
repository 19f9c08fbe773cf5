/**
 * The scene viewer panel of one scene file. It shows the file's newest session
 * (re-runs reuse the panel) or, after a window reload, the scene saved when the
 * window went away. The page asks for the scene with `ready` whenever it loads
 * (first open, shown again after being hidden, reload) and gets one snapshot;
 * while it is hidden nothing is queued for it.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import * as vscode from "vscode";
import type { SceneNode } from "../../protocol/scene.js";
import { validateFromViewer, type FromViewerMessage, type ToViewerMessage, type ViewerSessionInfo } from "../../protocol/viewer.js";
import { assertNever } from "../../protocol/descriptors.js";
import { viewerHtml } from "../../viewer/html.js";
import { assetFolders, type AssetFolders } from "../../viewer/asset-files.js";
import { log } from "../output/extension-log.js";
import type { HostSession } from "../sessions/host-session.js";
import type { ViewerWarnings } from "./viewer-warnings.js";
import { saveScreenshot } from "./save-screenshot.js";
import { TimelineFeed } from "./timeline-feed.js";
import { WebviewBase } from "./webview-base.js";

export const VIEWER_VIEW_TYPE = "sceneRunner.viewer";

/** A scene with no live session behind it (restored after a window reload). */
export interface StaticScene {
  scene: SceneNode | null;
  session: ViewerSessionInfo;
}

export function viewerTitle(label: string): string {
  return `Scene: ${label}`;
}

/** The folders of a program's own files: its workspace folder bounds every read (src/viewer/asset-files.ts). */
export function programAssetFolders(file: string): AssetFolders {
  return assetFolders(file, vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath);
}

export function viewerPanelOptions(extensionUri: vscode.Uri, file?: string): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    // The page reads the viewer bundle, our media and the program's own files (models, textures
    // it names by vuer's localhost URLs): its workspace folder and nothing above it.
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, "dist"),
      vscode.Uri.joinPath(extensionUri, "media"),
      ...(file ? [vscode.Uri.file(programAssetFolders(file).root)] : []),
    ],
    // No retainContextWhenHidden: the host holds the scene and re-sends it on `ready`.
  };
}

/** What every viewer panel reports to (shared by the panels of a window). */
export interface PanelServices {
  warnings: ViewerWarnings;
  /** An object was clicked in the viewer (the outliner reveals its row). */
  nodeClicked(session: HostSession, key: string): void;
}

export class ScenePanel extends WebviewBase<ToViewerMessage, FromViewerMessage> {
  private session: HostSession | undefined;
  private fixed: StaticScene | undefined;
  /** The page has said `ready` and has not been hidden since. */
  private loaded = false;
  private readonly sink = (m: ToViewerMessage) => this.post(m);
  /** The timeline strip's data and seeks (the run's recording). */
  private readonly timeline = new TimelineFeed(this.sink);
  /** The outliner's selection: sent again when the page reloads (shown after being hidden). */
  private selected: string | null = null;

  constructor(
    panel: vscode.WebviewPanel,
    readonly file: string,
    extensionUri: vscode.Uri,
    private readonly services: PanelServices,
  ) {
    super(panel);
    this.disposables.push(this.timeline);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "scene.svg");
    const webview = panel.webview;
    webview.options = viewerPanelOptions(extensionUri, file);
    const folders = programAssetFolders(file);
    webview.html = viewerHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js")).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString("base64"),
      title: panel.title,
      assets: { base: webview.asWebviewUri(vscode.Uri.file(folders.root)).toString().replace(/\/$/, ""), workspace: folders.workspace },
    });
  }

  /** The session whose scene this panel shows (undefined for a restored static scene). */
  get current(): HostSession | undefined {
    return this.session;
  }

  /** Shows `session` from now on: a re-run of the file, or a reopened panel. */
  attach(session: HostSession): void {
    if (this.session === session) return;
    this.session?.pipeline.detach();
    this.session = session;
    this.fixed = undefined;
    this.selected = null;
    this.panel.title = viewerTitle(session.label);
    this.timeline.follow(session);
    if (this.loaded) session.pipeline.ready(this.sink);
  }

  /** Outlines a node and moves the camera to it (the scene outliner's selection). */
  select(key: string | null): void {
    this.selected = key;
    if (this.loaded) this.post({ t: "select", key, frame: key !== null });
  }

  /** Shows a saved scene (no session is running for this file). */
  showStatic(scene: StaticScene): void {
    this.session?.pipeline.detach();
    this.session = undefined;
    this.timeline.follow(undefined);
    this.fixed = scene;
    if (this.loaded) this.post({ t: "snapshot", scene: scene.scene, session: scene.session });
  }

  /** The scene as shown now, for saving across a window reload. */
  currentScene(): StaticScene | undefined {
    if (this.session) return { scene: this.session.pipeline.store.snapshot(), session: this.session.pipeline.sessionInfo };
    return this.fixed;
  }

  protected parse(raw: unknown): FromViewerMessage {
    return validateFromViewer(raw);
  }

  protected onMessage(m: FromViewerMessage): void {
    switch (m.t) {
      case "ready":
        this.loaded = true;
        if (this.session) this.session.pipeline.ready(this.sink);
        else if (this.fixed) this.post({ t: "snapshot", scene: this.fixed.scene, session: this.fixed.session });
        if (this.selected !== null) this.post({ t: "select", key: this.selected, frame: true });
        this.timeline.pageReady();
        return;
      case "applied":
        this.session?.pipeline.applied(m.seq);
        return;
      case "event": {
        // Clicks, camera moves, gizmo drags, widget values and RPC answers all belong to the program.
        const { event } = m;
        if (event.etype === "OBJECT_MOVE_END" && typeof event.key === "string" && typeof event.value === "object" && event.value !== null) {
          this.session?.pipeline.movedInViewer(event.key, event.value as Record<string, unknown>);
        }
        if (event.etype === "CLICK" && typeof event.key === "string" && this.session) this.services.nodeClicked(this.session, event.key);
        this.session?.sendEvent(event);
        return;
      }
      case "warning":
        this.services.warnings.report(this.title, this.session, m.message, m.key);
        return;
      case "stats":
        log.trace(`${this.title}: viewer ${m.fps} fps, ${m.nodes} nodes`);
        return;
      case "screenshot":
        void saveScreenshot(m.png, join(dirname(this.file), `${basename(this.file).replace(/\.[^.]+$/, "")}.png`));
        return;
      case "seek":
        this.timeline.seek(m.at, m.epoch);
        return;
      case "openSource":
        // Only a file one of the run's tasks was created in: the page names no other.
        if (this.timeline.knowsFile(m.file)) void vscode.commands.executeCommand("sceneRunner.openLocation", m.file, m.line, m.column);
        return;
      case "rerun":
        void vscode.commands.executeCommand("sceneRunner.run", vscode.Uri.file(this.file));
        return;
      default:
        assertNever(m);
    }
  }

  protected override onVisibilityChanged(visible: boolean): void {
    if (visible) return; // the page reloads and says `ready`
    this.loaded = false;
    this.timeline.pageHidden();
    this.session?.pipeline.detach();
  }

  override release(): void {
    this.session?.pipeline.detach();
    this.session = undefined;
    super.release();
  }
}
