/**
 * Feeds a viewer's timeline strip from its session's recording, and takes the
 * strip's seeks: the scene as it was at a moment (rebuilt from the recording's
 * nearest keyframe) replaces the live one in the viewer until the user returns
 * to the present. The program is never paused; only the view is.
 */
import type * as vscode from "vscode";
import type { TimelineMsg, TimelineSpan, ToViewerMessage } from "../../protocol/viewer.js";
import type { Marker, TaskSpan } from "../../recording/timeline.js";
import type { HostSession } from "../sessions/host-session.js";

/** How often a live session's strip is brought up to date. */
const FEED_MS = 500;
/** Spans and markers per message: enough for a Gantt view, small enough to post twice a second. */
export const MAX_SPANS = 1000;
export const MAX_MARKERS = 1000;

/**
 * What the strip shows, from the recording's spans and markers (in spawn order): every span
 * still running, then the last-spawned finished ones, up to MAX_SPANS (the count left out
 * says so). One pass and no sort: it runs twice a second for a session of 100,000 tasks.
 */
export function timelineMessage(spans: readonly TaskSpan[], markers: readonly Marker[], duration: number, live: boolean, cursor: number | null): TimelineMsg {
  let running = 0;
  for (const s of spans) if (s.end === undefined) running++;
  let room = Math.max(0, MAX_SPANS - Math.min(running, MAX_SPANS));
  const keep = new Set<TaskSpan>();
  let liveLeft = MAX_SPANS;
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    if (s.end === undefined) {
      if (liveLeft > 0) {
        keep.add(s);
        liveLeft--;
      }
    } else if (room > 0) {
      keep.add(s);
      room--;
    }
  }
  const kept = spans.filter((s) => keep.has(s));
  return {
    t: "timeline",
    duration,
    live,
    cursor,
    spans: kept.map(toSpan),
    markers: markers.slice(-MAX_MARKERS).map((m) => ({ t: m.t, kind: m.kind, label: m.label, ...(m.task !== undefined ? { task: m.task } : {}) })),
    omitted: spans.length - kept.length,
  };
}

function toSpan(s: TaskSpan): TimelineSpan {
  const span: TimelineSpan = { id: s.id, name: s.name, parent: s.parent, start: s.start, state: s.states[s.states.length - 1]?.[1] ?? "running" };
  if (s.end !== undefined) span.end = s.end;
  if (s.file !== undefined) span.file = s.file;
  if (s.line !== undefined) span.line = s.line;
  if (s.column !== undefined) span.column = s.column;
  return span;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export class TimelineFeed implements vscode.Disposable {
  private session: HostSession | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private cursor: number | null = null;
  private visible = false;

  constructor(private readonly post: (m: ToViewerMessage) => void) {}

  /** The panel shows `session` now (or a static scene: undefined). */
  follow(session: HostSession | undefined): void {
    this.session = session;
    this.cursor = null;
    this.restart();
  }

  /** The page loaded (or was shown again): it starts at the present. */
  pageReady(): void {
    this.visible = true;
    this.cursor = null;
    this.restart();
  }

  pageHidden(): void {
    this.visible = false;
    this.restart();
  }

  /** The strip moved: show the scene at `at` ms, or the present. */
  seek(at: number | null): void {
    const s = this.session;
    if (!s?.recorder) return;
    if (at === null) {
      this.cursor = null;
      s.pipeline.showPresent();
    } else {
      const past = s.sceneAt(at);
      if (!past) return;
      // Past the last record the scene is what that record left: the moment asked for stands.
      const r = s.recorder;
      const end = s.isLive ? r.elapsed : r.end;
      this.cursor = Math.min(Math.max(at, past.at), Math.max(end, past.at));
      const info = s.pipeline.sessionInfo;
      s.pipeline.showPast(past.scene, { state: info.state, title: `${s.label} \u00b7 at ${seconds(this.cursor)}${s.isLive ? " (the program runs on)" : ""}` });
    }
    this.send();
  }

  /** Whether a file a span names belongs to this session (the page may only open those). */
  knowsFile(file: string): boolean {
    for (const t of this.session?.tasks.all() ?? []) if (t.file === file) return true;
    return false;
  }

  private restart(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const s = this.session;
    if (!this.visible || !s?.recorder) return;
    this.send();
    if (s.isLive) {
      this.timer = setInterval(() => {
        this.send();
        // One last message once the run is over (its end marker), then nothing moves.
        if (!s.isLive && this.timer) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      }, FEED_MS);
    }
  }

  private send(): void {
    const r = this.session?.recorder;
    if (!r?.header || !this.visible) return;
    const live = this.session!.isLive;
    this.post(timelineMessage(r.timeline.spans(), r.timeline.markers(), live ? r.elapsed : r.end, live, this.cursor));
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.session = undefined;
  }
}
