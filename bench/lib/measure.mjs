// Shared measuring helpers: medians, percentiles, interleaved A/B runs, child processes.
import { spawn } from "node:child_process";

export const median = (xs) => percentile(xs, 50);

/** Nearest-rank percentile of a list of numbers (NaN for an empty list). */
export function percentile(xs, p) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

/**
 * Runs `ours` and `peer` alternately (A, B, A, B...) `reps` times each, so both see the
 * same background load. Stops early (never under `minReps` pairs) once `budgetMs` is spent.
 * Returns the raw samples of each side.
 */
export async function interleave({ reps, minReps = 3, budgetMs = Infinity, ours, peer, log = () => {} }) {
  const a = [];
  const b = [];
  const t0 = Date.now();
  for (let i = 0; i < reps; i++) {
    a.push(await ours(i));
    b.push(await peer(i));
    log(`  run ${i + 1}/${reps}`);
    if (i + 1 >= minReps && Date.now() - t0 > budgetMs) break;
  }
  return { ours: a, peer: b };
}

/**
 * Runs a command to completion (bounded by timeoutMs: killed after that) and returns its
 * output, exit status and wall time.
 */
export function run(cmd, args, { env = {}, timeoutMs = 120_000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - t0 });
    });
  });
}

/** The last line of a program's stdout that parses as a JSON object (benchmark programs print one). */
export function lastJson(text, what) {
  const lines = text.trim().split("\n").reverse();
  for (const l of lines) {
    try {
      const v = JSON.parse(l);
      if (v && typeof v === "object") return v;
    } catch {}
  }
  throw new Error(`${what}: no JSON result line in its output:\n${text.slice(-2000)}`);
}

/** A finished run that failed: throw with what it printed. */
export function check(r, what) {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code ?? r.signal}\n${(r.stderr || r.stdout).slice(-3000)}`);
  return r;
}

export const round = (x, digits = 3) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/**
 * interleave() for more than two sides: each round runs every side once, in the order given
 * (a, b, c, a, b, c...). Returns the raw samples by side name.
 */
export async function interleaveAll({ reps, minReps = 3, budgetMs = Infinity, sides, log = () => {} }) {
  const out = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  const t0 = Date.now();
  for (let i = 0; i < reps; i++) {
    for (const [k, fn] of Object.entries(sides)) out[k].push(await fn(i));
    log(`  run ${i + 1}/${reps}`);
    if (i + 1 >= minReps && Date.now() - t0 > budgetMs) break;
  }
  return out;
}
