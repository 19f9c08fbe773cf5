/** The heads-up line (fps, nodes, session state) and the toolbar (reset camera, screenshot). */
import type { ViewerSessionInfo } from "../src/protocol/viewer.js";

export interface HudNumbers {
  fps: number;
  nodes: number;
  drawCalls: number;
}

export class Hud {
  private readonly line: HTMLElement;
  private readonly bar: HTMLElement;
  private session: ViewerSessionInfo = { state: "idle", title: "" };
  private last = "";

  constructor(parent: HTMLElement, actions: { resetCamera(): void; screenshot(): void }) {
    this.line = document.createElement("div");
    this.line.className = "sr-hud";
    this.line.setAttribute("aria-live", "off");
    this.bar = document.createElement("div");
    this.bar.className = "sr-toolbar";
    this.bar.append(
      this.button("Reset camera", "\u27f2", actions.resetCamera),
      this.button("Screenshot (PNG)", "\u25a3", actions.screenshot),
    );
    parent.append(this.line, this.bar);
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
  }

  show(n: HudNumbers): void {
    const state = this.session.title ? `${this.session.state} \u00b7 ${this.session.title}` : this.session.state;
    const text = `${n.fps} fps \u00b7 ${n.nodes.toLocaleString("en-US")} nodes \u00b7 ${n.drawCalls} draws \u00b7 ${state}`;
    if (text === this.last) return;
    this.last = text;
    this.line.textContent = text;
    this.line.dataset.state = this.session.state;
  }
}
