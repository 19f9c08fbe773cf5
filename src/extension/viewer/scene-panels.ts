/**
 * One viewer panel per scene file: opened beside the editor on the first run,
 * reused (and re-attached) on re-runs, reopened on demand, and restored by the
 * panel serializer after a window reload. While a session runs its scene is
 * saved every few seconds (when it changed), and again when it ends, so a
 * reload shows the last scene.
 */
import * as vscode from "vscode";
import { log } from "../output/extension-log.js";
import type { ViewerSessionInfo } from "../../protocol/viewer.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { SavedScenes } from "./saved-scenes.js";
import { ViewerWarnings } from "./viewer-warnings.js";
import { ScenePanel, type PanelServices, VIEWER_VIEW_TYPE, viewerPanelOptions, viewerTitle } from "./viewer-panel.js";

const SAVE_EVERY_MS = 3000;

export class ScenePanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, ScenePanel>();
  private readonly saved: SavedScenes;
  private readonly services: PanelServices;
  private readonly clicked = new vscode.EventEmitter<{ session: HostSession; key: string }>();
  /** An object was clicked in a viewer. */
  readonly onDidClickNode = this.clicked.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /**
   * The scene version last saved, per run. Per run, not per panel: a re-run in the same panel
   * starts its versions again and would otherwise match the previous run's and never be saved.
   */
  private readonly savedVersion = new WeakMap<HostSession, number>();
  private readonly saver: ReturnType<typeof setInterval>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    workspaceState: vscode.Memento,
    globalState: vscode.Memento,
    private readonly sessions: SessionManager,
  ) {
    this.saved = new SavedScenes(workspaceState);
    this.services = { warnings: new ViewerWarnings(globalState), nodeClicked: (session, key) => this.clicked.fire({ session, key }) };
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(VIEWER_VIEW_TYPE, this),
      sessions.onDidStartSession((s) => this.showOnceStarted(s)),
      sessions.onDidEndSession((s) => {
        const p = this.panels.get(s.file);
        // While shutting down, saveAll() has saved the scene as the live run left it: the stop
        // that follows must not overwrite that with a plain "stopped".
        if (p?.current === s && !this.shuttingDown) void this.save(p);
      }),
    );
    this.saver = setInterval(() => this.saveChanged(), SAVE_EVERY_MS);
  }


  /** The file of the viewer panel that has focus, if one does. */
  activeFile(): string | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p.file;
    return undefined;
  }

  /**
   * A run gets its viewer once its program is under way (its first task or scene message).
   * One that fails to start (a syntax error, no main, no interpreter) opens none: its reason
   * is in the output and Problems, and a re-run's panel keeps the previous run's scene.
   */
  private showOnceStarted(s: HostSession): void {
    if (s.programStarted) this.showFor(s);
    else s.onDidStartProgram(() => this.showFor(s));
  }

  /** Shows a session in its file's panel, creating the panel beside the editor if needed. */
  showFor(session: HostSession, preserveFocus = true): ScenePanel {
    let p = this.panels.get(session.file);
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        VIEWER_VIEW_TYPE,
        viewerTitle(session.label),
        // Viewers share one group beside the editor: a second viewer (or a run started while
        // a viewer has focus) must not open yet another column.
        { viewColumn: this.viewerColumn() ?? vscode.ViewColumn.Beside, preserveFocus },
        viewerPanelOptions(this.extensionUri),
      );
      p = this.adopt(panel, session.file);
    } else if (!p.panel.visible) {
      p.panel.reveal(undefined, preserveFocus);
    }
    p.attach(session);
    return p;
  }

  private viewerColumn(): vscode.ViewColumn | undefined {
    for (const p of this.panels.values()) if (p.panel.viewColumn !== undefined) return p.panel.viewColumn;
    return undefined;
  }

  /** Outlines and frames a node in the viewer of `session` (shown if it was hidden). */
  select(session: HostSession, key: string): void {
    const p = this.panels.get(session.file);
    if (!p || p.current !== session) return;
    p.select(key); // kept by the panel: a hidden page gets it once it has loaded
    if (!p.panel.visible) p.panel.reveal(undefined, true);
  }

  /** Reveals a file's panel, reopening it on the file's newest session. False if the file never ran. */
  show(file: string): boolean {
    const p = this.panels.get(file);
    if (p) {
      p.panel.reveal(undefined, false);
      return true;
    }
    const session = this.sessions.liveFor(file) ?? this.sessions.latestFor(file);
    // A run from before a window reload is only remembered: it has no scene to show.
    if (!session || session.restored) return false;
    this.showFor(session, false);
    return true;
  }

  /** VS Code restores a panel after a window reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = this.saved.get(panel.title);
    const file = saved?.file ?? (typeof (state as { file?: unknown } | undefined)?.file === "string" ? (state as { file: string }).file : undefined);
    if (!file || this.panels.has(file)) {
      // Nothing to show (or a duplicate): an empty panel would only confuse.
      log.info(`viewer "${panel.title}": nothing saved to restore; closing it`);
      panel.dispose();
      return;
    }
    const p = this.adopt(panel, file);
    const live = this.sessions.liveFor(file);
    if (live) p.attach(live);
    else if (saved) p.showStatic({ scene: saved.scene, session: restoredSession(saved.session) });
    log.info(`viewer "${panel.title}": restored${live ? " and attached to the running session" : " from the saved scene"}`);
  }

  private adopt(panel: vscode.WebviewPanel, file: string): ScenePanel {
    const p = new ScenePanel(panel, file, this.extensionUri, this.services);
    this.panels.set(file, p);
    p.onDidDispose(() => {
      if (this.panels.get(file) === p) this.panels.delete(file);
      // Closed by the user: nothing to restore. (On window reload, dispose is not called before the save.)
      if (!this.shuttingDown) void this.saved.delete(p.title);
    });
    return p;
  }

  private saveChanged(): void {
    for (const p of this.panels.values()) {
      const s = p.current;
      if (!s?.isLive) continue;
      if (this.savedVersion.get(s) === s.pipeline.version) continue;
      void this.save(p);
    }
  }

  private async save(p: ScenePanel): Promise<void> {
    const scene = p.currentScene();
    if (!scene || p.isDisposed) return;
    if (p.current) this.savedVersion.set(p.current, p.current.pipeline.version);
    await this.saved.save(p.file, p.title, scene);
  }

  private shuttingDown = false;

  /** Deactivation: save every panel's scene as it is now (the sessions are about to stop). */
  async saveAll(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([...this.panels.values()].map((p) => this.save(p)));
  }

  dispose(): void {
    this.shuttingDown = true;
    clearInterval(this.saver);
    this.clicked.dispose();
    this.subscriptions.forEach((d) => d.dispose());
    // Released, not closed: on a window reload the open panels are what the serializer restores.
    for (const p of [...this.panels.values()]) p.release();
    this.panels.clear();
  }
}

/**
 * What a restored panel says about its run. A run that was live when the window went away
 * was stopped with the extension host: it must not read "running".
 */
function restoredSession(session: ViewerSessionInfo): ViewerSessionInfo {
  const wasLive = session.state === "starting" || session.state === "running";
  return wasLive ? { state: "stopped", title: `${session.title} (stopped by window reload)` } : { ...session, title: `${session.title} (restored)` };
}
