/**
 * Feeds a viewer's timeline strip from its session's recording, and takes the
 * strip's seeks: the scene as it was at a moment (rebuilt from the recording's
 * nearest keyframe) replaces the live one in the viewer until the user returns
 * to the present. The program is never paused; only the view is.
 */
import type * as vscode from "vscode";
import type { TimelineMsg, TimelineSpan, ToViewerMessage } from "../../protocol/viewer.js";
import type { Marker, TaskSpan } from "../../recording/timeline.js";
import type { ViewerFeed } from "../../scene/viewer-feed.js";
import type { HostSession } from "../sessions/host-session.js";
import { scrubbedRuns, type ScrubbedRuns } from "../tasks/past-tasks.js";

/** How often a live session's strip is brought up to date. */
const FEED_MS = 500;
/**
 * How often the Tasks view follows a drag (or a playing strip): rebuilding a run's past tasks
 * (and redrawing its rows) for every frame of a drag would only churn.
 */
const TASKS_SETTLE_MS = 150;
/** Spans and markers per message: enough for a Gantt view, small enough to post twice a second. */
export const MAX_SPANS = 1000;
export const MAX_MARKERS = 1000;

/**
 * What the strip shows, from the recording's spans and markers (in spawn order): every span
 * still running, then the last-spawned finished ones, up to MAX_SPANS (the count left out
 * says so). One pass and no sort: it runs twice a second for a session of 100,000 tasks.
 */
export function timelineMessage(spans: readonly TaskSpan[], markers: readonly Marker[], duration: number, live: boolean, cursor: number | null, liveEpoch = 0): TimelineMsg {
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
    liveEpoch,
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

/** Where a feed shows the past: the session's pipeline (the panel's feed) or one browser tab's feed. */
type PastTarget = Pick<ViewerFeed, "showPast" | "showPresent">;

export class TimelineFeed implements vscode.Disposable {
  private session: HostSession | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private cursor: number | null = null;
  private visible = false;
  private tasksTimer: ReturnType<typeof setTimeout> | undefined;
  /** Times the host brought the viewer back to the present (TimelineMsg.liveEpoch). */
  private liveEpoch = 0;

  constructor(
    private readonly post: (m: ToViewerMessage) => void,
    /**
     * Where the Tasks view learns that this viewer shows the past (one list per window); null
     * for a browser tab: the Tasks view's scrubbed time follows the panel only.
     */
    private readonly scrubs: ScrubbedRuns<HostSession> | null = scrubbedRuns,
    /** The one viewer whose feed shows the past (default: the panel's, the pipeline's own). */
    private readonly target?: PastTarget,
  ) {}

  /** The panel shows `session` now (or a static scene: undefined). */
  follow(session: HostSession | undefined): void {
    if (this.session !== session) this.present();
    this.session = session;
    this.cursor = null;
    this.restart();
  }

  /** The page loaded (or was shown again): it starts at the present. */
  pageReady(): void {
    this.visible = true;
    this.cursor = null;
    this.present();
    this.restart();
  }

  pageHidden(): void {
    this.visible = false;
    this.restart();
  }

  /**
   * The host returns the viewer to the present on its own (the Tasks view's Back to Live): the
   * strip is told to stop playing, and its seeks sent before it heard are ignored.
   */
  backToLive(): void {
    this.liveEpoch++;
    this.seek(null);
  }

  /** The strip moved: show the scene at `at` ms, or the present; `epoch` is the liveEpoch it had seen. */
  seek(at: number | null, epoch?: number): void {
    const s = this.session;
    if (!s?.recorder) return;
    const view = this.target ?? s.pipeline;
    if (at === null) {
      this.cursor = null;
      view.showPresent();
      this.present();
    } else {
      // Sent before the strip heard of a Back to Live: the user is already back in the present.
      if (epoch !== undefined && epoch < this.liveEpoch) return;
      const past = s.sceneAt(at);
      if (!past) return;
      // Past the last record the scene is what that record left: the moment asked for stands.
      const r = s.recorder;
      const end = s.isLive ? r.elapsed : r.end;
      this.cursor = Math.min(Math.max(at, past.at), Math.max(end, past.at));
      const info = s.pipeline.sessionInfo;
      view.showPast(past.scene, { state: info.state, title: `${s.label} \u00b7 at ${seconds(this.cursor)}${s.isLive ? " (the program runs on)" : ""}` });
      this.pastTasksSoon(s);
    }
    this.send();
  }

  /**
   * The Tasks view shows the session's tasks at the cursor a moment later (at the cursor of
   * then: a drag or a playing strip moves it on meanwhile, and is followed that often).
   */
  private pastTasksSoon(s: HostSession): void {
    const scrubs = this.scrubs;
    if (this.tasksTimer || !scrubs) return;
    this.tasksTimer = setTimeout(() => {
      this.tasksTimer = undefined;
      const r = s.recorder;
      if (this.session !== s || this.cursor === null || !r?.header) return;
      scrubs.show(s, this.cursor, r.timeline.at(this.cursor), r.header.origin, () => this.backToLive());
    }, TASKS_SETTLE_MS);
  }

  /** The Tasks view shows the session's present (a pending past view is dropped). */
  private present(): void {
    if (this.tasksTimer) clearTimeout(this.tasksTimer);
    this.tasksTimer = undefined;
    if (this.session) this.scrubs?.clear(this.session);
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
    this.post(timelineMessage(r.timeline.spans(), r.timeline.markers(), live ? r.elapsed : r.end, live, this.cursor, this.liveEpoch));
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.present();
    this.session = undefined;
  }
}

/**
 * A browser tab's own timeline over `session`'s recording: the same posts as the panel's, but
 * its seeks show the past on that tab's `feed` only, and the Tasks view is not told (its
 * scrubbed time follows the panel only). Dispose it with the tab.
 */
export function tabTimeline(session: HostSession, feed: ViewerFeed, post: (m: ToViewerMessage) => void): TimelineFeed {
  const timeline = new TimelineFeed(post, null, feed);
  timeline.follow(session);
  return timeline;
}
