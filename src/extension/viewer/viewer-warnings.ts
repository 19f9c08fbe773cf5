/**
 * What the viewer could not draw (an unknown tag, a bad prop, a file that would not load, a
 * message too large) goes where the user looks: the run's output channel with the node's key,
 * and the first warning of each kind as a notification, which the user can silence. The
 * extension's log keeps them all.
 */
import * as vscode from "vscode";
import { log } from "../output/extension-log.js";
import type { HostSession } from "../sessions/host-session.js";

const SILENCED_KEY = "sceneRunner.viewerWarningsSilenced";

export class ViewerWarnings {
  /** Kinds already shown as a notification in this window. */
  private readonly notified = new Set<string>();

  constructor(private readonly globalState: vscode.Memento) {}

  report(panelTitle: string, session: HostSession | undefined, message: string, key?: string): void {
    const text = `viewer: ${message}${key !== undefined && !message.includes(key) ? ` (node "${key}")` : ""}`;
    if (session) session.warn(text);
    else log.warn(`${panelTitle}: ${text}`); // a restored panel: no run to tell
    const kind = kindOf(message);
    if (this.notified.has(kind) || this.globalState.get<boolean>(SILENCED_KEY)) return;
    this.notified.add(kind);
    void vscode.window.showWarningMessage(`Scene: ${session?.label ?? panelTitle}: ${text}`, "Show Output", "Don't Show Again").then((choice) => {
      if (choice === "Show Output") session?.output.channel.show(true);
      else if (choice === "Don't Show Again") void this.globalState.update(SILENCED_KEY, true);
    });
  }
}

/** Two warnings are of one kind when they differ only in names and numbers. */
export function kindOf(message: string): string {
  return message.replace(/"[^"]*"/g, '""').replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/gi, "#");
}
