/**
 * "Scene: Connect to vuer Server…": asks for an address (prefilled with vuer's default
 * ws://localhost:8012, or picked from the recent ones) and opens a viewer panel connected
 * to it. Also callable with the address as its argument (keybindings, other extensions,
 * tests), and as a link: `vscode://<publisher>.scene-runner/connect?ws=ws://host:8012`.
 * One panel per address: asking again shows it.
 */
import * as vscode from "vscode";
import { errorText, log } from "../output/extension-log.js";
import { AddressError, addressFromQuery, DEFAULT_ADDRESS, serverUrl } from "../../vuer-client/address.js";
import type { SceneNode } from "../../protocol/scene.js";
import { SavedServerScenes } from "./saved-server-scenes.js";
import { labelOfTitle, SERVER_VIEW_TYPE, serverLabel, ServerPanel } from "./server-panel.js";
import { ServerTree, SERVERS_VIEW } from "./server-tree.js";

export const CONNECT_COMMAND = "sceneRunner.connect";
const RECENT_KEY = "sceneRunner.recentVuerServers";
const MAX_RECENT = 8;
/** How often a changed scene is saved for a window reload (deactivation may be cut short). */
const SAVE_EVERY_MS = 3000;

/** The recent addresses, newest first, without repeats. */
export function rememberAddress(recent: readonly string[], url: string): string[] {
  return [url, ...recent.filter((u) => u !== url)].slice(0, MAX_RECENT);
}

export function registerConnectCommand(context: vscode.ExtensionContext): vscode.Disposable[] {
  const panels = new Map<string, ServerPanel>();
  const version = String((context.extension?.packageJSON as { version?: unknown } | undefined)?.version ?? "0.0.0");

  const saved = new SavedServerScenes(context.workspaceState);
  const savedVersion = new Map<string, number>();
  let shuttingDown = false;
  const save = (url: string, p: ServerPanel) => {
    if (savedVersion.get(url) === p.client.pipeline.version) return;
    savedVersion.set(url, p.client.pipeline.version);
    const scene = p.client.pipeline.store.snapshot();
    const keys = (scene?.children ?? []).map((n) => n.key);
    const shown = `${keys.length} node${keys.length === 1 ? "" : "s"}${keys.length ? `: ${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""}` : ""}`;
    void saved.save(url, scene).then(
      () => log.info(`vuer ${url}: scene saved for a window reload (${shown})`),
      (e: unknown) => log.warn(`vuer ${url}: could not save the scene for a window reload: ${errorText(e)}`),
    );
  };
  const saver = setInterval(() => panels.forEach((p, url) => save(url, p)), SAVE_EVERY_MS);

  const tree = new ServerTree();
  const treeView = vscode.window.createTreeView(SERVERS_VIEW, { treeDataProvider: tree });

  const adopt = (panel: vscode.WebviewPanel, url: string, lastScene?: SceneNode): ServerPanel => {
    const p = new ServerPanel(panel, url, context.extensionUri, version, lastScene);
    panels.set(url, p);
    tree.add(p);
    p.onDidDispose(() => {
      if (panels.get(url) === p) panels.delete(url);
      // Closed by the user: nothing to restore. (A window reload releases panels while shutting down.)
      if (!shuttingDown) void saved.delete(url);
    });
    return p;
  };
  const open = (url: string): ServerPanel => {
    const existing = panels.get(url);
    if (existing && !existing.isDisposed) {
      existing.panel.reveal();
      return existing;
    }
    return adopt(vscode.window.createWebviewPanel(SERVER_VIEW_TYPE, serverLabel(url), vscode.ViewColumn.Beside, { enableScripts: true }), url);
  };

  // After a window reload VS Code brings the panel back (its title, no page state): its address is
  // the recent one with that label, and the panel connects again (the server resends its scene).
  const serializer = vscode.window.registerWebviewPanelSerializer(SERVER_VIEW_TYPE, {
    async deserializeWebviewPanel(panel) {
      const label = labelOfTitle(panel.title);
      const url = context.globalState.get<string[]>(RECENT_KEY, []).find((u) => serverLabel(u) === label);
      if (!url || panels.has(url)) {
        panel.dispose(); // nothing known to reconnect to (or a duplicate): an empty panel would only confuse
        return;
      }
      adopt(panel, url, saved.get(url));
    },
  });

  const ask = async (): Promise<string | undefined> => {
    const recent = context.globalState.get<string[]>(RECENT_KEY, []);
    if (recent.length) {
      const other = "$(edit) Another address…";
      const picked = await vscode.window.showQuickPick([...recent, other], { title: "Connect to vuer Server", placeHolder: "A vuer server's address (ws://host:port)" });
      if (picked === undefined) return undefined;
      if (picked !== other) return picked;
    }
    return vscode.window.showInputBox({
      title: "Connect to vuer Server",
      prompt: "The vuer server's WebSocket address (as `Vuer()` prints it; over Remote-SSH, localhost is the remote machine)",
      value: recent[0] ?? DEFAULT_ADDRESS,
      validateInput: (text) => {
        try {
          serverUrl(text);
          return undefined;
        } catch (e) {
          return e instanceof AddressError ? e.message : String(e);
        }
      },
    });
  };

  const command = vscode.commands.registerCommand(CONNECT_COMMAND, async (address?: unknown) => {
    const typed = typeof address === "string" ? address : await ask();
    if (typed === undefined) return undefined;
    let url: string;
    try {
      url = serverUrl(typed);
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      void vscode.window.showErrorMessage(`Scene: ${e.message}`);
      return undefined;
    }
    await context.globalState.update(RECENT_KEY, rememberAddress(context.globalState.get<string[]>(RECENT_KEY, []), url));
    const p = open(url);
    // For callers (tests, other extensions): the address connected to, and its state now.
    return { url, state: p.client.connection.state.state };
  });

  // The extension's one URI handler: only /connect is ours so far; anything else is said and left.
  const links = vscode.window.registerUriHandler({
    handleUri(uri) {
      if (uri.path !== "/connect") {
        void vscode.window.showWarningMessage(`Scene: a link to ${uri.path} is not one Scene Runner knows (try /connect?ws=ws://localhost:8012)`);
        return;
      }
      let url: string | undefined;
      try {
        url = addressFromQuery(uri.query);
      } catch (e) {
        if (!(e instanceof AddressError)) throw e;
        void vscode.window.showErrorMessage(`Scene: ${e.message}`);
        return;
      }
      void vscode.commands.executeCommand(CONNECT_COMMAND, ...(url ? [url] : []));
    },
  });

  // On deactivate the panels are released, not closed: a window reload restores them.
  const shutdown = {
    dispose: () => {
      shuttingDown = true;
      clearInterval(saver);
      panels.forEach((p, url) => save(url, p));
      [...panels.values()].forEach((p) => p.release());
      treeView.dispose();
      tree.dispose();
    },
  };
  return [command, serializer, links, shutdown];
}
