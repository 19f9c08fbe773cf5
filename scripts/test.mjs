#!/usr/bin/env node
// Runs every `*.test.mjs` under test/ with node's test runner, one file at a time
// (the browser and VS Code tests each own a Chromium; two cores do not fit more).
// Node 20 has no glob support in `node --test`, and a bare `node --test test/` would
// also execute every helper module below test/ as if it were a test.
// Usage: node scripts/test.mjs [substring ...]  — only files whose path contains one of them.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith("-"));

function* testFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "fixtures" && entry.name !== "node_modules") yield* testFiles(path);
    } else if (entry.name.endsWith(".test.mjs")) yield path;
  }
}

const files = [...testFiles(join(root, "test"))]
  .map((f) => relative(root, f))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error(`test: no test files match ${filters.join(", ")}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...passThrough, ...files], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
