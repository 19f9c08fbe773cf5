// Runs the real `scene-runner` CLI (bin/scene-runner.js, built bundles) as a child process.
import { loadTs } from "./load-ts.mjs";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bin = join(root, "bin", "scene-runner.js");
export const fixture = (...p) => join(root, "test", "fixtures", ...p);
const { fromJsonLine } = await loadTs("src/protocol/jsonl.ts");

/** Starts the CLI; resolves with {code, signal, stdout, stderr, ms}. `onStdout` sees output as it arrives. */
export function runCli(args, { onStdout, cwd = root, env = {} } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
    onStdout?.(stdout, child);
  });
  child.stderr.on("data", (c) => (stderr += c));
  const done = new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - started })),
  );
  done.child = child;
  return done;
}

/** Reads an --events file back: one protocol message per line (typed arrays restored by the product's own codec). */
export function readEvents(path) {
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map(fromJsonLine);
}
