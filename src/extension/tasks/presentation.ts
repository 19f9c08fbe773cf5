/**
 * How states look: one place for the icons and words the tree and the status
 * bar use, with the test-explorer theme colours so themes style them alike.
 */
import * as vscode from "vscode";
import type { TaskState } from "../../protocol/tasks.js";
import type { HostSession } from "../sessions/host-session.js";

const passed = new vscode.ThemeColor("testing.iconPassed");
const failed = new vscode.ThemeColor("testing.iconFailed");
const skipped = new vscode.ThemeColor("testing.iconSkipped");

export function taskIcon(state: TaskState): vscode.ThemeIcon {
  switch (state) {
    case "running":
      return new vscode.ThemeIcon("loading~spin");
    case "cancelling":
      // Asked to stop, still in its code (its finally blocks run): spinning, in the cancelled colour.
      return new vscode.ThemeIcon("sync~spin", skipped);
    case "done":
      return new vscode.ThemeIcon("pass", passed);
    case "failed":
      return new vscode.ThemeIcon("error", failed);
    case "cancelled":
      return new vscode.ThemeIcon("circle-slash", skipped);
  }
}

/** How a state reads in a row: an ongoing state gets an ellipsis. */
export function taskStateLabel(state: TaskState): string {
  return state === "cancelling" ? "cancelling…" : state;
}

/**
 * A session looks like a task in the same state (a stopped session like a cancelled task,
 * a stopping one like a cancelling task). A run that ended "done" while one of its tasks
 * failed is shown failed: a green row would hide the error.
 */
export function sessionIcon(s: HostSession): vscode.ThemeIcon {
  if (s.stopping) return taskIcon("cancelling");
  // A recording's run before its end: the moment shown, not a state.
  if (s.recordedAt !== undefined && s.state === "stopped") return new vscode.ThemeIcon("history");
  if (s.state === "done" && s.tasks.counts().failed) return taskIcon("failed");
  return taskIcon(s.state === "starting" ? "running" : s.state === "stopped" ? "cancelled" : s.state);
}

export function sessionStatus(s: HostSession): string {
  if (s.stopping) return "stopping…";
  if (s.endedByReload) return "stopped by window reload";
  if (s.recordedAt !== undefined) return `recording · at ${(s.recordedAt / 1000).toFixed(1)} s`;
  const failed = s.tasks.counts().failed;
  if (s.state === "done" && failed) return `done with ${failed} failed task${failed === 1 ? "" : "s"}`;
  return s.state;
}
