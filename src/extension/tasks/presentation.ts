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
    case "done":
      return new vscode.ThemeIcon("pass", passed);
    case "failed":
      return new vscode.ThemeIcon("error", failed);
    case "cancelled":
      return new vscode.ThemeIcon("circle-slash", skipped);
  }
}

/** A session looks like a task in the same state (a stopped session like a cancelled task). */
export function sessionIcon(s: HostSession): vscode.ThemeIcon {
  return taskIcon(s.state === "starting" ? "running" : s.state === "stopped" ? "cancelled" : s.state);
}

export function sessionStatus(s: HostSession): string {
  if (s.stopping) return "stopping…";
  return s.state;
}
