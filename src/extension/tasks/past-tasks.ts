/**
 * The Tasks view "at the scrubbed time": while a run's viewer shows a past moment (its
 * timeline strip dragged back), the view shows that run's tasks as they were then — tasks
 * not yet spawned left out, each in its state then, elapsed times frozen at that moment —
 * until the viewer goes back to the present. This file is the model of it, pure (no vscode):
 * which runs are scrubbed, to when, and their tasks then as a TaskModel the tree reads as it
 * reads a live one. The viewer's timeline feed sets it; the tree draws it.
 */
import type { TaskAtTime } from "../../recording/timeline.js";
import type { HostSession } from "../sessions/host-session.js";
import { TaskModel } from "../sessions/task-model.js";

/** One run seen at a past moment. */
export interface PastView {
  /** The moment, in ms since the run's recording began. */
  readonly at: number;
  /** Its tasks as they were then. */
  readonly tasks: TaskModel;
  /** The clock of that moment (epoch ms): what elapsed times are read against. */
  readonly now: number;
}

/**
 * A TaskModel of the tasks as they were at one moment (TaskTimeline.at: spawned by then, in
 * spawn order, each in its state then), on the wall clock: a recording's t = 0 is `origin`.
 */
export function pastTaskModel(tasks: readonly TaskAtTime[], origin: number): TaskModel {
  const model = new TaskModel();
  for (const t of tasks) {
    const startedAt = origin + t.start;
    // Spawn order puts a parent before its children; a parent the recording no longer holds
    // makes its child a root, as in a live model.
    model.spawn(t, startedAt);
    if (t.state !== "running") model.setState(t.id, t.state, startedAt + t.elapsed, t.error);
  }
  return model;
}

/** "at 12.3 s (scrubbed)": what the run's row and the view's description say. */
export function scrubbedLabel(at: number): string {
  return `at ${(Math.max(0, at) / 1000).toFixed(1)} s (scrubbed)`;
}

interface Entry {
  view: PastView;
  backToLive: () => void;
}

/**
 * Which runs are shown at a past moment. Keyed by the run (its HostSession); whoever scrubbed
 * it says how to go back to the present (the viewer's own Live), so the tree's "Back to Live"
 * does exactly what that button does.
 */
export class ScrubbedRuns<Run> {
  private readonly runs = new Map<Run, Entry>();
  private readonly listeners = new Set<(run: Run) => void>();

  /** `run` is shown at `at` (ms into its recording), its tasks then in `tasks`, t = 0 at `origin` (epoch ms). */
  show(run: Run, at: number, tasks: readonly TaskAtTime[], origin: number, backToLive: () => void): void {
    this.runs.set(run, { view: { at, tasks: pastTaskModel(tasks, origin), now: origin + at }, backToLive });
    this.fire(run);
  }

  /** `run` shows the present again (or is gone). */
  clear(run: Run): void {
    if (this.runs.delete(run)) this.fire(run);
  }

  get(run: Run): PastView | undefined {
    return this.runs.get(run)?.view;
  }

  /** Runs shown in the past now. */
  all(): Array<[Run, PastView]> {
    return [...this.runs].map(([run, e]) => [run, e.view]);
  }

  /** Asks whoever scrubbed `run` to show the present; false if it was not scrubbed. */
  backToLive(run: Run): boolean {
    const e = this.runs.get(run);
    if (!e) return false;
    e.backToLive();
    // Whatever the viewer did, the tree must not stay in the past.
    this.clear(run);
    return true;
  }

  /** Called with the run whenever it is scrubbed, moved, or back in the present. */
  onDidChange(listener: (run: Run) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(run: Run): void {
    for (const l of [...this.listeners]) l(run);
  }
}

/** The window's one list: the timeline feeds of run panels fill it, the Tasks view reads it. */
export const scrubbedRuns = new ScrubbedRuns<HostSession>();
