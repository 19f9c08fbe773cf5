// Paired programs: each test/conformance/NAME.ts (our runtime) has a NAME.py doing the same
// thing (plain asyncio, or the bundled vuer API). Both run through the real CLI
// (`scene-runner run`), and a plain-asyncio .py also under plain python3, the reference:
// all must print the same stdout and end with the same exit status. No pair depends on a
// clock margin (events, zero sleeps, or deadlines far apart).
// A .py can say `# conformance: requires python 3.12`: python3 runs it when it is new enough,
// else the newest interpreter found (pyenv's included), else the pair is skipped.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../helpers/cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** Interpreters on this machine, newest first: [{ exe, version: [major, minor] }]. */
function interpreters() {
  const names = ["python3.14", "python3.13", "python3.12", "python3.11", "python3"];
  const pyenv = join(homedir(), ".pyenv", "versions");
  let extra = [];
  try {
    extra = readdirSync(pyenv).filter((v) => /^3\.\d+/.test(v)).map((v) => join(pyenv, v, "bin", "python3"));
  } catch {}
  const found = [];
  for (const exe of [...names, ...extra]) {
    const r = spawnSync(exe, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], { encoding: "utf8" });
    if (r.status !== 0) continue;
    const version = r.stdout.trim().split(" ").map(Number);
    if (!found.some((f) => f.version.join(".") === version.join("."))) found.push({ exe, version });
  }
  return found.sort((a, b) => b.version[0] - a.version[0] || b.version[1] - a.version[1]);
}
const pythons = interpreters();
const atLeast = (v, [maj, min]) => v[0] > maj || (v[0] === maj && v[1] >= min);

function runPython(exe, file) {
  return new Promise((resolve) => {
    const child = spawn(exe, [file], { cwd: here, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const pairs = readdirSync(here).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();

test("every pair has both halves", () => {
  for (const name of pairs) assert.ok(readdirSync(here).includes(`${name}.py`), `${name}.py is missing`);
  assert.ok(pairs.length >= 12);
});

for (const name of pairs) {
  const ts = join(here, `${name}.ts`);
  const py = join(here, `${name}.py`);
  const source = readFileSync(py, "utf8");
  const need = /conformance: requires python (\d+)\.(\d+)/.exec(source);
  const minimum = need ? [Number(need[1]), Number(need[2])] : [3, 11];
  // The machine's own python3 when it is new enough, else the newest that is.
  const python = pythons.find((p) => p.exe === "python3" && atLeast(p.version, minimum)) ?? pythons.find((p) => atLeast(p.version, minimum));
  const plainAsyncio = !/^\s*(from|import) vuer\b/m.test(source);
  test(`${name}: TypeScript and Python print the same trace`, { skip: python ? false : `needs Python ${minimum.join(".")}` }, async () => {
    const [ours, theirs, reference] = await Promise.all([
      runCli(["run", ts]),
      runCli(["run", py, "--python", python.exe]),
      plainAsyncio ? runPython(python.exe, py) : undefined,
    ]);
    const what = (r) => `exit ${r.code}\n${r.stdout}\n--- stderr\n${r.stderr}`;
    if (reference) {
      assert.equal(ours.stdout, reference.stdout, `TypeScript vs plain python3\n${what(ours)}`);
      assert.equal(ours.code, reference.code, `TypeScript vs plain python3 exit status\n${what(ours)}\n${what(reference)}`);
    }
    assert.equal(ours.stdout, theirs.stdout, `TypeScript vs Python under the runner\n${what(ours)}\n${what(theirs)}`);
    assert.equal(ours.code, theirs.code, `exit statuses\n${what(ours)}\n${what(theirs)}`);
    assert.ok(ours.stdout.length > 0);
  });
}
