#!/usr/bin/env node
// vuer's own documentation programs (the docs/ of vuer-ai/vuer: components, guides, tutorials,
// examples), each snapshotted headless: how many run (exit 0) and how many are drawn without
// a placeholder or a failed load (no viewer warning). Not part of npm test: it needs a fetched
// mirror of vuer-ai/vuer (the workplace's `fetch github:vuer-ai/vuer`, or VUER_MIRROR=<git dir>).
//
//   node scripts/vuer-docs-corpus.mjs [--only <substring>] [--out <folder for the PNGs>]
//
// The docs programs import `cmx` (vuer's doc tool) and read MAKE_DOCS; a no-op cmx stand-in
// is put on PYTHONPATH for this run only, and MAKE_DOCS is empty so the code blocks run.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({ options: { only: { type: "string" }, out: { type: "string" }, timeout: { type: "string", default: "60" } } });
const mirror = process.env.VUER_MIRROR ?? "/work/.mirror/vuer-ai+vuer/repo";
if (!existsSync(mirror)) {
  console.log(`vuer-docs-corpus: skipped: no vuer mirror at ${mirror} (fetch github:vuer-ai/vuer, or set VUER_MIRROR to its git directory)`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "vuer-docs-"));
// File by file: a mirror may lack its largest blobs (splats, textures); those stay absent and
// the programs that need them show a failed load, as they would with a missing file.
const entries = execFileSync("git", [`--git-dir=${mirror}`, "ls-tree", "-r", "HEAD", "docs"], { encoding: "utf8", maxBuffer: 1 << 26 })
  .split("\n").filter(Boolean).map((l) => { const [meta, path] = l.split("\t"); return { sha: meta.split(" ")[2], path }; });
const batch = execFileSync("git", [`--git-dir=${mirror}`, "cat-file", "--batch"], { input: entries.map((e) => e.sha).join("\n") + "\n", maxBuffer: 1 << 30 });
let at = 0;
let absent = 0;
for (const e of entries) {
  const eol = batch.indexOf(10, at);
  const header = batch.subarray(at, eol).toString();
  at = eol + 1;
  if (header.endsWith(" missing")) { absent++; continue; }
  const size = Number(header.split(" ")[2]);
  mkdirSync(join(work, e.path, ".."), { recursive: true });
  writeFileSync(join(work, e.path), batch.subarray(at, at + size));
  at += size + 1;
}
if (absent) console.log(`vuer-docs-corpus: ${absent} files of docs/ are not in the mirror (large blobs); they stay absent`);
const stub = join(work, "_stub");
mkdirSync(stub);
// cmx's `doc` as a no-op: `doc @ "text"`, `with doc:`, `doc.skip`, `doc.print(...)`, `doc.flush()`.
writeFileSync(join(stub, "cmx.py"), `class _Doc:
    def __matmul__(self, other): return other
    def __rmatmul__(self, other): return other
    def __call__(self, *a, **k): return self
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def __getattr__(self, name): return self
doc = _Doc()
`);

const SKIP = new Set(["conf.py", "make_examples.py", "data_utils.py"]);
const programs = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".py") && !SKIP.has(name)) programs.push(p);
  }
})(join(work, "docs"));
const chosen = programs.filter((p) => !values.only || p.includes(values.only));
const outDir = values.out ?? join(work, "_png");
mkdirSync(outDir, { recursive: true });

function snapshot(file) {
  return new Promise((resolve) => {
    const png = join(outDir, relative(join(work, "docs"), file).replaceAll("/", "__").replace(/\.py$/, ".png"));
    const child = spawn(process.execPath, [join(root, "bin", "scene-runner.js"), "snapshot", file, "--out", png], {
      cwd: join(file, ".."),
      env: { ...process.env, MAKE_DOCS: "", PYTHONPATH: stub },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGINT"), Number(values.timeout) * 1000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stderr });
    });
  });
}

let ran = 0;
let drawn = 0;
const missing = [];
for (const file of chosen) {
  const name = relative(join(work, "docs"), file);
  const { code, stderr } = await snapshot(file);
  const lines = stderr.split("\n");
  const warnings = lines.filter((l) => l.startsWith("scene-runner: viewer:") || /left out|placeholder|failed to load|not found/i.test(l));
  const error = lines.filter((l) => /Error|error:/.test(l)).slice(-1)[0];
  if (code === 0) ran++;
  if (code === 0 && warnings.length === 0) drawn++;
  else missing.push(`${name}: ${code !== 0 ? `exit ${code}${error ? `: ${error.trim().slice(0, 160)}` : ""}` : warnings.slice(0, 2).map((w) => w.replace(/^scene-runner: /, "")).join(" | ").slice(0, 200)}`);
  process.stdout.write(`${code === 0 ? (warnings.length ? "~" : "✓") : "✗"} ${name}\n`);
}
console.log(`\n${chosen.length} programs: ${ran} run, ${drawn} drawn without a placeholder or failed load (pictures in ${outDir})`);
if (missing.length) console.log(`still missing:\n  ${missing.join("\n  ")}`);
console.log(`(${basename(work)} kept for a look: ${work})`);
