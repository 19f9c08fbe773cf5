/**
 * The heads-up line (fps, nodes, session state), the toolbar (frame all, reset camera,
 * screenshot: codicon buttons with tooltips) and the viewer's warnings: a badge with their
 * count, which opens the list (newest last).
 */
import type { ViewerSessionInfo } from "../src/protocol/viewer.js";
import { codicon } from "./icons.js";

export interface HudNumbers {
  fps: number;
  nodes: number;
  drawCalls: number;
}

/** Warnings kept for the list; the count goes on past it. */
const MAX_LISTED = 100;

export class Hud {
  private readonly line: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly badge: HTMLButtonElement;
  private readonly list: HTMLElement;
  private warningCount = 0;
  private session: ViewerSessionInfo = { state: "idle", title: "" };
  private last = "";

  private readonly rerun: HTMLButtonElement;

  private readonly badgeCount: HTMLElement;

  constructor(parent: HTMLElement, actions: { frameAll(): void; resetCamera(): void; screenshot(): void; rerun(): void }) {
    this.line = document.createElement("div");
    this.line.className = "sr-hud";
    this.line.setAttribute("aria-live", "off");
    this.bar = document.createElement("div");
    this.bar.className = "sr-toolbar";
    this.badge = this.button("Viewer warnings", "warning", () => {
      this.list.hidden = !this.list.hidden;
    });
    this.badgeCount = this.badge.appendChild(document.createElement("span"));
    this.badge.classList.add("sr-warn-badge");
    this.badge.hidden = true;
    // Offered once the run is over (done, failed, stopped, or stopped by a window reload).
    this.rerun = this.button("Run the scene again", "debug-rerun", actions.rerun);
    this.rerun.append("Run again");
    this.rerun.classList.add("sr-rerun");
    this.rerun.hidden = true;
    this.bar.append(
      this.button("Frame all (F): the selection, or everything", "screen-full", actions.frameAll),
      this.button("Reset camera to the home view", "home", actions.resetCamera),
      this.button("Save a screenshot (PNG)", "device-camera", actions.screenshot),
      this.badge,
      this.rerun,
    );
    this.list = document.createElement("ol");
    this.list.className = "sr-warnings";
    this.list.hidden = true;
    this.list.setAttribute("aria-label", "Viewer warnings");
    parent.append(this.line, this.bar, this.list);
  }

  /** One more warning: counted on the badge, listed with its node's key. */
  warn(message: string, key?: string): void {
    this.warningCount++;
    const n = this.warningCount;
    this.badge.hidden = false;
    this.badgeCount.textContent = String(n);
    this.badge.title = `${n} viewer warning${n === 1 ? "" : "s"}: click for the list`;
    this.badge.setAttribute("aria-label", this.badge.title);
    const item = document.createElement("li");
    item.textContent = key === undefined || message.includes(key) ? message : `${message} (node "${key}")`;
    this.list.appendChild(item);
    while (this.list.childElementCount > MAX_LISTED) this.list.firstElementChild!.remove();
  }

  /** A new run starts with no warnings. */
  clearWarnings(): void {
    this.warningCount = 0;
    this.badge.hidden = true;
    this.list.hidden = true;
    this.list.replaceChildren();
  }

  /** A toolbar button: a codicon, the tooltip as its accessible name. */
  private button(title: string, icon: string, fn: () => void): HTMLButtonElement {
    const b = document.createElement("button");
    b.className = "sr-tool";
    b.type = "button";
    b.title = title;
    b.setAttribute("aria-label", title);
    b.append(codicon(icon));
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      fn();
    });
    return b;
  }

  setSession(s: ViewerSessionInfo): void {
    this.session = s;
    this.rerun.hidden = !this.canRerun || !(s.state === "done" || s.state === "failed" || s.state === "stopped");
  }

  /** False where the page hides the HUD (snapshots without --hud): the axes gizmo hides too. */
  get shown(): boolean {
    return getComputedStyle(this.bar).display !== "none";
  }

  /** Whether the page has a host that can run the scene again (VS Code; not a snapshot). */
  canRerun = false;

  show(n: HudNumbers): void {
    const state = this.session.title ? `${this.session.state} \u00b7 ${this.session.title}` : this.session.state;
    const text = `${n.fps} fps \u00b7 ${n.nodes.toLocaleString("en-US")} nodes \u00b7 ${n.drawCalls} draws \u00b7 ${state}`;
    if (text === this.last) return;
    this.last = text;
    this.line.textContent = text;
    this.line.dataset.state = this.session.state;
  }
}
