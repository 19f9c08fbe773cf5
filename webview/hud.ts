/**
 * The heads-up line (fps, nodes, session state), the toolbar (reset camera, screenshot) and
 * the viewer's warnings: a badge with their count, which opens the list (newest last).
 */
import type { ViewerSessionInfo } from "../src/protocol/viewer.js";

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

  constructor(parent: HTMLElement, actions: { resetCamera(): void; screenshot(): void; rerun(): void }) {
    this.line = document.createElement("div");
    this.line.className = "sr-hud";
    this.line.setAttribute("aria-live", "off");
    this.bar = document.createElement("div");
    this.bar.className = "sr-toolbar";
    this.badge = this.button("Viewer warnings", "", () => {
      this.list.hidden = !this.list.hidden;
    });
    this.badge.classList.add("sr-warn-badge");
    this.badge.hidden = true;
    // Offered once the run is over (done, failed, stopped, or stopped by a window reload).
    this.rerun = this.button("Run the scene again", "\u25b6 Run again", actions.rerun);
    this.rerun.classList.add("sr-rerun");
    this.rerun.hidden = true;
    this.bar.append(
      this.button("Reset camera", "\u27f2", actions.resetCamera),
      this.button("Screenshot (PNG)", "\u25a3", actions.screenshot),
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
    this.badge.textContent = `\u26a0 ${n}`;
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

  private button(title: string, icon: string, fn: () => void): HTMLButtonElement {
    const b = document.createElement("button");
    b.className = "sr-tool";
    b.title = title;
    b.setAttribute("aria-label", title);
    b.textContent = icon;
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
