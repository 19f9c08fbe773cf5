/**
 * A viewer panel connected to a vuer server (src/vuer-client/): the same page, CSP and scene
 * pipeline as a run's panel, with the WebSocket held here in the extension host (Node `ws`),
 * so it works alike in desktop VS Code, code-server and over Remote-SSH, where `localhost`
 * is the machine the vuer program runs on. The page asks for the scene with `ready` whenever
 * it loads (shown again, reloaded) and gets the host's copy: the last scene stays visible
 * while the server is away, and the connection's state is the viewer's session state.
 */
import { randomBytes } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { SceneNode } from "../../protocol/scene.js";
import { validateFromViewer, type FromViewerMessage, type ToViewerMessage } from "../../protocol/viewer.js";
import { viewerHtml } from "../../viewer/html.js";
import { VuerClientSession } from "../../vuer-client/client-session.js";
import type { ConnectionState } from "../../vuer-client/connection.js";
import { log } from "../output/extension-log.js";
import { saveScreenshot } from "../viewer/save-screenshot.js";
import { viewerPanelOptions } from "../viewer/viewer-panel.js";
import { WebviewBase } from "../viewer/webview-base.js";

export const SERVER_VIEW_TYPE = "sceneRunner.vuerServer";

/** What INIT reports as the screen: a panel's size is not known to the host (vuer's filters rarely look). */
const NOMINAL_SIZE = { width: 1280, height: 720 };

const STATE_WORDS: Record<ConnectionState["state"], string> = {
  connecting: "connecting…",
  connected: "",
  reconnecting: "reconnecting…",
  closed: "closed",
};

/** A panel's title without its state: "vuer: host:port". */
export function serverLabel(url: string): string {
  return `vuer: ${url.replace(/^wss?:\/\//, "")}`;
}

/** The label part of a panel title as VS Code restores it after a window reload. */
export function labelOfTitle(title: string): string {
  const words = Object.values(STATE_WORDS).filter(Boolean).map((w) => ` (${w})`);
  const suffix = words.find((w) => title.endsWith(w));
  return suffix ? title.slice(0, -suffix.length) : title;
}

export class ServerPanel extends WebviewBase<ToViewerMessage, FromViewerMessage> {
  readonly client: VuerClientSession;
  private loaded = false;
  private readonly sink = (m: ToViewerMessage) => this.post(m);

  constructor(
    panel: vscode.WebviewPanel,
    readonly url: string,
    extensionUri: vscode.Uri,
    version: string,
    /** The scene this panel showed before a window reload: shown until the server sends its own. */
    lastScene?: SceneNode,
  ) {
    super(panel);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "scene.svg");
    const webview = panel.webview;
    webview.options = viewerPanelOptions(extensionUri);
    webview.html = viewerHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, "dist", "webview.js")).toString(),
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString("base64"),
      title: panel.title,
    });
    this.client = new VuerClientSession({ url, version, viewer: "vscode", ...NOMINAL_SIZE, log: (line) => log.info(`vuer ${line}`) });
    this.disposables.push(
      { dispose: this.client.onState((s) => this.retitle(s)) },
      { dispose: () => this.client.close("the panel was closed") },
    );
    this.retitle(this.client.connection.state);
    if (lastScene) for (const w of this.client.pipeline.push({ etype: "SET", ts: Date.now(), data: lastScene })) log.warn(`${this.title}: ${w}`);
    this.client.start();
  }

  /** "vuer: host:port", with the state while not connected. */
  private retitle(s: ConnectionState): void {
    const words = STATE_WORDS[s.state];
    this.panel.title = `${serverLabel(this.url)}${words ? ` (${words})` : ""}`;
  }

  protected parse(raw: unknown): FromViewerMessage {
    return validateFromViewer(raw);
  }

  protected onMessage(m: FromViewerMessage): void {
    const pipeline = this.client.pipeline;
    switch (m.t) {
      case "ready":
        this.loaded = true;
        pipeline.ready(this.sink);
        return;
      case "applied":
        pipeline.applied(m.seq);
        return;
      case "event": {
        const { event } = m;
        // The host's store follows a gizmo drag, so a reloaded page shows the node where it was left.
        if (event.etype === "OBJECT_MOVE_END" && typeof event.key === "string" && typeof event.value === "object" && event.value !== null) {
          pipeline.movedInViewer(event.key, event.value as Record<string, unknown>);
        }
        this.client.viewerEvent(event);
        return;
      }
      case "warning":
        log.warn(`${this.title}: ${m.message}${m.key !== undefined && !m.message.includes(m.key) ? ` (node "${m.key}")` : ""}`);
        return;
      case "screenshot":
        void saveScreenshot(m.png, join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir(), "vuer-scene.png"));
        return;
      default:
        // stats, and what only a run's panel uses (Run again, the timeline): nothing to do here.
        return;
    }
  }

  protected override onVisibilityChanged(visible: boolean): void {
    if (visible || !this.loaded) return; // the page reloads and says `ready`
    this.loaded = false;
    this.client.pipeline.detach();
  }
}
