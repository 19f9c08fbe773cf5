/**
 * The "Tasks" view: one root per session (live or finished), its tasks nested
 * under the task that spawned them, and under a failed task the error, which
 * links to the line that threw. Row ids are stable (session id / task id), so
 * VS Code keeps expansion and selection across refreshes.
 */
import { basename } from "node:path";
import * as vscode from "vscode";
import type { ErrorInfo } from "../../protocol/tasks.js";
import { commandFor } from "../commands.js";
import { escapeMd } from "../markdown.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { formatElapsed, type TaskRecord } from "../sessions/task-model.js";
import { sessionIcon, sessionStatus, taskIcon, taskStateLabel } from "./presentation.js";

export interface SessionItem {
  readonly kind: "session";
  readonly session: HostSession;
}
export interface TaskItem {
  readonly kind: "task";
  readonly session: HostSession;
  readonly task: TaskRecord;
}
interface ErrorItem {
  readonly kind: "error";
  readonly session: HostSession;
  readonly ownerId: string;
  readonly error: ErrorInfo;
}
export type TaskTreeNode = SessionItem | TaskItem | ErrorItem;

export function isSessionItem(x: unknown): x is SessionItem {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "session";
}

/** How often elapsed times move while something runs; nothing ticks when all is idle. */
const TICK_MS = 1000;
/** Task messages can arrive by the hundred: redraw at most this often. */
const REFRESH_MS = 50;

export class TaskTreeProvider implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskTreeNode | TaskTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Sessions whose rows changed since the last redraw; `root` when the list itself changed. */
  private dirty = new Set<HostSession>();
  private rootDirty = false;
  /**
   * One node object per row id. VS Code resolves an inline action's argument
   * through the node it last saw; a whole-tree refresh drops those nodes until
   * every level is fetched again, so a click landing in between would get
   * nothing. Stable nodes and refreshes of just the changed rows keep that
   * window small.
   */
  private readonly nodes = new Map<string, TaskTreeNode>();

  constructor(private readonly sessions: SessionManager) {
    this.subscriptions.push(
      sessions.onDidChangeSession((s) => {
        this.dirty.add(s);
        this.refreshSoon();
      }),
      sessions.onDidChangeSessions(() => {
        this.rootDirty = true;
        this.refreshSoon();
        this.updateTicker();
      }),
    );
  }

  private refreshSoon(): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      if (this.rootDirty) this.changed.fire(undefined);
      else if (this.dirty.size) this.changed.fire([...this.dirty].map((s) => this.sessionNode(s)));
      this.rootDirty = false;
      this.dirty.clear();
    }, REFRESH_MS);
  }

  /**
   * Whether a running row's elapsed time is redrawn every second. Redrawing a
   * row makes VS Code fetch its subtree again, and an inline action clicked on a
   * row two levels down in that moment would lose its row; so rows with
   * grandchildren are not redrawn and show "running" rather than a stale time
   * (their tooltip, resolved on hover, is always current).
   */
  private ticks(s: HostSession, t: TaskRecord): boolean {
    return t.state === "running" && !s.tasks.children(t.id).some((c) => c.children.length > 0);
  }

  private tick(): void {
    const rows: TaskTreeNode[] = [];
    for (const s of this.sessions.liveSessions()) {
      for (const t of s.tasks.all()) {
        if (this.ticks(s, t)) rows.push(this.taskNode(s, t));
      }
    }
    if (rows.length) this.changed.fire(rows);
  }

  private updateTicker(): void {
    const running = this.sessions.liveSessions().length > 0;
    if (running && !this.ticker) this.ticker = setInterval(() => this.tick(), TICK_MS);
    if (!running && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private sessionNode(session: HostSession): SessionItem {
    return this.node(session.id, () => ({ kind: "session", session })) as SessionItem;
  }

  private taskNode(session: HostSession, task: TaskRecord): TaskItem {
    return this.node(`${session.id}/${task.id}`, () => ({ kind: "task", session, task })) as TaskItem;
  }

  private node(id: string, make: () => TaskTreeNode): TaskTreeNode {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = make()));
    return n;
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    if (!node) {
      // Forget the nodes of sessions that were cleared.
      const ids = new Set(this.sessions.sessions.map((s) => s.id));
      for (const key of this.nodes.keys()) if (!ids.has(key.split("/")[0])) this.nodes.delete(key);
      return [...this.sessions.sessions].reverse().map((s) => this.sessionNode(s));
    }
    if (node.kind === "session") {
      const { session } = node;
      const tasks: TaskTreeNode[] = session.tasks.roots().map((t) => this.taskNode(session, t));
      // A failure no task carries (a launch problem, a crash before main): show it on the session.
      if (session.error && !session.tasks.counts().failed) tasks.unshift(this.node(`${session.id}/!error`, () => ({ kind: "error", session, ownerId: session.id, error: session.error! })));
      return tasks;
    }
    if (node.kind === "task") {
      const { session, task } = node;
      const out: TaskTreeNode[] = task.error ? [this.node(`${session.id}/${task.id}/!error`, () => ({ kind: "error", session, ownerId: task.id, error: task.error! }))] : [];
      for (const child of session.tasks.children(task.id)) out.push(this.taskNode(session, child));
      return out;
    }
    return [];
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case "session":
        return this.sessionItem(node.session);
      case "task":
        return this.taskItem(node.session, node.task);
      case "error":
        return errorItem(node);
    }
  }

  private sessionItem(s: HostSession): vscode.TreeItem {
    // Always expandable, and expanded: a row first drawn without children (a Python program is
    // still starting) and given some later would stay collapsed, hiding the new run's tasks.
    const item = new vscode.TreeItem(s.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = s.id;
    // No resourceUri: it would also give the row the file's Problems colour (red for an
    // unrelated type error); a row is coloured by its own state only, through its icon.
    item.iconPath = sessionIcon(s);
    const c = s.tasks.counts();
    // A live session's row is not redrawn every second (see ticks()): its time is in the tooltip.
    const elapsed = s.isLive ? [] : [formatElapsed((s.endedAt ?? Date.now()) - s.startedAt)];
    item.description = [`#${s.runOfFile}`, sessionStatus(s), c.running ? `${c.running}/${c.total} tasks` : `${c.total} task${c.total === 1 ? "" : "s"}`, ...elapsed].join(" · ");
    item.contextValue = s.isLive ? "session.live" : "session.finished";
    item.command = commandFor("sceneRunner.showViewer", "Show Viewer", { kind: "session", session: s });
    return item;
  }

  private taskItem(s: HostSession, t: TaskRecord): vscode.TreeItem {
    const hasChildren = t.children.length > 0 || t.error !== undefined;
    const item = new vscode.TreeItem(t.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `${s.id}/${t.id}`;
    item.iconPath = taskIcon(t.state);
    const elapsed = formatElapsed(s.tasks.elapsedMs(t, Date.now()));
    item.description = t.state !== "running" ? `${taskStateLabel(t.state)} · ${elapsed}` : this.ticks(s, t) ? elapsed : "running";
    // A cancelling task offers no Cancel: the request is on its way (its finally blocks run).
    item.contextValue = t.state === "running" && s.isLive ? "task.running" : t.state === "cancelling" && s.isLive ? "task.cancelling" : "task.finished";
    item.accessibilityInformation = { label: `${t.name}, ${t.state}, ${elapsed}` };
    if (t.file) item.command = commandFor("sceneRunner.openLocation", "Go to Creation", t.file, t.line, t.column);
    return item;
  }

  /** Tooltips are built when hovered, so their times are current even for rows the ticker leaves alone. */
  resolveTreeItem(item: vscode.TreeItem, node: TaskTreeNode): vscode.TreeItem {
    if (node.kind === "session") item.tooltip = sessionTooltip(node.session);
    else if (node.kind === "task") item.tooltip = taskTooltip(node.session, node.task);
    return item;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function sessionTooltip(s: HostSession): vscode.MarkdownString {
  const c = s.tasks.counts();
  const elapsed = formatElapsed((s.endedAt ?? Date.now()) - s.startedAt);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(s.label)}** — run ${s.run}, ${sessionStatus(s)}, ${elapsed}\n\n`);
  tip.appendMarkdown(`${escapeMd(s.file)}\n\n`);
  if (s.runtime) tip.appendMarkdown(`${s.runtime}${s.pid ? `, pid ${s.pid}` : ""}\n\n`);
  tip.appendMarkdown(`${c.running - c.cancelling} running, ${c.cancelling ? `${c.cancelling} cancelling, ` : ""}${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled`);
  if (s.error) tip.appendMarkdown(`\n\n---\n\n**${escapeMd(s.error.name)}**: ${escapeMd(s.error.message)}`);
  return tip;
}

function taskTooltip(s: HostSession, t: TaskRecord): vscode.MarkdownString {
  const elapsed = formatElapsed(s.tasks.elapsedMs(t, Date.now()));
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(t.name)}** — ${taskStateLabel(t.state)}, ${elapsed}\n\n`);
  if (t.file) tip.appendMarkdown(`Created at ${escapeMd(`${basename(t.file)}:${t.line ?? "?"}`)}\n\n`);
  if (t.error) {
    tip.appendMarkdown(`---\n\n**${escapeMd(t.error.name)}**: ${escapeMd(t.error.message)}`);
    if (t.error.location) tip.appendMarkdown(`\n\nat ${escapeMd(`${basename(t.error.location.file)}:${t.error.location.line}`)}`);
  }
  return tip;
}

function errorItem(node: ErrorItem): vscode.TreeItem {
  const { error } = node;
  const item = new vscode.TreeItem(`${error.name}: ${error.message}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.session.id}/${node.ownerId}!error`;
  item.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed"));
  item.contextValue = "error";
  const loc = error.location;
  if (loc) {
    item.description = `${basename(loc.file)}:${loc.line}`;
    item.command = commandFor("sceneRunner.openLocation", "Go to Error", loc.file, loc.line, loc.column);
  }
  item.tooltip = error.stack ?? `${error.name}: ${error.message}`;
  return item;
}

