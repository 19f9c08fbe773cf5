// A manual clock for the scene pipeline's timers (src/scene/pipeline.ts PipelineTimers):
// nothing runs until `tick()`, which runs what is due, like one frame passing.

export function manualTimers() {
  let pending = [];
  return {
    timers: {
      schedule(fn) {
        const entry = { fn, live: true };
        pending.push(entry);
        return () => (entry.live = false);
      },
    },
    tick() {
      const due = pending;
      pending = [];
      for (const e of due) if (e.live) e.fn();
    },
    /** Timers scheduled and not cancelled. */
    get scheduled() {
      return pending.filter((e) => e.live).length;
    },
  };
}
