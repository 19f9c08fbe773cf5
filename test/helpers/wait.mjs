// Waiting on a condition in the real-VS-Code and browser tests: poll `fn` until it returns
// something truthy (returned), or fail naming what was awaited and the last answer (or error).
// No timing assertions: the timeout only bounds how long a broken run hangs.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(what, fn, { timeout = 60_000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(interval);
  }
}
