/**
 * Timers for any delay: Node's setTimeout takes at most 2^31-1 ms (about 24.8 days) and
 * fires after 1 ms past that (with a TimeoutOverflowWarning). Longer delays are chained.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  const due = Date.now() + Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    if (left <= 0) return fn();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  timer = setTimeout(arm, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  return { cancel: () => clearTimeout(timer) };
}

/** A promise that resolves after `ms`, for any `ms` a timer can chain to. */
export function sleepLong(ms: number): Promise<void> {
  return new Promise((r) => setLongTimeout(r, ms));
}
