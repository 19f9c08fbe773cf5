/**
 * The timeline strip under the scene: a scrubber over the session's whole time with
 * markers (errors, cancels, client events), the task lanes (a Gantt view of every
 * task's span, nested by spawner, coloured by state) and the transport (play, pause,
 * step, speed, loop, Live). Moving back in time pauses the *view*, not the program:
 * the strip asks the host for the scene as it was (`seek`), and "Live" returns to
 * the present. It appears only when a host sends timeline data (VS Code), so a
 * snapshot picture never shows it.
 *
 * Styled through the CSSOM (element.style), which the page's CSP allows without
 * an inline stylesheet. The strip sits under the scene, not over it: it is the scene
 * element's sibling along the bottom of the page, and the scene element ends where the
 * strip begins (its bottom follows the strip's height), so the canvas, the status line
 * and the axes gizmo are all above it.
 */
import type { TimelineMarker, TimelineMsg, TimelineSpan } from "../../src/protocol/viewer.js";
import type { TaskState } from "../../src/protocol/tasks.js";
import { codicon } from "../icons.js";
import { aliveAt, formatTime, laneAt, layoutLanes, TimeScale, type Lane } from "./lanes.js";

export interface TimelineActions {
  /** Show the scene at `at` ms, or the present (null); `epoch`: the host's liveEpoch seen so far. */
  seek(at: number | null, epoch: number): void;
  openSource(file: string, line: number, column?: number): void;
}

const BAR_H = 26;
const RULER_H = 18;
const LANE_H = 12;
const VISIBLE_LANES = 8;
const SPEEDS = [0.25, 0.5, 1, 2, 4];
/** Seeks while playing or dragging go to the host at most this often. */
const SEEK_EVERY_MS = 50;
/** Pixels a press must move before it is a drag (else a click: open a span's source). */
const DRAG_PX = 3;

type Style = Partial<Record<keyof CSSStyleDeclaration, string>>;
function styled<K extends keyof HTMLElementTagNameMap>(tag: K, style: Style, cls?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  Object.assign(el.style, style);
  if (cls) el.className = cls;
  return el;
}

/** Theme colours for the canvas (which cannot read CSS variables itself). */
function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export class TimelineStrip {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly body: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly liveButton: HTMLButtonElement;
  private readonly toggle: HTMLButtonElement;
  private readonly timeLabel: HTMLElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly loopBox: HTMLInputElement;
  private readonly tip: HTMLElement;
  private data: TimelineMsg | undefined;
  private lanes: Lane[] = [];
  /** The moment shown, or null: the present. */
  private cursor: number | null = null;
  private playing = false;
  private speed = 1;
  private scroll = 0;
  private collapsed = true;
  private lastSeekSent = 0;
  private seekTimer: ReturnType<typeof setTimeout> | undefined;
  private raf = 0;
  private lastFrame = 0;
  private press: { x: number; y: number; dragging: boolean } | undefined;
  /** Keeps the scene element's bottom at the strip's top. */
  private readonly sizer: ResizeObserver;
  /** The host's count of its own returns to the present (TimelineMsg.liveEpoch); undefined before its first message. */
  private liveEpoch: number | undefined;

  /** `scene`: the scene's element (the stage's container), which the strip goes under. */
  constructor(
    private readonly scene: HTMLElement,
    private readonly actions: TimelineActions,
  ) {
    this.root = styled("div", {
      // Along the page's bottom, as wide as the page: the scene element above it ends at its top.
      position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "5", boxSizing: "border-box",
      background: "var(--vscode-editorWidget-background, rgb(37,37,38))",
      color: "var(--vscode-foreground, #ccc)", borderTop: "1px solid var(--vscode-widget-border, rgba(128,128,128,0.35))",
      font: "11px var(--vscode-font-family, sans-serif)", userSelect: "none",
    }, "sr-timeline");
    this.root.hidden = true;
    this.root.setAttribute("role", "region");
    this.root.setAttribute("aria-label", "Timeline");

    // In a narrow panel the bar wraps (the time goes to a line of its own) rather than cutting it.
    const bar = styled("div", { display: "flex", flexWrap: "wrap", alignItems: "center", columnGap: "4px", minHeight: `${BAR_H}px`, padding: "0 6px" }, "sr-tl-bar");
    this.toggle = this.button("Show the timeline", "chevron-right", () => this.setCollapsed(!this.collapsed), "Timeline");
    this.toggle.classList.add("sr-tl-toggle");
    const back = this.button("Step back (\u2190)", "chevron-left", () => this.step(-1));
    this.playButton = this.button("Play the past from here", "play", () => this.togglePlay());
    this.playButton.classList.add("sr-tl-play");
    const fwd = this.button("Step forward (\u2192)", "chevron-right", () => this.step(1));
    this.speedSelect = styled("select", { background: "transparent", color: "inherit", border: "1px solid var(--vscode-widget-border, #555)", font: "inherit" });
    this.speedSelect.title = "Playback speed";
    this.speedSelect.setAttribute("aria-label", "Playback speed");
    for (const s of SPEEDS) {
      const o = document.createElement("option");
      o.value = String(s);
      o.textContent = `${s}\u00d7`;
      if (s === 1) o.selected = true;
      this.speedSelect.append(o);
    }
    this.speedSelect.addEventListener("change", () => (this.speed = Number(this.speedSelect.value) || 1));
    const loopLabel = styled("label", { display: "flex", alignItems: "center", gap: "2px", cursor: "pointer" });
    this.loopBox = document.createElement("input");
    this.loopBox.type = "checkbox";
    this.loopBox.setAttribute("aria-label", "Loop playback");
    loopLabel.append(this.loopBox, "loop");
    this.liveButton = this.button("Back to the present", "circle-filled", () => this.goLive(), "Live");
    this.liveButton.classList.add("sr-tl-live");
    this.timeLabel = styled("span", { marginLeft: "auto", lineHeight: `${BAR_H - 6}px`, fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }, "sr-tl-time");
    bar.append(this.toggle, back, this.playButton, fwd, this.speedSelect, loopLabel, this.liveButton, this.timeLabel);

    this.body = styled("div", { position: "relative", padding: "0 6px 4px" });
    this.canvas = styled("canvas", { display: "block", width: "100%", cursor: "col-resize" }, "sr-tl-canvas");
    this.canvas.setAttribute("aria-label", "Timeline scrubber and task lanes");
    this.tip = styled("div", {
      position: "absolute", pointerEvents: "none", padding: "3px 6px", whiteSpace: "pre",
      background: "var(--vscode-editorHoverWidget-background, #252526)", border: "1px solid var(--vscode-editorHoverWidget-border, #454545)",
    }, "sr-tl-tip");
    this.tip.hidden = true;
    this.body.append(this.canvas, this.tip);
    this.body.hidden = true;
    this.root.append(bar, this.body);
    scene.after(this.root);
    this.sizer = new ResizeObserver(() => {
      this.fitScene();
      this.draw();
    });
    this.sizer.observe(this.root);

    this.canvas.addEventListener("pointerdown", (e) => this.onDown(e));
    this.canvas.addEventListener("pointermove", (e) => this.onMove(e));
    this.canvas.addEventListener("pointerup", (e) => this.onUp(e));
    this.canvas.addEventListener("pointerleave", () => (this.tip.hidden = true));
    this.canvas.addEventListener("wheel", (e) => {
      const max = Math.max(0, this.lanes.length - VISIBLE_LANES);
      this.scroll = Math.min(max, Math.max(0, this.scroll + Math.sign(e.deltaY)));
      this.draw();
      e.preventDefault();
    }, { passive: false });
    // Keys only while the strip has focus: the scene's own keys (vuer key events) stay the program's.
    this.root.tabIndex = -1;
    this.root.addEventListener("keydown", (e) => {
      if (e.key === "ArrowLeft") this.step(-1);
      else if (e.key === "ArrowRight") this.step(1);
      else if (e.key === " ") this.togglePlay();
      else return;
      e.preventDefault();
      e.stopPropagation();
    });
  }

  private button(title: string, icon: string, fn: () => void, text?: string): HTMLButtonElement {
    const b = styled("button", { display: "flex", alignItems: "center", gap: "3px", background: "transparent", color: "inherit", border: "none", cursor: "pointer", font: "inherit", padding: "2px 4px" }, "sr-tl-button");
    b.title = title;
    b.setAttribute("aria-label", title);
    b.append(codicon(icon));
    if (text) b.append(text);
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      fn();
    });
    return b;
  }

  /** New data from the host (a few times a second while the program runs). */
  update(m: TimelineMsg): void {
    // The host went back to the present itself (the Tasks view's Back to Live): it wins over a
    // playing strip, a drag and a seek still waiting to go, all of which would take it back.
    if (this.liveEpoch !== undefined && m.liveEpoch > this.liveEpoch) this.obeyLive();
    this.liveEpoch = m.liveEpoch;
    this.data = m;
    this.lanes = layoutLanes(m.spans);
    this.scroll = Math.min(this.scroll, Math.max(0, this.lanes.length - VISIBLE_LANES));
    // The host's cursor wins when it differs (another window, a reload): it knows what it shows.
    if (!this.playing && !this.press) this.cursor = m.cursor;
    this.root.hidden = false;
    this.render();
  }

  /** The scene element ends where the strip begins (the stage sees its element resize and redraws). */
  private fitScene(): void {
    const h = this.root.hidden ? 0 : this.root.offsetHeight;
    this.scene.style.bottom = h ? `${h}px` : "";
  }

  get shownTime(): number | null {
    return this.cursor;
  }

  private get duration(): number {
    return this.data?.duration ?? 0;
  }

  private setCollapsed(c: boolean): void {
    this.collapsed = c;
    this.body.hidden = c;
    this.toggle.firstElementChild!.className = `codicon codicon-${c ? "chevron-right" : "chevron-down"}`;
    this.toggle.title = c ? "Show the timeline" : "Hide the timeline";
    this.toggle.setAttribute("aria-label", this.toggle.title);
    this.toggle.setAttribute("aria-expanded", String(!c));
    this.render();
  }

  private setCursor(t: number | null, immediate = false): void {
    this.cursor = t === null ? null : Math.min(this.duration, Math.max(0, t));
    this.sendSeek(immediate);
    this.render();
  }

  private sendSeek(immediate: boolean): void {
    const now = performance.now();
    if (immediate || now - this.lastSeekSent >= SEEK_EVERY_MS) {
      if (this.seekTimer) clearTimeout(this.seekTimer);
      this.seekTimer = undefined;
      this.lastSeekSent = now;
      this.actions.seek(this.cursor, this.liveEpoch ?? 0);
    } else {
      // The last position of a drag always reaches the host.
      this.seekTimer ??= setTimeout(() => {
        this.seekTimer = undefined;
        this.lastSeekSent = performance.now();
        this.actions.seek(this.cursor, this.liveEpoch ?? 0);
      }, SEEK_EVERY_MS);
    }
  }

  private obeyLive(): void {
    this.stopPlaying();
    this.press = undefined;
    if (this.seekTimer) clearTimeout(this.seekTimer);
    this.seekTimer = undefined;
  }

  private goLive(): void {
    this.stopPlaying();
    this.setCursor(null, true);
  }

  private step(dir: number): void {
    this.stopPlaying();
    const from = this.cursor ?? this.duration;
    // One step is one frame of a 60 Hz program.
    const target = from + dir * (1000 / 60);
    this.setCursor(target, true);
  }

  private togglePlay(): void {
    if (this.playing) {
      this.stopPlaying();
      return;
    }
    if (this.cursor === null || this.cursor >= this.duration) this.cursor = 0;
    this.playing = true;
    this.lastFrame = performance.now();
    this.raf = requestAnimationFrame((t) => this.tick(t));
    this.render();
  }

  private stopPlaying(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    this.render();
  }

  private tick(now: number): void {
    if (!this.playing) return;
    const dt = Math.max(0, now - this.lastFrame) * this.speed;
    this.lastFrame = now;
    let t = (this.cursor ?? 0) + dt;
    if (t >= this.duration) {
      if (this.loopBox.checked) t = 0;
      else if (this.data?.live) {
        // Caught up with a running program: follow the present again.
        this.goLive();
        return;
      } else {
        t = this.duration;
        this.playing = false;
      }
    }
    this.setCursor(t, !this.playing);
    if (this.playing) this.raf = requestAnimationFrame((n) => this.tick(n));
  }

  // ------------------------------------------------------------------ pointer

  private scale(): TimeScale {
    return new TimeScale(0, Math.max(1, this.duration), this.canvas.clientWidth || 1);
  }

  private spanAt(x: number, y: number): TimelineSpan | undefined {
    const lane = laneAt(this.lanes, y, RULER_H, LANE_H, this.scroll);
    if (!lane) return undefined;
    const s = this.scale();
    const x0 = s.x(lane.span.start);
    const x1 = s.x(lane.span.end ?? this.duration);
    return x >= x0 - 2 && x <= Math.max(x0 + 2, x1) + 2 ? lane.span : undefined;
  }

  private onDown(e: PointerEvent): void {
    this.press = { x: e.offsetX, y: e.offsetY, dragging: false };
    this.canvas.setPointerCapture(e.pointerId);
  }

  private onMove(e: PointerEvent): void {
    if (this.press) {
      if (!this.press.dragging && Math.abs(e.offsetX - this.press.x) >= DRAG_PX) this.press.dragging = true;
      if (this.press.dragging) {
        this.stopPlaying();
        this.setCursor(this.scale().t(e.offsetX));
      }
      return;
    }
    this.hover(e.offsetX, e.offsetY);
  }

  private onUp(e: PointerEvent): void {
    const press = this.press;
    this.press = undefined;
    if (!press) return;
    if (press.dragging) {
      this.setCursor(this.scale().t(e.offsetX), true);
      return;
    }
    const span = this.spanAt(e.offsetX, e.offsetY);
    if (span?.file && e.offsetY >= RULER_H) {
      this.actions.openSource(span.file, span.line ?? 1, span.column);
      return;
    }
    this.stopPlaying();
    this.setCursor(this.scale().t(e.offsetX), true);
  }

  private hover(x: number, y: number): void {
    const span = y >= RULER_H ? this.spanAt(x, y) : undefined;
    const marker = y < RULER_H ? this.markerNear(x) : undefined;
    const text = span ? spanText(span, this.duration) : marker ? `${formatTime(marker.t)} \u00b7 ${marker.label}` : "";
    if (!text) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = text;
    this.tip.hidden = false;
    const w = this.canvas.clientWidth;
    this.tip.style.left = `${Math.min(Math.max(0, x + 10), Math.max(0, w - 220))}px`;
    this.tip.style.bottom = `${(this.canvas.clientHeight - y) + 8}px`;
  }

  private markerNear(x: number): TimelineMarker | undefined {
    const s = this.scale();
    let best: TimelineMarker | undefined;
    let bestD = 5;
    for (const m of this.data?.markers ?? []) {
      const d = Math.abs(s.x(m.t) - x);
      if (d < bestD) {
        best = m;
        bestD = d;
      }
    }
    return best;
  }

  // ------------------------------------------------------------------ drawing

  private render(): void {
    const live = this.cursor === null;
    // A finished run (or a recording) has no present to return to: its end.
    const ended = this.data?.live === false;
    this.liveButton.lastChild!.textContent = ended ? "End" : "Live";
    this.liveButton.title = ended ? "To the end of the run" : "Back to the present";
    this.liveButton.setAttribute("aria-label", this.liveButton.title);
    this.liveButton.disabled = live;
    this.liveButton.style.opacity = live ? "0.6" : "1";
    this.liveButton.setAttribute("aria-pressed", String(live));
    this.playButton.firstElementChild!.className = `codicon codicon-${this.playing ? "debug-pause" : "play"}`;
    this.playButton.title = this.playing ? "Pause" : "Play the past from here";
    this.playButton.setAttribute("aria-label", this.playButton.title);
    const total = formatTime(this.duration);
    this.timeLabel.textContent = live ? `${this.data?.live ? "live" : "end"} \u00b7 ${total}` : `${formatTime(this.cursor!)} / ${total}${this.data?.live ? " \u00b7 runs on" : ""}`;
    this.root.dataset.cursor = live ? "live" : String(Math.round(this.cursor!));
    this.draw();
  }

  private draw(): void {
    if (this.collapsed || this.root.hidden) return;
    const lanes = Math.min(VISIBLE_LANES, Math.max(1, this.lanes.length));
    const cssH = RULER_H + lanes * LANE_H + 4;
    const cssW = this.canvas.clientWidth || this.root.clientWidth || 300;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.style.height = `${cssH}px`;
    if (this.canvas.width !== Math.round(cssW * dpr) || this.canvas.height !== Math.round(cssH * dpr)) {
      this.canvas.width = Math.round(cssW * dpr);
      this.canvas.height = Math.round(cssH * dpr);
    }
    const g = this.canvas.getContext("2d");
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, cssW, cssH);
    const s = new TimeScale(0, Math.max(1, this.duration), cssW);
    const fg = themeColour("--vscode-foreground", "#cccccc");
    const at = this.cursor ?? this.duration;

    // The ruler: ticks every "nice" interval, and the markers.
    g.fillStyle = fg;
    g.globalAlpha = 0.5;
    const step = niceStep(this.duration, cssW / 80);
    for (let t = 0; t <= this.duration; t += step) g.fillRect(Math.round(s.x(t)), RULER_H - 5, 1, 5);
    g.globalAlpha = 1;
    for (const m of this.data?.markers ?? []) {
      g.fillStyle = markerColour(m.kind);
      g.fillRect(Math.round(s.x(m.t)) - 1, 2, 3, RULER_H - 6);
    }

    // The lanes: one bar per task, alive-at-the-cursor ones full, the others faded.
    for (let i = 0; i < lanes; i++) {
      const lane = this.lanes[i + this.scroll];
      if (!lane) break;
      const y = RULER_H + i * LANE_H;
      const { span } = lane;
      const x0 = s.x(span.start);
      const x1 = Math.max(x0 + 2, s.x(span.end ?? this.duration));
      g.globalAlpha = aliveAt(span, at) ? 1 : 0.35;
      g.fillStyle = stateColour(span.state);
      const indent = Math.min(lane.depth * 3, 12);
      g.fillRect(x0, y + 2, x1 - x0, LANE_H - 4);
      if (span.state === "failed" || span.state === "cancelled") {
        g.fillStyle = markerColour(span.state === "failed" ? "error" : "cancel");
        g.fillRect(x1 - 2, y + 1, 2, LANE_H - 2);
      }
      if (x1 - x0 > 40) {
        g.globalAlpha = 1;
        g.fillStyle = "#ffffff";
        g.font = "9px sans-serif";
        g.fillText(span.name, x0 + 3 + indent, y + LANE_H - 3, x1 - x0 - 6);
      }
    }
    g.globalAlpha = 1;

    // The cursor (the moment shown).
    g.fillStyle = this.cursor === null ? themeColour("--vscode-charts-green", "#89d185") : themeColour("--vscode-focusBorder", "#007fd4");
    g.fillRect(Math.round(s.x(at)) - 1, 0, 2, cssH);
  }

  dispose(): void {
    this.stopPlaying();
    if (this.seekTimer) clearTimeout(this.seekTimer);
    this.sizer.disconnect();
    this.root.remove();
    this.scene.style.bottom = "";
  }
}

function spanText(span: TimelineSpan, duration: number): string {
  const end = span.end ?? duration;
  const where = span.file ? `\ncreated at ${span.file.split(/[\\/]/).pop()}:${span.line ?? "?"} (click to open)` : "";
  return `${span.name} \u2014 ${span.state}, ${formatTime(end - span.start)}\n${formatTime(span.start)} \u2192 ${span.end === undefined ? "now" : formatTime(span.end)}${where}`;
}

function stateColour(state: TaskState): string {
  switch (state) {
    case "running":
      return themeColour("--vscode-charts-blue", "#3794ff");
    case "cancelling":
      return themeColour("--vscode-charts-yellow", "#cca700");
    case "done":
      return themeColour("--vscode-testing-iconPassed", "#73c991");
    case "failed":
      return themeColour("--vscode-testing-iconFailed", "#f14c4c");
    case "cancelled":
      return themeColour("--vscode-testing-iconSkipped", "#848484");
  }
}

function markerColour(kind: TimelineMarker["kind"]): string {
  switch (kind) {
    case "error":
      return "#f14c4c";
    case "cancel":
      return "#cca700";
    case "event":
      return "#3794ff";
    case "end":
      return "#888888";
  }
}

/** A tick interval of 1, 2 or 5 × 10^n ms giving about `count` ticks. */
function niceStep(duration: number, count: number): number {
  const raw = Math.max(1, duration / Math.max(1, count));
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
