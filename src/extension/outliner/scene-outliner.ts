/**
 * The "Scene" view beside Tasks: the nodes of the scene on screen, by key and tag, nested as
 * in the scene (every child list: children, bgChildren, ...). It follows the run of the
 * focused viewer (else the newest live run). Selecting a row outlines and frames the node in
 * the viewer; clicking an object in the viewer reveals its row. Big lists show their first
 * rows and a count; tooltips summarise props (numbers rounded, arrays by type and length).
 * While the run's viewer shows a past moment (its timeline dragged back), the view shows the
 * scene of that moment, rebuilt from the run's recording, as the Tasks view shows its tasks.
 */
import * as vscode from "vscode";
import type { SceneStore, StoredNode } from "../../scene/scene-store.js";
import { escapeMd } from "../markdown.js";
import { summarise } from "./summarise.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { scrubbedLabel, scrubbedRuns, type ScrubbedRuns } from "../tasks/past-tasks.js";
import { sceneViewShown } from "./view-shown.js";

export interface OutlineNode {
  readonly session: HostSession;
  readonly key: string;
}
interface MoreNode {
  readonly session: HostSession;
  readonly parent: string;
  readonly more: number;
}
type Row = OutlineNode | MoreNode;

/** Rows shown per child list before "… N more". */
const MAX_ROWS = 200;
/** While something runs, how often the view looks for a changed scene. */
const POLL_MS = 500;

export class SceneOutliner implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Row>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private shown: { session: HostSession; version: number | string; store: SceneStore } | undefined;
  /** One row object per key of the session shown (reveal and selection resolve by identity). */
  private nodes = new Map<string, OutlineNode>();

  constructor(
    private readonly sessions: SessionManager,
    private readonly focusedFile: () => string | undefined,
    private readonly select: (session: HostSession, key: string) => void,
    private readonly scrubs: ScrubbedRuns<HostSession> = scrubbedRuns,
  ) {
    this.view = vscode.window.createTreeView("sceneRunner.outline", { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      this.view.onDidChangeSelection((e) => {
        const row = e.selection[0];
        if (row && isNode(row)) this.select(row.session, row.key);
      }),
      this.view.onDidChangeVisibility((e) => {
        sceneViewShown.set(e.visible);
        this.refresh();
      }),
      sessions.onDidChangeSessions(() => this.refresh()),
      new vscode.Disposable(scrubs.onDidChange(() => this.refresh()).dispose),
    );
    sceneViewShown.set(this.view.visible);
    // The scene changes by the message; the view is redrawn at most this often, and only when visible.
    this.timer = setInterval(() => this.refresh(), POLL_MS);
  }

  private current(): HostSession | undefined {
    const file = this.focusedFile();
    const focused = file ? (this.sessions.liveFor(file) ?? this.sessions.latestFor(file)) : undefined;
    return focused ?? this.sessions.liveSessions().at(-1) ?? this.sessions.sessions.at(-1);
  }

  /** Redraws when the run shown, its scene, or the moment it is shown at changed. */
  refresh(): void {
    if (!this.view.visible) return;
    const session = this.current();
    const scrubbed = session && this.scrubs.get(session);
    const version = scrubbed ? `at ${scrubbed.at}` : (session?.pipeline.version ?? -1);
    if (this.shown?.session === session && this.shown?.version === version) return;
    if (this.shown?.session !== session) this.nodes = new Map();
    // A scrubbed run's scene then, rebuilt once per moment; the present otherwise (and when the
    // recording no longer holds that moment, said so by a description without "scrubbed").
    const past = scrubbed && session.storeAt(scrubbed.at);
    const store = session && (past ? past.store : session.pipeline.store);
    this.shown = session && store ? { session, version, store } : undefined;
    this.view.description = session ? `${session.label} #${session.runOfFile}${past ? ` · ${scrubbedLabel(scrubbed.at)}` : ""}` : undefined;
    this.changed.fire(undefined);
  }

  /** The scene the rows of `session` are read from: the one shown (present or past). */
  private storeOf(session: HostSession): SceneStore {
    return this.shown?.session === session ? this.shown.store : session.pipeline.store;
  }

  /** A click on an object in `session`'s viewer: show its row. */
  async reveal(session: HostSession, key: string): Promise<void> {
    if (!this.view.visible || this.shown?.session !== session || !this.shown.store.has(key)) return;
    await this.view.reveal(this.node(session, key), { select: false, focus: false, expand: true }).then(undefined, () => undefined);
  }

  private node(session: HostSession, key: string): OutlineNode {
    let n = this.nodes.get(key);
    if (!n) this.nodes.set(key, (n = { session, key }));
    return n;
  }

  getChildren(row?: Row): Row[] {
    const session = row?.session ?? this.shown?.session;
    if (!session || (row && !isNode(row))) return [];
    const store = this.storeOf(session);
    const stored = row ? store.get(row.key) : store.root;
    if (!stored) return [];
    const out: Row[] = [];
    for (const keys of Object.values(stored.lists)) {
      for (const key of keys.slice(0, MAX_ROWS)) out.push(this.node(session, key));
      if (keys.length > MAX_ROWS) out.push({ session, parent: stored.key, more: keys.length - MAX_ROWS });
    }
    return out;
  }

  getParent(row: Row): Row | undefined {
    if (!isNode(row)) return this.nodes.get(row.parent);
    const store = this.storeOf(row.session);
    const parent = store.get(row.key)?.parent;
    return parent === null || parent === undefined || parent === store.root.key ? undefined : this.node(row.session, parent);
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if (!isNode(row)) {
      const item = new vscode.TreeItem(`… ${row.more.toLocaleString("en-US")} more`, vscode.TreeItemCollapsibleState.None);
      item.id = `${row.session.id}/${row.parent}/…more`;
      return item;
    }
    const stored = this.storeOf(row.session).get(row.key);
    const count = stored ? childCount(stored) : 0;
    const item = new vscode.TreeItem(row.key, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `${row.session.id}/${row.key}`;
    item.description = stored ? (count ? `${stored.tag} · ${count.toLocaleString("en-US")}` : stored.tag) : "";
    item.iconPath = new vscode.ThemeIcon(count ? "symbol-namespace" : "symbol-field");
    item.contextValue = "sceneNode";
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, row: Row): vscode.TreeItem {
    const stored = isNode(row) ? this.storeOf(row.session).get(row.key) : undefined;
    if (stored) item.tooltip = propsTooltip(stored);
    return item;
  }

  dispose(): void {
    sceneViewShown.set(false);
    clearInterval(this.timer);
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function isNode(row: Row): row is OutlineNode {
  return "key" in row;
}

function childCount(n: StoredNode): number {
  let c = 0;
  for (const keys of Object.values(n.lists)) c += keys.length;
  return c;
}

function propsTooltip(n: StoredNode): vscode.MarkdownString {
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(n.key)}** — ${escapeMd(n.tag)}\n\n`);
  const entries = Object.entries(n.props);
  for (const [name, value] of entries.slice(0, 30)) tip.appendMarkdown(`- \`${escapeMd(name)}\`: ${escapeMd(summarise(value))}\n`);
  if (entries.length > 30) tip.appendMarkdown(`- … ${entries.length - 30} more props\n`);
  return tip;
}
