/** Trailing-edge throttle: at most one call per `ms`, and the last call always happens. */
export interface Throttled {
  (): void;
  flush(): void;
  cancel(): void;
}

export function throttle(fn: () => void, ms: number): Throttled {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = performance.now();
    fn();
  };
  const t = (() => {
    if (timer !== undefined) return;
    const wait = last + ms - performance.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  t.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  t.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return t;
}
