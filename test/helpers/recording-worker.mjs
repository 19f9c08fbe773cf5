// For tests that run the real recording worker (dist/recording-worker.js): its path, built once
// if this checkout has no build yet, and a temporary folder for the test file's recordings.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";

const ROOT = join(import.meta.dirname, "..", "..");
export const WORKER = join(ROOT, "dist", "recording-worker.js");

/** Registers the file's before/after hooks; the returned function gives the folder (from `before` on). */
export function withWorkerAndTempDir(prefix) {
  let dir;
  before(() => {
    if (!existsSync(WORKER)) execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
