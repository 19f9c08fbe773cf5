#!/usr/bin/env node
// CPython's own asyncio test suite, run twice: under plain python3 and under our Python
// runner (scripts/asyncio-suite.py run by `scene-runner run`, so the runner's tracker,
// channel and stop handling are active for every loop the tests make). Prints both
// counts and every test whose outcome differs. Not part of `npm test`: it takes minutes.
// See docs/asyncio-suite.md.
//
// Usage: node scripts/asyncio-suite.mjs [--python <exe>] [--only plain|runner] [--keep] [regrtest args...]
//   regrtest args default to `test_asyncio`; e.g. `test_asyncio.test_tasks -m '*destroyed*'`.
// Exit status: 0 when both runs agree test by test, 1 when they differ, 2 on bad usage.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const argv = process.argv.slice(2);
let python = process.env.PYTHON || "python3";
let only;
let keep = false;
const regrtest = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--python") python = argv[++i];
  else if (a === "--only") only = argv[++i];
  else if (a === "--keep") keep = true;
  else regrtest.push(a);
}
if (!python || (only && only !== "plain" && only !== "runner")) {
  console.error("usage: node scripts/asyncio-suite.mjs [--python <exe>] [--only plain|runner] [--keep] [regrtest args...]");
  process.exit(2);
}
if (!regrtest.some((a) => !a.startsWith("-"))) regrtest.unshift("test_asyncio");

const probe = spawnSync(python, ["-c", "import sys, test.libregrtest; print(sys.version.split()[0])"], { encoding: "utf8" });
if (probe.status !== 0) {
  console.error(`asyncio-suite: ${python} cannot import test.libregrtest (its \`test\` package is not installed; on Debian: libpython3.X-testsuite)\n${probe.stderr}`);
  process.exit(2);
}
const version = probe.stdout.trim();
if (!existsSync(join(root, "dist", "cli.js"))) {
  console.error("asyncio-suite: dist/cli.js is missing: run `node scripts/build.mjs` first (npm run test:asyncio-suite does)");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "asyncio-suite-"));
const LIMIT_MS = 30 * 60_000; // a hung run must not hang the script

function run(label, command, args, env) {
  const xml = join(work, `${label}.xml`);
  const log = join(work, `${label}.log`);
  const cwd = mkdtempSync(join(work, `${label}-cwd-`)); // regrtest writes its temp dirs here
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, [...args(xml)], { cwd, env: { ...process.env, ...env(xml) }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), LIMIT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      writeFileSync(log, out);
      const seconds = Math.round((performance.now() - started) / 1000);
      resolve({ label, code, signal, seconds, log, out, results: existsSync(xml) ? parseJunit(readFileSync(xml, "utf8")) : new Map() });
    });
  });
}

/** regrtest's JUnit XML -> Map(test id -> "passed" | "failure" | "error" | "skipped"). */
function parseJunit(xml) {
  const results = new Map();
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /\bname="([^"]*)"/.exec(m[1])?.[1] ?? "?";
    const body = m[3] ?? "";
    const outcome = /<error\b/.test(body) ? "error" : /<failure\b/.test(body) ? "failure" : /<skipped\b/.test(body) ? "skipped" : "passed";
    results.set(decode(name), outcome);
  }
  return results;
}
const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

function counts(r) {
  const c = { run: r.results.size, failures: 0, errors: 0, skipped: 0 };
  for (const o of r.results.values()) {
    if (o === "failure") c.failures++;
    else if (o === "error") c.errors++;
    else if (o === "skipped") c.skipped++;
  }
  return c;
}

/** regrtest's own verdict lines ("Result: SUCCESS", "2 tests failed: ..."), for what the XML cannot say. */
function verdict(out) {
  const lines = out.split("\n");
  const start = lines.findLastIndex((l) => /^== Tests result/.test(l));
  const end = lines.findLastIndex((l) => /^Result: /.test(l));
  const picked = start >= 0 && end >= start ? lines.slice(start, end + 1) : lines.slice(-15);
  return picked.filter((l) => l.trim()).map((l) => `    ${l}`).join("\n");
}

/** What the runner's tracker saw: proof that it was active for the tests' loops. */
function reported(path) {
  if (!existsSync(path)) return "nothing (no events file)";
  const count = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const etype = /^\{"etype":"([A-Z_]+)"/.exec(line)?.[1];
    if (etype === "TASK_STATE") {
      const state = /"state":"(\w+)"/.exec(line)?.[1];
      count[`TASK_STATE ${state}`] = (count[`TASK_STATE ${state}`] ?? 0) + 1;
    } else if (etype) count[etype] = (count[etype] ?? 0) + 1;
  }
  return Object.entries(count).map(([k, v]) => `${v} ${k}`).join(", ");
}

const runs = [];
if (only !== "runner") {
  runs.push(await run("plain", python, (xml) => ["-m", "test", ...regrtest, "--junit-xml", xml], () => ({})));
}
if (only !== "plain") {
  runs.push(
    await run(
      "runner",
      process.execPath,
      () => [join(root, "bin", "scene-runner.js"), "run", join(root, "scripts", "asyncio-suite.py"), "--python", python, "--events", join(work, "runner-events.jsonl")],
      (xml) => ({ SCENE_RUNNER_SUITE_ARGS: JSON.stringify([...regrtest, "--junit-xml", xml]) }),
    ),
  );
}

console.log(`CPython ${version} (${python}): python -m test ${regrtest.join(" ")}`);
for (const r of runs) {
  const c = counts(r);
  const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  console.log(`${r.label.padEnd(6)}  run=${c.run} failures=${c.failures} errors=${c.errors} skipped=${c.skipped}  (${how}, ${r.seconds} s, log ${r.log})`);
  console.log(verdict(r.out));
  if (r.label === "runner") console.log(`    the runner reported ${reported(join(work, "runner-events.jsonl"))} over its channel`);
}

let differ = 0;
if (runs.length === 2) {
  const [plain, runner] = runs;
  const ids = [...new Set([...plain.results.keys(), ...runner.results.keys()])].sort();
  const diffs = ids.filter((id) => plain.results.get(id) !== runner.results.get(id));
  differ = diffs.length;
  console.log(diffs.length ? `${diffs.length} tests differ (plain -> runner):` : "no test differs between plain and runner");
  for (const id of diffs) console.log(`  ${id}: ${plain.results.get(id) ?? "not run"} -> ${runner.results.get(id) ?? "not run"}`);
  if (plain.code !== runner.code) {
    console.log(`exit statuses differ: plain ${plain.code ?? plain.signal}, runner ${runner.code ?? runner.signal}`);
    differ ||= 1;
  }
}
if (!keep && !differ && runs.every((r) => r.code === 0)) rmSync(work, { recursive: true, force: true });
else console.log(`logs and JUnit XML kept in ${work}`);
process.exit(differ ? 1 : runs.every((r) => r.code === 0) ? 0 : 1);
