/**
 * "Scene: Open Viewer in Browser": the session's viewer in a full browser window (a second
 * monitor, a headset through a forwarded port). One viewer server per window, started on first
 * use and stopped with the window; one room per scene file, following the file's newest run.
 * The address goes through vscode.env.asExternalUri (code-server and remote windows forward the
 * port and name the address the browser reaches) and is written to the Scene Runner log, with
 * a Copy action; the server's token is in it, so it is not shown anywhere else.
 */
import * as vscode from "vscode";
import { ViewerServer } from "../../viewer-server/viewer-server.js";
import { languageOf } from "../../runner/main-locator.js";
import { errorText, log } from "../output/extension-log.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { isSessionItem } from "../tasks/task-tree.js";
import { programAssetFolders } from "../viewer/viewer-panel.js";
import { SessionRoom } from "./session-room.js";

export const OPEN_IN_BROWSER_COMMAND = "sceneRunner.openInBrowser";

class BrowserViewers implements vscode.Disposable {
  private server: Promise<ViewerServer> | undefined;
  /** file → its room's id on the server */
  private readonly rooms = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly distDir: string,
    private readonly sessions: SessionManager,
  ) {
    // A re-run of a served file: its tabs follow the new session (as its panel does).
    this.subscription = sessions.onDidStartSession((s) => {
      const id = this.rooms.get(s.file);
      if (id) void this.server?.then((server) => server.changed(id));
    });
  }

  async open(session: HostSession): Promise<void> {
    const server = await (this.server ??= ViewerServer.start({ distDir: this.distDir, log: (line) => log.info(line) }).catch((e: unknown) => {
      this.server = undefined;
      throw e;
    }));
    let id = this.rooms.get(session.file);
    if (!id) {
      id = server.publish(new SessionRoom(session.file, session.label, programAssetFolders(session.file), () => this.sessions.latestFor(session.file)));
      this.rooms.set(session.file, id);
    }
    const local = vscode.Uri.parse(server.urlOf(id));
    const external = await vscode.env.asExternalUri(local);
    const address = external.toString(true);
    // Forwarded (code-server's /proxy/<port>/, a remote window's tunnel), the page's origin and
    // path prefix are the forwarded ones: the server learns them (the room's path ends the address).
    const tail = `${server.token}/${id}/`;
    if (external.authority !== local.authority && address.endsWith(tail)) server.addExternalRoot(address.slice(0, -tail.length));
    log.info(`${session.label}: viewer in a browser at ${address} (anyone with this address sees the scene and can send it events)`);
    const opened = await vscode.env.openExternal(external);
    const pick = await vscode.window.showInformationMessage(
      opened ? `Scene: ${session.label} opened in your browser.` : `Scene: open ${session.label}'s viewer in a browser at the address in the Scene Runner log.`,
      "Copy Address",
    );
    if (pick === "Copy Address") await vscode.env.clipboard.writeText(address);
  }

  dispose(): void {
    this.subscription.dispose();
    void this.server?.then((s) => s.close()).catch(() => undefined);
    this.server = undefined;
  }
}

/** The session a command is about: a session row, a file (its newest run), else the active editor's or panel's file. */
function targetSession(arg: unknown, sessions: SessionManager, activeFile: () => string | undefined): HostSession | undefined {
  if (isSessionItem(arg)) return arg.session;
  let file: string | undefined;
  if (arg instanceof vscode.Uri) file = arg.fsPath;
  else {
    const doc = vscode.window.activeTextEditor?.document;
    file = activeFile() ?? (doc?.uri.scheme === "file" && languageOf(doc.fileName) ? doc.uri.fsPath : undefined);
  }
  return file ? sessions.latestFor(file) : sessions.liveSessions()[0];
}

export function registerBrowserViewer(context: vscode.ExtensionContext, sessions: SessionManager, activeFile: () => string | undefined): vscode.Disposable[] {
  const viewers = new BrowserViewers(vscode.Uri.joinPath(context.extensionUri, "dist").fsPath, sessions);
  const command = vscode.commands.registerCommand(OPEN_IN_BROWSER_COMMAND, async (arg: unknown) => {
    const session = targetSession(arg, sessions, activeFile);
    if (!session) {
      void vscode.window.showInformationMessage("Scene: run a scene first (Scene: Run Scene); its viewer can then open in a browser.");
      return;
    }
    if (session.restored) {
      void vscode.window.showInformationMessage(`Scene: ${session.label} ran before the window reload. Run it again to see it in a browser.`);
      return;
    }
    try {
      await viewers.open(session);
    } catch (e) {
      log.error(`Open Viewer in Browser failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void vscode.window.showErrorMessage(`Scene: the browser viewer could not start: ${errorText(e)}`);
    }
  });
  return [command, viewers];
}
