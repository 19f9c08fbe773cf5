/**
 * Launches Python scene files: `<python> -m scene_runner <file>`. PYTHONPATH holds python/ (our
 * tracker, scene_runner) and, for a run on our bundled vuer, python/bundled/ too, ahead of the
 * user's own path, so the program's `import vuer` gets our package (nothing to pip-install). On
 * the user's installed vuer (vuer-choice.ts) python/bundled/ is left out, and the tracker is told
 * to watch for the real vuer's server (python/scene_runner/installed_vuer.py). The child side
 * is python/scene_runner/.
 */
import { execFile } from "node:child_process";
import { dirname, delimiter, join } from "node:path";
import { LaunchError, type Launcher, type RunOptions } from "../launch.js";
import { chooseVuer, probeVuer, type VuerChoice } from "./vuer-choice.js";

/** Oldest Python the child supports (python/scene_runner/__init__.py says the same). */
export const MIN_PYTHON: readonly [number, number] = [3, 9];

/** Tells the Python runner which vuer the program gets ("installed": hook the real vuer's server start). */
export const VUER_ENV = "SCENE_RUNNER_VUER";

/** The python/ folder shipped beside dist/ (bundles live in dist/, python/ at the package root). */
export function pythonPackageDir(): string {
  return join(__dirname, "..", "python");
}

/** Where our bundled vuer package lives (python/bundled/vuer), apart from the tracker. */
export function bundledVuerRoot(): string {
  return join(pythonPackageDir(), "bundled");
}

export interface PythonInterpreter {
  command: string;
  version: [number, number, number];
}

const PROBE = "import sys; print('%d.%d.%d' % tuple(sys.version_info[:3]))";
const HOW_TO_FIX = "install Python 3.9 or newer, or point --python / the sceneRunner.pythonPath setting at one";

type Probe = { ok: true; version: [number, number, number] } | { ok: false; missing: boolean; reason: string };

function probe(command: string): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(command, ["-c", PROBE], { timeout: 10_000, windowsHide: true }, (error, stdout, stderr) => {
      const m = /^(\d+)\.(\d+)\.(\d+)\s*$/.exec(String(stdout));
      if (!error && m) return resolve({ ok: true, version: [Number(m[1]), Number(m[2]), Number(m[3])] });
      const code = (error as NodeJS.ErrnoException | null)?.code;
      const firstLine = String(stderr).trim().split("\n")[0] || error?.message.split("\n")[0] || "no version printed";
      resolve({ ok: false, missing: code === "ENOENT" || code === "EACCES", reason: firstLine });
    });
  });
}

const older = (v: readonly number[], min: readonly number[]) => v[0] < min[0] || (v[0] === min[0] && v[1] < min[1]);

// One probe per command for the life of the process: the extension launches many sessions.
const cache = new Map<string, Promise<PythonInterpreter>>();

/**
 * The interpreter to use: `explicit` (the --python flag or the setting) if given,
 * else `python3`, else `python`. Throws LaunchError with one actionable line.
 */
export function findPython(explicit?: string): Promise<PythonInterpreter> {
  const key = explicit ?? "";
  let found = cache.get(key);
  if (!found) {
    found = discover(explicit);
    cache.set(key, found);
    found.catch(() => cache.delete(key)); // a failure is retried next time (the user may fix it)
  }
  return found;
}

async function discover(explicit?: string): Promise<PythonInterpreter> {
  const candidates = explicit ? [explicit] : ["python3", "python"];
  const problems: string[] = [];
  for (const command of candidates) {
    const r = await probe(command);
    if (r.ok) {
      if (older(r.version, MIN_PYTHON)) {
        throw new LaunchError(`${command} is Python ${r.version.join(".")}, but Scene Runner needs Python ${MIN_PYTHON.join(".")} or newer: ${HOW_TO_FIX}`);
      }
      return { command, version: r.version };
    }
    problems.push(r.missing ? `${command} not found` : `${command} failed (${r.reason})`);
  }
  const what = explicit ? `the Python interpreter ${JSON.stringify(explicit)} does not run (${problems[0]})` : `no Python interpreter found (${problems.join(", ")})`;
  throw new LaunchError(`${what}: ${HOW_TO_FIX}`);
}

/** PYTHONPATH for a run: ours ahead of the user's own (the host's PYTHONPATH). */
function pythonPathFor(use: VuerChoice["use"]): string {
  const ours = use === "bundled" ? [bundledVuerRoot(), pythonPackageDir()] : [pythonPackageDir()];
  const existing = process.env.PYTHONPATH;
  return [...ours, ...(existing ? [existing] : [])].join(delimiter);
}

export interface PythonPlan {
  python: PythonInterpreter;
  vuer: VuerChoice;
}

/**
 * The interpreter and the vuer a run of `file` gets (`options.vuer`, default auto). Throws
 * LaunchError (NoInstalledVuer among them) with one actionable line.
 */
export async function planPythonRun(file: string, options: RunOptions & { cwd?: string }): Promise<PythonPlan> {
  const python = await findPython(options.python);
  const vuer = await chooseVuer(options.vuer ?? "auto", python.command, () =>
    probeVuer({ python: python.command, cwd: options.cwd ?? process.cwd(), programDir: dirname(file), pythonPath: pythonPathFor("installed"), bundledRoot: bundledVuerRoot() }),
  );
  return { python, vuer };
}

export const pythonLauncher: Launcher = async (file, options) => {
  // The supervisor hands its SessionOptions, whose cwd is the program's working directory.
  const { python, vuer } = await planPythonRun(file, options as RunOptions & { cwd?: string });
  return {
    command: python.command,
    args: ["-m", "scene_runner", file],
    env: {
      PYTHONPATH: pythonPathFor(vuer.use),
      [VUER_ENV]: vuer.use,
      // The program's text goes through pipes: make it UTF-8 whatever the locale says.
      PYTHONIOENCODING: process.env.PYTHONIOENCODING ?? "utf-8",
    },
  };
};
