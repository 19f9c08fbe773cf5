/**
 * The timeline's task lanes as pure layout: one lane per task, in tree order
 * (a task right under its spawner, indented by depth, as in the Tasks view), and
 * the mapping between time and x. Kept apart from the drawing so the rules are
 * tested without a page.
 */
import type { TimelineSpan } from "../../src/protocol/viewer.js";

export interface Lane {
  span: TimelineSpan;
  depth: number;
}

/** Depth-first, children in start order; a span whose parent is unknown is a root. */
export function layoutLanes(spans: readonly TimelineSpan[]): Lane[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const children = new Map<string | null, TimelineSpan[]>();
  for (const s of spans) {
    const parent = s.parent !== null && byId.has(s.parent) ? s.parent : null;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  for (const list of children.values()) list.sort((a, b) => a.start - b.start);
  const out: Lane[] = [];
  // An explicit stack: a chain of 10,000 nested tasks must not overflow the call stack.
  const stack: Lane[] = (children.get(null) ?? []).map((span) => ({ span, depth: 0 })).reverse();
  const seen = new Set<string>();
  while (stack.length) {
    const lane = stack.pop()!;
    if (seen.has(lane.span.id)) continue; // a parent cycle in bad input draws each task once
    seen.add(lane.span.id);
    out.push(lane);
    const kids = children.get(lane.span.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i], depth: lane.depth + 1 });
  }
  return out;
}

/** Time (ms since the session started) ↔ x on a strip of `width` pixels showing [from, to]. */
export class TimeScale {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly width: number,
  ) {}

  x(t: number): number {
    const span = Math.max(1e-9, this.to - this.from);
    return ((t - this.from) / span) * this.width;
  }

  t(x: number): number {
    const span = Math.max(1e-9, this.to - this.from);
    return Math.min(this.to, Math.max(this.from, this.from + (x / Math.max(1, this.width)) * span));
  }
}

/** The lane under a point, if any: lanes are `laneHeight` tall below `top`, scrolled by `scroll` lanes. */
export function laneAt(lanes: readonly Lane[], y: number, top: number, laneHeight: number, scroll: number): Lane | undefined {
  if (y < top) return undefined;
  return lanes[Math.floor((y - top) / laneHeight) + scroll];
}

/** Tasks alive at `t`: spawned by then and not yet ended. */
export function aliveAt(span: TimelineSpan, t: number): boolean {
  return span.start <= t && (span.end === undefined || span.end > t);
}

/** "850 ms", "12.4 s", "3:05.2": short enough for a tooltip and the cursor's label. */
export function formatTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}:${((ms % 60_000) / 1000).toFixed(1).padStart(4, "0")}`;
}
