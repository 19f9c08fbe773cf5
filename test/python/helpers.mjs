// Shared bits of the Python CLI tests: fixture paths, line lookup, interpreter discovery.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, readEvents, runCli } from "../helpers/cli.mjs";

export { readEvents, runCli };
export const py = (name) => fixture("python", name);

/** 1-based line of the first line containing `text` in a fixture: expectations survive edits. */
export function lineOf(name, text) {
  const i = readFileSync(py(name), "utf8").split("\n").findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${name} has no line containing ${JSON.stringify(text)}`);
  return i + 1;
}

export function tmp(prefix = "sr-py-") {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs the CLI with --events to a temp file; resolves with the CLI result plus `events`. */
export async function runWithEvents(name, extraArgs = [], options = {}) {
  const eventsPath = join(tmp(), "events.jsonl");
  const result = await runCli(["run", py(name), "--events", eventsPath, ...extraArgs], options);
  return { ...result, events: readEvents(eventsPath) };
}

export const tasks = (events) => events.filter((m) => m.etype === "TASK_SPAWN").map((m) => m.task);
export const states = (events) =>
  Object.fromEntries(events.filter((m) => m.etype === "TASK_STATE").map((m) => [m.task.id, m.task.state]));
export const taskNamed = (events, name) => {
  const found = tasks(events).filter((t) => t.name === name);
  if (found.length !== 1) throw new Error(`expected one task named ${name}, found ${found.length}`);
  return found[0];
};

/** Version of an interpreter as [major, minor], or null if it does not run. */
export function pythonVersion(exe) {
  try {
    const out = execFileSync(exe, ["-c", "import sys; print(*sys.version_info[:2])"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.trim().split(" ").map(Number);
  } catch {
    return null;
  }
}

export function hasModule(exe, module) {
  try {
    execFileSync(exe, ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Other installed CPythons (pyenv layout), one per minor version: for the version matrix. */
export function otherPythons() {
  const root = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const dir = join(root, "versions");
  if (!existsSync(dir)) return [];
  const byMinor = new Map();
  for (const name of readdirSync(dir).sort()) {
    const exe = join(dir, name, "bin", "python3");
    const v = existsSync(exe) && pythonVersion(exe);
    if (v && v[0] === 3) byMinor.set(v[1], { exe, version: v });
  }
  return [...byMinor.values()].sort((a, b) => a.version[1] - b.version[1]);
}
