#!/usr/bin/env node
// `npm run bench` (or `node bench/run.mjs`): runs every benchmark of issue 7, prints a table
// and writes bench/results.json: [{ name, ours, peer, peerName, unit, ratio, ... }], ratio = ours / peer.
//
//   --quick   the same set with fewer repetitions and shorter programs, to finish in about
//             five minutes on an idle 2-core machine (3 interleaved pairs, shorter programs)
//   --smoke   tiny sizes, one repetition, no timing meaning: proves every benchmark runs
//             (test/bench/bench-smoke.test.mjs); results go to node_modules/.cache/scene-runner-bench/
//   --only a,b  only the benchmarks whose name starts with one of these
//   --out f   where to write the results
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { cacheDir, root } from "./lib/build.mjs";
import { rendererLabel } from "./lib/gpu-renderer.mjs";

const BENCHMARKS = [
  "scheduler-spawn", "scheduler-cancel", "python-overhead", "host-block", "pipeline-updates", "points-million", "render-boxes", "extension-activation",
  "recording-overhead", "recording-seek",
];

const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const option = (o) => (argv.includes(o) ? argv[argv.indexOf(o) + 1] : undefined);
const smoke = flag("--smoke");
const quick = flag("--quick");
const only = option("--only")?.split(",");
const out = option("--out") ?? (smoke ? join(cacheDir, "results-smoke.json") : join(root, "bench", "results.json"));

const ctx = {
  smoke, quick,
  python: process.env.PYTHON ?? "python3",
  // Interleaved pairs (ours, peer) per benchmark; the figure is the median of each side.
  reps: smoke ? { reps: 1, minReps: 1 } : quick ? { reps: 3, minReps: 3 } : { reps: 7, minReps: 5, budgetMs: 240_000 },
  // For the benchmarks where one pair takes many seconds (headless Chromium, 5 s programs).
  repsLong: smoke ? { reps: 1, minReps: 1 } : quick ? { reps: 3, minReps: 3 } : { reps: 5, minReps: 5 },
  log: (line) => process.stderr.write(`${line}\n`),
};

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0];
  } catch {
    return "unavailable";
  }
}

function machine() {
  let chromium = "unavailable";
  for (const c of [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean)) {
    chromium = version(c, ["--version"]);
    if (chromium !== "unavailable") break;
  }
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {}
  return { nproc: cpus().length, cpu, node: process.version, python: version(ctx.python, ["--version"]), chromium, loadavg: loadavg().map((x) => Number(x.toFixed(2))) };
}

const fmt = (x) => (typeof x === "number" ? (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(3)))) : String(x ?? ""));

export function table(results) {
  const rows = [["benchmark", "ours", "peer", "unit", "ratio", "peer is", "goal", "met"]];
  for (const r of results) {
    rows.push([
      r.name, fmt(r.ours), fmt(r.peer), r.unit + (r.higherIsBetter ? " (higher is better)" : ""), fmt(r.ratio), r.peerName, r.goal ?? "",
      r.met === undefined ? "" : r.met ? "yes" : "NO",
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row, j) => {
    const line = `| ${row.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    return j === 0 ? `${line}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|` : line;
  }).join("\n");
}

async function main() {
  const started = Date.now();
  // Which GL renderer Chromium draws with (SwiftShader unless SCENE_RUNNER_CHROME_GL says otherwise, bench/gpu.sh).
  const info = { ...machine(), ...(await rendererLabel()) };
  ctx.log(`scene-runner bench${smoke ? " --smoke" : quick ? " --quick" : ""}: ${info.nproc} × ${info.cpu}, node ${info.node}, ${info.python}, ${info.chromium} (WebGL: ${info.webglRenderer}), load ${info.loadavg.join(" ")}`);
  const results = [];
  const failures = [];
  for (const file of BENCHMARKS) {
    const mod = await import(`./${file}.mjs`);
    if (only && !only.some((o) => mod.name.startsWith(o))) continue;
    const t0 = Date.now();
    ctx.log(`${mod.name} ...`);
    try {
      const entries = await mod.run(ctx);
      results.push(...entries);
      ctx.log(`${mod.name}: ${entries.map((e) => `${e.name} ${fmt(e.ours)} vs ${fmt(e.peer)} ${e.unit} (ratio ${fmt(e.ratio)})`).join("; ")} [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
    } catch (e) {
      failures.push(mod.name);
      ctx.log(`${mod.name} FAILED: ${e?.stack ?? e}`);
    }
  }
  const totalS = (Date.now() - started) / 1000;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(out.replace(/\.json$/, "") + ".machine.json", `${JSON.stringify({ ...info, loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))), mode: smoke ? "smoke" : quick ? "quick" : "full", totalSeconds: Math.round(totalS), date: new Date().toISOString() }, null, 2)}\n`);
  console.log(table(results));
  console.log(`\nratio = ours / peer: below 1 is better, except where the unit says higher is better. ${results.length} entries in ${totalS.toFixed(0)} s, written to ${out}`);
  if (failures.length) {
    console.error(`failed: ${failures.join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
// Headless browsers and runner children are closed by each benchmark; nothing should keep us alive.
process.exit(process.exitCode ?? 0);
