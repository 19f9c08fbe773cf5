/**
 * Which vuer a Python run uses: our bundled package (python/bundled/vuer, which sends the scene
 * over the runner pipe) or the user's installed vuer (vuer-ai's, whose own server the program
 * starts; the host then connects to it as a vuer client). `sceneRunner.vuer` / `--vuer`:
 * `bundled`, `installed`, or `auto` (installed when the interpreter can import a real vuer).
 *
 * Whether a real vuer is importable is asked of the interpreter itself
 * (python/scene_runner/probe_vuer.py), with the path the program would get, once per
 * interpreter (its resolved file and modification time), folders and PYTHONPATH, and kept
 * while none of the folders the probe searched has changed (a `pip install vuer` or an
 * uninstall changes site-packages): asking costs a Python start and, for a yes, vuer's imports.
 */
import { execFile } from "node:child_process";
import { realpathSync, statSync } from "node:fs";
import { LaunchError } from "../launch.js";

export const VUER_MODES = ["bundled", "installed", "auto"] as const;
export type VuerMode = (typeof VUER_MODES)[number];

export type VuerProbe = { ok: true; path: string; version?: string } | { ok: false; reason: string };

/** What a run uses, and the words for the run header. */
export type VuerChoice = { use: "bundled"; why: string } | { use: "installed"; path: string; version?: string; why: string };

/** The user asked for `installed` and there is none to use: the run does not start. */
export class NoInstalledVuer extends LaunchError {
  override name = "NoInstalledVuer";
}

export function isVuerMode(x: unknown): x is VuerMode {
  return typeof x === "string" && (VUER_MODES as readonly string[]).includes(x);
}

/** "vuer 0.1.6 installed at /…/site-packages/vuer", or without the version when none is known. */
export function describeInstalled(p: { path: string; version?: string }): string {
  return `vuer ${p.version ? `${p.version} ` : ""}installed at ${p.path}`;
}

/**
 * The decision, pure. `probe` is asked only when the mode needs it (not for `bundled`).
 * Throws NoInstalledVuer (one line: what was asked, why not, what to do) for `installed` without one.
 */
export async function chooseVuer(mode: VuerMode, python: string, probe: () => Promise<VuerProbe>): Promise<VuerChoice> {
  if (mode === "bundled") return { use: "bundled", why: "bundled (asked for)" };
  const p = await probe();
  if (p.ok) return { use: "installed", path: p.path, ...(p.version ? { version: p.version } : {}), why: `${describeInstalled(p)} (${mode === "auto" ? "auto: importable" : "asked for"})` };
  if (mode === "installed") {
    throw new NoInstalledVuer(
      `the installed vuer was asked for, but ${python} cannot use one: ${p.reason}; install vuer for that interpreter (${python} -m pip install vuer), pick another interpreter, or use the bundled vuer (sceneRunner.vuer or --vuer: bundled or auto)`,
    );
  }
  return { use: "bundled", why: `bundled (auto: ${python}: ${p.reason})` };
}

export interface ProbeRequest {
  python: string;
  /** The program's working directory (relative PYTHONPATH entries resolve against it). */
  cwd: string;
  /** The program file's folder: first on its sys.path, as under `python file.py` (a local `vuer/` there is what it imports). */
  programDir: string;
  /** The PYTHONPATH the program would get on installed vuer (our tracker, the user's own). */
  pythonPath: string;
  /** Our bundled vuer's folder: a vuer found there is not a real one. */
  bundledRoot: string;
  timeoutMs?: number;
}

/** Long enough for a cold `import vuer.server` (aiohttp, numpy...) on a loaded machine. */
export const PROBE_TIMEOUT_MS = 30_000;

/** A probe's answer and the folders it searched, with their modification times then. */
interface Kept {
  answer: Promise<VuerProbe>;
  stamps?: Array<[string, number]>;
}
const cache = new Map<string, Kept>();

const mtime = (dir: string): number => {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return -1;
  }
};

/** The interpreter's identity for the cache: its resolved file and when it changed (a reinstall probes again). */
function interpreterKey(python: string): string {
  try {
    const real = realpathSync(python);
    return `${real}@${statSync(real).mtimeMs}`;
  } catch {
    return python; // a bare command name (python3): found on PATH by execFile
  }
}

/** Asks the interpreter, or answers as it did while the folders it searched are unchanged. */
export function probeVuer(r: ProbeRequest): Promise<VuerProbe> {
  const key = [interpreterKey(r.python), r.cwd, r.programDir, r.pythonPath].join("\0");
  const kept = cache.get(key);
  // Still being asked (no stamps yet), or asked and nothing it searched has changed since.
  if (kept && (!kept.stamps || kept.stamps.every(([dir, t]) => mtime(dir) === t))) return kept.answer;
  const entry: Kept = { answer: runProbe(r).then(({ searched, answer }) => {
    // Without the folders (no answer at all) it is asked again next time.
    if (searched) entry.stamps = searched.map((dir) => [dir, mtime(dir)]);
    else if (cache.get(key) === entry) cache.delete(key);
    return answer;
  }) };
  cache.set(key, entry);
  return entry.answer;
}

function runProbe(r: ProbeRequest): Promise<{ answer: VuerProbe; searched?: string[] }> {
  const timeout = r.timeoutMs ?? PROBE_TIMEOUT_MS;
  return new Promise((resolve) => {
    execFile(
      r.python,
      ["-m", "scene_runner.probe_vuer", r.bundledRoot, r.programDir],
      { cwd: r.cwd, timeout, windowsHide: true, env: { ...process.env, PYTHONPATH: r.pythonPath } },
      (error, stdout, stderr) => {
        const last = String(stdout).trim().split("\n").pop() ?? "";
        try {
          const parsed = JSON.parse(last) as unknown;
          if (isProbe(parsed)) {
            const { searched, ...answer } = parsed as VuerProbe & { searched?: unknown };
            const dirs = Array.isArray(searched) && searched.every((d) => typeof d === "string") ? (searched as string[]) : undefined;
            return resolve({ answer: answer as VuerProbe, searched: dirs });
          }
        } catch {
          // not the probe's answer: said below
        }
        if (error && (error as { killed?: boolean }).killed) return resolve({ answer: { ok: false, reason: `the vuer check did not answer within ${timeout / 1000} s` } });
        const why = String(stderr).trim().split("\n").pop() || error?.message.split("\n")[0] || "no answer";
        resolve({ answer: { ok: false, reason: `the vuer check did not run (${why})` } });
      },
    );
  });
}

function isProbe(x: unknown): x is VuerProbe {
  if (typeof x !== "object" || x === null) return false;
  const p = x as Record<string, unknown>;
  if (p.ok === true) return typeof p.path === "string" && (p.version === undefined || typeof p.version === "string");
  return p.ok === false && typeof p.reason === "string";
}

/**
 * The address a client on this machine connects to for a VUER_SERVING report: a wildcard bind
 * (0.0.0.0, ::) is reached on loopback; an IPv6 address goes in brackets.
 */
export function servingUrl(m: { host: string; port: number; tls: boolean }): string {
  const host = m.host === "0.0.0.0" || m.host === "" ? "127.0.0.1" : m.host === "::" ? "::1" : m.host;
  return `${m.tls ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${m.port}`;
}
