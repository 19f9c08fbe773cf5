/**
 * The "vuer Servers" view in the Scene container: one row per connected server panel, with its
 * state and how many messages a second the server is sending, so a connection that went quiet
 * or is retrying shows without opening the panel. A click shows the panel. The view is there
 * only while a panel is connected (context key sceneRunner.vuerConnected).
 */
import * as vscode from "vscode";
import type { ServerPanel } from "./server-panel.js";

export const SERVERS_VIEW = "sceneRunner.vuerServers";
const CONTEXT_KEY = "sceneRunner.vuerConnected";
/** The rate is frames over the last few seconds, sampled once a second. */
const RATE_WINDOW = 5;

interface Row {
  panel: ServerPanel;
  /** Frame counts at the last RATE_WINDOW + 1 samples, oldest first. */
  samples: number[];
  drawn: string;
}

export class ServerTree implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rows = new Map<ServerPanel, Row>();
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor() {
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  add(panel: ServerPanel): void {
    const row: Row = { panel, samples: [panel.client.stats.frames], drawn: "" };
    this.rows.set(panel, row);
    const stop = panel.client.onState(() => this.redraw(row));
    panel.onDidDispose(() => {
      stop();
      this.rows.delete(panel);
      this.changed.fire(undefined);
      this.updateContext();
    });
    this.changed.fire(undefined);
    this.updateContext();
  }

  /** Messages a second over the last samples. */
  static rate(samples: readonly number[]): number {
    if (samples.length < 2) return 0;
    return (samples[samples.length - 1] - samples[0]) / (samples.length - 1);
  }

  private tick(): void {
    for (const row of this.rows.values()) {
      row.samples.push(row.panel.client.stats.frames);
      if (row.samples.length > RATE_WINDOW + 1) row.samples.shift();
      this.redraw(row);
    }
  }

  /** Redraws a row only when what it shows changed (VS Code forgets a redrawn row's state). */
  private redraw(row: Row): void {
    const text = describe(row);
    if (text === row.drawn) return;
    row.drawn = text;
    this.changed.fire(row);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand("setContext", CONTEXT_KEY, this.rows.size > 0);
  }

  getChildren(row?: Row): Row[] {
    return row ? [] : [...this.rows.values()];
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const { panel } = row;
    const item = new vscode.TreeItem(panel.url, vscode.TreeItemCollapsibleState.None);
    item.id = `vuer:${panel.url}`;
    item.description = describe(row);
    item.accessibilityInformation = { label: `vuer server ${panel.url}, ${item.description}` };
    const s = panel.client.connection.state;
    item.iconPath = new vscode.ThemeIcon(s.state === "connected" ? "plug" : s.state === "closed" ? "debug-disconnect" : "sync~spin");
    const st = panel.client.stats;
    item.tooltip = [
      `${panel.url}: ${s.state}${"reason" in s ? ` (${s.reason})` : ""}`,
      `${st.frames.toLocaleString("en-US")} messages (${(st.bytes / 2 ** 20).toFixed(1)} MB) received, ${st.sceneMessages.toLocaleString("en-US")} of them scene updates`,
      `${st.sent.toLocaleString("en-US")} events sent, ${st.rpcs} render requests, ${panel.client.connection.opens} connection(s) opened`,
    ].join("\n");
    item.command = { command: "sceneRunner.connect", title: "Show", arguments: [panel.url] };
    return item;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.changed.dispose();
  }
}

function describe(row: Row): string {
  const s = row.panel.client.connection.state.state;
  const rate = ServerTree.rate(row.samples);
  return s === "connected" ? `connected · ${rate < 10 ? rate.toFixed(1) : Math.round(rate)} msg/s` : s === "reconnecting" ? "reconnecting…" : s;
}
