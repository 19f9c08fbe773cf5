/**
 * The "Tasks" view: one root per session (live or finished), its tasks nested
 * under the task that spawned them, and under a failed task the error, which
 * links to the line that threw. Repeated runs of one thing are folded into one
 * row (run-groups.ts). Row ids are stable (session id / task id), so VS Code
 * keeps expansion and selection across refreshes.
 */
import { basename } from "node:path";
import * as vscode from "vscode";
import type { ErrorInfo } from "../../protocol/tasks.js";
import { commandFor } from "../commands.js";
import { escapeMd } from "../markdown.js";
import type { HostSession } from "../sessions/host-session.js";
import type { SessionManager } from "../sessions/session-manager.js";
import { formatElapsed, type TaskModel, type TaskRecord } from "../sessions/task-model.js";
import { isLive } from "../sessions/task-model.js";
import { scrubbedLabel, scrubbedRuns, type PastView, type ScrubbedRuns } from "./past-tasks.js";
import { sessionIcon, sessionStatus, taskIcon, taskStateLabel } from "./presentation.js";
import { outermostRows, type DirtyRow } from "./refresh-plan.js";
import { GROUP_MIN, groupSiblings, runKey, RUNS_SHOWN, shownRuns, SiblingKinds, summarise } from "./run-groups.js";

export interface SessionItem {
  readonly kind: "session";
  readonly session: HostSession;
}
export interface TaskItem {
  readonly kind: "task";
  readonly session: HostSession;
  readonly task: TaskRecord;
}
/** Repeated runs of one thing (a handler, a worker spawned in a loop) under one parent: see run-groups.ts. */
interface RunsItem {
  readonly kind: "runs";
  readonly session: HostSession;
  readonly parent: string | null;
  readonly key: string;
  readonly name: string;
}
interface ErrorItem {
  readonly kind: "error";
  readonly session: HostSession;
  readonly ownerId: string;
  readonly error: ErrorInfo;
}
export type TaskTreeNode = SessionItem | TaskItem | RunsItem | ErrorItem;

export function isSessionItem(x: unknown): x is SessionItem {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "session";
}

/** How often elapsed times move while something runs; nothing ticks when all is idle. */
const TICK_MS = 1000;
/** Task messages can arrive by the hundred: redraw at most this often. */
const REFRESH_MS = 50;
/**
 * One row is redrawn at most this often. VS Code applies tree refreshes one after another, each a
 * round trip to this host; a row that changes many times a second (a handler group: a new run
 * every 100 ms) would queue refreshes faster than they are applied, and the whole view would lag
 * further and further behind (measured: 30 s behind after a minute).
 */
const ROW_EVERY_MS = 1000;

/**
 * Why rows are redrawn one by one, and only when they change: VS Code forgets the
 * descendants of a row it redraws until it has fetched them again, and an inline
 * action (Cancel) clicked on a forgotten row arrives without its task
 * ("Tree element not found"). So a redraw never reaches above what changed: a
 * state change redraws that task's row, a spawn its parent's, a tick only rows
 * with no children, and a live session's row carries nothing that changes with
 * its tasks (their counts go in the view's description).
 */
export class TaskTreeProvider implements vscode.TreeDataProvider<TaskTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TaskTreeNode | TaskTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Rows to redraw at the next refresh, with the ids of the rows above them. */
  private readonly dirty = new Map<string, DirtyRow<TaskTreeNode>>();
  /** When each row was last handed to VS Code for a redraw. */
  private readonly lastDrawn = new Map<string, number>();
  /** The list of sessions itself changed: everything is fetched again. */
  private rootDirty = false;
  /** One node object per row id: VS Code hands a row's node back to our commands. */
  private readonly nodes = new Map<string, TaskTreeNode>();
  /** Per parent, how many children of each kind (whether a task's row sits in a group). */
  private readonly kinds = new SiblingKinds();
  private readonly counted = new Set<HostSession>();
  /** What each session row showed when last drawn: redrawn only when that changes. */
  private readonly drawnSessions = new Map<HostSession, string>();
  private shownSessionIds = "";
  private view: vscode.TreeView<TaskTreeNode> | undefined;

  constructor(
    private readonly sessions: SessionManager,
    /** Runs whose viewer shows a past moment: their rows show their tasks as they were then. */
    private readonly scrubs: ScrubbedRuns<HostSession> = scrubbedRuns,
  ) {
    this.subscriptions.push(
      scrubs.onDidChange((s) => this.scrubChanged(s)),
      sessions.onDidChangeTask(({ session, task, spawned }) => {
        // A run shown in the past takes no live changes: back in the present it is drawn again whole.
        if (scrubs.get(session)) return;
        // A session met for the first time is counted in full, this task included.
        const counted = this.countKinds(session);
        if (spawned) this.spawned(session, task, counted);
        else this.taskChanged(session, task);
      }),
      sessions.onDidChangeSession((s) => this.sessionMaybeChanged(s)),
      sessions.onDidChangeSessions(() => {
        const ids = this.sessions.sessions.map((s) => s.id).join(",");
        if (ids !== this.shownSessionIds) this.rootDirty = true;
        else for (const s of this.sessions.sessions) this.sessionMaybeChanged(s);
        this.refreshSoon();
        this.updateTicker();
      }),
    );
  }

  /** The view whose description shows the live task counts. */
  attach(view: vscode.TreeView<TaskTreeNode>): void {
    this.view = view;
    this.describeView();
  }

  // ------------------------------------------------------------------ the present, or a past moment

  /** The tasks a session's rows show: as they are, or as they were at the moment its viewer shows. */
  private tasksOf(s: HostSession): TaskModel {
    return this.scrubs.get(s)?.tasks ?? s.tasks;
  }

  /** The clock its elapsed times are read by. */
  private nowOf(s: HostSession): number {
    return this.scrubs.get(s)?.now ?? s.now();
  }

  /**
   * A session went to a past moment, moved in it, or came back: its rows now stand for other
   * task records (or the same ids in other states), so everything the tree keeps about them is
   * dropped and the session's row is redrawn once, which redraws all below it (the refresh plan
   * still draws a row at most once a second, so a drag does not flood VS Code).
   */
  private scrubChanged(s: HostSession): void {
    if (!this.sessions.sessions.includes(s)) return;
    const prefix = `${s.id}/`;
    for (const key of [...this.nodes.keys()]) if (key.startsWith(prefix)) this.nodes.delete(key);
    for (const key of [...this.dirty.keys()]) if (key.startsWith(prefix)) this.dirty.delete(key);
    this.counted.delete(s);
    this.kinds.forget(prefix);
    this.markDirty(this.sessionNode(s));
    this.describeViewSoon();
  }

  // ------------------------------------------------------------------ what to redraw

  private parentKey(s: HostSession, parent: string | null): string {
    return `${s.id}/${parent ?? ""}`;
  }

  /** A session the tree meets for the first time is counted once, in full; true if that happened now. */
  private countKinds(s: HostSession): boolean {
    if (this.counted.has(s)) return false;
    this.counted.add(s);
    for (const t of this.tasksOf(s).all()) this.kinds.add(this.parentKey(s, t.parent), t);
    return true;
  }

  private isGrouped(s: HostSession, t: TaskRecord): boolean {
    return this.kinds.grouped(this.parentKey(s, t.parent), t);
  }

  /** The row a task's row sits under: its group, its parent task, or its session. */
  private containerOf(s: HostSession, t: TaskRecord): TaskTreeNode {
    if (this.isGrouped(s, t)) return this.runsNode(s, t.parent, runKey(t), t.name);
    return this.parentRow(s, t.parent);
  }

  private parentRow(s: HostSession, parent: string | null): TaskTreeNode {
    const p = parent === null ? undefined : this.tasksOf(s).get(parent);
    return p ? this.taskNode(s, p) : this.sessionNode(s);
  }

  /** Ids of the rows above a node, nearest first. */
  private ancestorsOf(node: TaskTreeNode): string[] {
    const out: string[] = [];
    const s = node.session;
    let parent: string | null = node.kind === "task" ? node.task.parent : node.kind === "runs" ? node.parent : null;
    if (node.kind === "task" && this.isGrouped(s, node.task)) out.push(this.runsId(s, node.task.parent, runKey(node.task)));
    const tasks = this.tasksOf(s);
    for (let p = parent === null ? undefined : tasks.get(parent); p; p = p.parent === null ? undefined : tasks.get(p.parent)) {
      out.push(this.taskId(s, p));
      if (this.isGrouped(s, p)) out.push(this.runsId(s, p.parent, runKey(p)));
      parent = p.parent;
    }
    if (node.kind !== "session") out.push(s.id);
    return out;
  }

  private markDirty(node: TaskTreeNode): void {
    const id = this.idOf(node);
    if (!this.dirty.has(id)) this.dirty.set(id, { node, ancestors: this.ancestorsOf(node) });
    this.refreshSoon();
  }

  private spawned(s: HostSession, t: TaskRecord, counted: boolean): void {
    const key = this.parentKey(s, t.parent);
    const n = counted ? this.kinds.count(key, t) : this.kinds.add(key, t);
    // Below GROUP_MIN the task is a row of its parent; at GROUP_MIN its kind folds into a
    // group row in the parent; past that only the group's row gains a run.
    this.markDirty(n > GROUP_MIN ? this.runsNode(s, t.parent, runKey(t), t.name) : this.parentRow(s, t.parent));
    this.describeViewSoon();
  }

  private taskChanged(s: HostSession, t: TaskRecord): void {
    // A grouped run's row is redrawn with its group (which shows the group's counts).
    this.markDirty(this.isGrouped(s, t) ? this.containerOf(s, t) : this.taskNode(s, t));
    this.describeViewSoon();
  }

  private sessionMaybeChanged(s: HostSession): void {
    const drawn = this.drawnSessions.get(s);
    if (drawn !== undefined && drawn !== sessionSignature(s, this.scrubs.get(s))) this.markDirty(this.sessionNode(s));
    this.describeViewSoon();
  }

  private refreshSoon(delay = REFRESH_MS): void {
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      if (this.rootDirty) {
        this.rootDirty = false;
        this.dirty.clear();
        this.changed.fire(undefined);
        return;
      }
      const now = Date.now();
      const due = new Map<string, DirtyRow<TaskTreeNode>>();
      let wait = Infinity;
      for (const [id, row] of this.dirty) {
        const since = now - (this.lastDrawn.get(id) ?? -Infinity);
        if (since >= ROW_EVERY_MS) due.set(id, row);
        else wait = Math.min(wait, ROW_EVERY_MS - since);
      }
      for (const id of due.keys()) {
        this.dirty.delete(id);
        this.lastDrawn.set(id, now);
      }
      if (due.size) this.changed.fire(outermostRows(due));
      if (this.dirty.size) this.refreshSoon(Math.max(REFRESH_MS, wait));
    }, delay);
  }

  private describeTimer: ReturnType<typeof setTimeout> | undefined;
  private describeViewSoon(): void {
    this.describeTimer ??= setTimeout(() => {
      this.describeTimer = undefined;
      this.describeView();
    }, 250);
  }

  /**
   * "2 live · 5 of 12 tasks running": changes with every task, so it is not on any row. The
   * counts are the present's; a run shown at a past moment is named with that moment.
   */
  private describeView(): void {
    if (!this.view) return;
    const live = this.sessions.liveSessions();
    let running = 0;
    let total = 0;
    for (const s of live) {
      const c = s.tasks.counts();
      running += c.running;
      total += c.total;
    }
    // The moment first: a narrow sidebar cuts the description's end.
    const parts: string[] = [];
    for (const [s, past] of this.scrubs.all()) if (this.sessions.sessions.includes(s)) parts.push(`${s.label} ${scrubbedLabel(past.at)}`);
    if (live.length) parts.push(`${live.length} live · ${running} of ${total} task${total === 1 ? "" : "s"} running`);
    this.view.description = parts.length ? parts.join(" · ") : undefined;
  }

  /**
   * Whether a running row's elapsed time is redrawn every second: only rows with no
   * children, since redrawing a row makes VS Code forget the rows below it (see the
   * class comment). Other running rows say "running"; their tooltip is always current.
   */
  private ticks(s: HostSession, t: TaskRecord): boolean {
    return t.state === "running" && t.children.length === 0 && t.error === undefined && s.isLive && !this.scrubs.get(s);
  }

  private tick(): void {
    const rows: TaskTreeNode[] = [];
    for (const s of this.sessions.liveSessions()) {
      if (this.scrubs.get(s)) continue; // frozen at its moment
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
    this.describeViewSoon();
  }

  // ------------------------------------------------------------------ nodes

  private taskId(s: HostSession, t: TaskRecord): string {
    return `${s.id}/${t.id}`;
  }

  private runsId(s: HostSession, parent: string | null, key: string): string {
    return `${s.id}/${parent ?? ""}/runs:${key}`;
  }

  private idOf(node: TaskTreeNode): string {
    switch (node.kind) {
      case "session":
        return node.session.id;
      case "task":
        return this.taskId(node.session, node.task);
      case "runs":
        return this.runsId(node.session, node.parent, node.key);
      case "error":
        return `${node.session.id}/${node.ownerId}/!error`;
    }
  }

  private sessionNode(session: HostSession): SessionItem {
    return this.node(session.id, () => ({ kind: "session", session })) as SessionItem;
  }

  private taskNode(session: HostSession, task: TaskRecord): TaskItem {
    return this.node(this.taskId(session, task), () => ({ kind: "task", session, task })) as TaskItem;
  }

  private runsNode(session: HostSession, parent: string | null, key: string, name: string): RunsItem {
    return this.node(this.runsId(session, parent, key), () => ({ kind: "runs", session, parent, key, name })) as RunsItem;
  }

  private errorNode(session: HostSession, ownerId: string, error: ErrorInfo): ErrorItem {
    return this.node(`${session.id}/${ownerId}/!error`, () => ({ kind: "error", session, ownerId, error })) as ErrorItem;
  }

  private node(id: string, make: () => TaskTreeNode): TaskTreeNode {
    let n = this.nodes.get(id);
    if (!n) this.nodes.set(id, (n = make()));
    return n;
  }

  /** A parent's children as rows: tasks, and groups of repeated runs. */
  private rowsOf(session: HostSession, parent: string | null, children: readonly TaskRecord[]): TaskTreeNode[] {
    return groupSiblings(children).map((c) => ("kind" in c ? this.runsNode(session, parent, c.key, c.name) : this.taskNode(session, c)));
  }

  getChildren(node?: TaskTreeNode): TaskTreeNode[] {
    if (!node) {
      // Forget the nodes of sessions that were cleared.
      const ids = new Set(this.sessions.sessions.map((s) => s.id));
      for (const key of this.nodes.keys()) if (!ids.has(key.split("/")[0])) this.nodes.delete(key);
      for (const key of this.lastDrawn.keys()) if (!ids.has(key.split("/")[0])) this.lastDrawn.delete(key);
      for (const s of [...this.drawnSessions.keys()]) {
        if (!ids.has(s.id)) {
          this.drawnSessions.delete(s);
          this.counted.delete(s);
          this.kinds.forget(`${s.id}/`);
        }
      }
      this.shownSessionIds = this.sessions.sessions.map((s) => s.id).join(",");
      return [...this.sessions.sessions].reverse().map((s) => this.sessionNode(s));
    }
    switch (node.kind) {
      case "session": {
        const { session } = node;
        this.countKinds(session);
        const tasks = this.tasksOf(session);
        const rows = this.rowsOf(session, null, tasks.roots());
        // A failure no task carries (a launch problem, a crash before main): show it on the session.
        // Not at a past moment: the run had not failed then.
        if (session.error && !this.scrubs.get(session) && !tasks.counts().failed) rows.unshift(this.errorNode(session, session.id, session.error));
        return rows;
      }
      case "task": {
        const { session, task } = node;
        const rows = this.rowsOf(session, task.id, this.tasksOf(session).children(task.id));
        if (task.error) rows.unshift(this.errorNode(session, task.id, task.error));
        return rows;
      }
      case "runs": {
        const { session, parent, key } = node;
        const tasks = this.tasksOf(session);
        const siblings = parent === null ? tasks.roots() : tasks.children(parent);
        return shownRuns(siblings.filter((t) => runKey(t) === key)).map((t) => this.taskNode(session, t));
      }
      case "error":
        return [];
    }
  }

  getTreeItem(node: TaskTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case "session": {
        const past = this.scrubs.get(node.session);
        this.drawnSessions.set(node.session, sessionSignature(node.session, past));
        return sessionItem(node.session, past);
      }
      case "task":
        return this.taskItem(node.session, node.task);
      case "runs":
        return this.runsItem(node);
      case "error":
        return errorItem(node, this.idOf(node));
    }
  }

  private taskItem(s: HostSession, t: TaskRecord): vscode.TreeItem {
    const hasChildren = t.children.length > 0 || t.error !== undefined;
    const item = new vscode.TreeItem(t.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = this.taskId(s, t);
    item.iconPath = taskIcon(t.state);
    const past = this.scrubs.get(s);
    const elapsed = formatElapsed(this.tasksOf(s).elapsedMs(t, this.nowOf(s)));
    // At a past moment a running task's time is that moment's: shown, as it no longer moves.
    item.description = t.state !== "running" ? `${taskStateLabel(t.state)} · ${elapsed}` : this.ticks(s, t) || past ? elapsed : "running";
    // A cancelling task offers no Cancel: the request is on its way (its finally blocks run).
    // A past moment's rows offer none either: what they show is not what runs now.
    const live = s.isLive && !past;
    item.contextValue = past ? "task.past" : t.state === "running" && live ? "task.running" : t.state === "cancelling" && live ? "task.cancelling" : "task.finished";
    item.accessibilityInformation = { label: `${t.name}, ${t.state}, ${elapsed}` };
    if (t.file) item.command = commandFor("sceneRunner.openLocation", "Go to Creation", t.file, t.line, t.column);
    return item;
  }

  private runsItem(node: RunsItem): vscode.TreeItem {
    const members = this.membersOf(node);
    const sum = summarise(members);
    // Folded: the point of the group is to keep repeated runs out of the way.
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.idOf(node);
    const lastState = sum.last.state;
    item.iconPath = sum.live ? taskIcon("running") : sum.byState.failed ? taskIcon("failed") : taskIcon(lastState);
    const parts = [`×${sum.total}`];
    if (sum.live) parts.push(`${sum.live} running`);
    if (sum.byState.failed) parts.push(`${sum.byState.failed} failed`);
    if (!isLive(lastState)) parts.push(`last ${lastState} · ${formatElapsed(this.tasksOf(node.session).elapsedMs(sum.last, this.nowOf(node.session)))}`);
    item.description = parts.join(" · ");
    item.contextValue = "runs";
    item.accessibilityInformation = { label: `${node.name}, ${sum.total} runs, ${sum.live} running, ${sum.byState.failed} failed` };
    if (sum.last.file) item.command = commandFor("sceneRunner.openLocation", "Go to Creation", sum.last.file, sum.last.line, sum.last.column);
    return item;
  }

  private membersOf(node: RunsItem): TaskRecord[] {
    const { session, parent, key } = node;
    const tasks = this.tasksOf(session);
    const siblings = parent === null ? tasks.roots() : tasks.children(parent);
    return siblings.filter((t) => runKey(t) === key);
  }

  /** Tooltips are built when hovered, so their times are current even for rows the ticker leaves alone. */
  resolveTreeItem(item: vscode.TreeItem, node: TaskTreeNode): vscode.TreeItem {
    if (node.kind === "session") item.tooltip = sessionTooltip(node.session, this.scrubs.get(node.session));
    else if (node.kind === "task") item.tooltip = taskTooltip(node.task, this.tasksOf(node.session), this.nowOf(node.session));
    else if (node.kind === "runs") item.tooltip = runsTooltip(node, this.membersOf(node));
    return item;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.pending) clearTimeout(this.pending);
    if (this.describeTimer) clearTimeout(this.describeTimer);
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

/** What a session row shows; while the session is live nothing in it follows its tasks. */
function sessionSignature(s: HostSession, past: PastView | undefined): string {
  const item = sessionItem(s, past);
  return `${item.label}|${item.description}|${(item.iconPath as vscode.ThemeIcon).id}|${item.contextValue}`;
}

function sessionItem(s: HostSession, past?: PastView): vscode.TreeItem {
  // Always expandable, and expanded: a row first drawn without children (a Python program is
  // still starting) and given some later would stay collapsed, hiding the new run's tasks.
  const item = new vscode.TreeItem(s.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = s.id;
  // No resourceUri: it would also give the row the file's Problems colour (red for an
  // unrelated type error); a row is coloured by its own state only, through its icon.
  item.iconPath = sessionIcon(s);
  if (past) {
    // Its viewer shows a past moment, and so do its rows: said on the row, with the way back.
    item.iconPath = new vscode.ThemeIcon("history");
    item.description = [`#${s.runOfFile}`, s.isLive ? "live" : sessionStatus(s), scrubbedLabel(past.at)].join(" · ");
    item.contextValue = s.isLive ? "session.live.scrubbed" : "session.finished.scrubbed";
    item.command = commandFor("sceneRunner.showViewer", "Show Viewer", { kind: "session", session: s });
    return item;
  }
  const parts = [`#${s.runOfFile}`, sessionStatus(s)];
  // A live session's counts and time change with every task: they are in the view's
  // description and the tooltip, so that redrawing this row (which makes VS Code forget its
  // tasks' rows for a moment) happens only when its state does.
  if (!s.isLive) {
    const total = s.tasks.counts().total;
    parts.push(`${total} task${total === 1 ? "" : "s"}`, formatElapsed((s.endedAt ?? Date.now()) - s.startedAt));
  }
  item.description = parts.join(" · ");
  item.contextValue = s.isLive ? "session.live" : s.recordedAt !== undefined ? "session.recording" : s.restored ? "session.restored" : "session.finished";
  item.command = commandFor("sceneRunner.showViewer", "Show Viewer", { kind: "session", session: s });
  return item;
}

function sessionTooltip(s: HostSession, past: PastView | undefined): vscode.MarkdownString {
  const c = (past?.tasks ?? s.tasks).counts();
  const elapsed = formatElapsed((s.endedAt ?? Date.now()) - s.startedAt);
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(s.label)}** — run ${s.run}, ${sessionStatus(s)}, ${elapsed}\n\n`);
  if (past) tip.appendMarkdown(`Shown ${scrubbedLabel(past.at)}: its tasks as they were then (Back to Live shows the present).\n\n`);
  tip.appendMarkdown(`${escapeMd(s.file)}\n\n`);
  if (s.runtime) tip.appendMarkdown(`${s.runtime}${s.pid ? `, pid ${s.pid}` : ""}\n\n`);
  tip.appendMarkdown(`${c.running - c.cancelling} running, ${c.cancelling ? `${c.cancelling} cancelling, ` : ""}${c.done} done, ${c.failed} failed, ${c.cancelled} cancelled`);
  if (s.error) tip.appendMarkdown(`\n\n---\n\n**${escapeMd(s.error.name)}**: ${escapeMd(s.error.message)}`);
  return tip;
}

function taskTooltip(t: TaskRecord, tasks: TaskModel, now: number): vscode.MarkdownString {
  const elapsed = formatElapsed(tasks.elapsedMs(t, now));
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**${escapeMd(t.name)}** — ${taskStateLabel(t.state)}, ${elapsed}\n\n`);
  if (t.file) tip.appendMarkdown(`Created at ${escapeMd(`${basename(t.file)}:${t.line ?? "?"}`)}\n\n`);
  if (t.error) {
    tip.appendMarkdown(`---\n\n**${escapeMd(t.error.name)}**: ${escapeMd(t.error.message)}`);
    if (t.error.location) tip.appendMarkdown(`\n\nat ${escapeMd(`${basename(t.error.location.file)}:${t.error.location.line}`)}`);
  }
  return tip;
}

function runsTooltip(node: RunsItem, members: readonly TaskRecord[]): vscode.MarkdownString {
  const sum = summarise(members);
  const tip = new vscode.MarkdownString(undefined, true);
  const states = (["running", "cancelling", "done", "failed", "cancelled"] as const).filter((k) => sum.byState[k]).map((k) => `${sum.byState[k]} ${k}`);
  tip.appendMarkdown(`**${escapeMd(node.name)}** — ${sum.total} runs: ${states.join(", ")}\n\n`);
  if (sum.last.file) tip.appendMarkdown(`Created at ${escapeMd(`${basename(sum.last.file)}:${sum.last.line ?? "?"}`)}\n\n`);
  tip.appendMarkdown(`Listed: every run still going and the last ${RUNS_SHOWN} that ended.`);
  return tip;
}

function errorItem(node: ErrorItem, id: string): vscode.TreeItem {
  const { error } = node;
  const item = new vscode.TreeItem(`${error.name}: ${error.message}`, vscode.TreeItemCollapsibleState.None);
  item.id = id;
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

