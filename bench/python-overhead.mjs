// python.overhead: bench/programs/spawn.py and cancel.py (plain asyncio programs) run by
// Scene Runner's Python runner — through the real supervisor (startSession), every task
// reported to the host as TASK_SPAWN/TASK_STATE — against the same files run by plain python3.
// The figure is the time each program measures for its own work; process wall time
// (start-up and reporting included) is kept beside it.
import { join } from "node:path";
import { root } from "./lib/build.mjs";
import { check, interleave, lastJson, median, round, run as runProcess } from "./lib/measure.mjs";
import { viaRunner } from "./lib/via-runner.mjs";

export const name = "python.overhead";

async function plain(ctx, file, n) {
  const r = check(await runProcess(ctx.python, [file], { env: { BENCH_N: String(n) }, timeoutMs: 180_000 }), file);
  return { ...lastJson(r.stdout, file), wallMs: r.wallMs };
}

export async function run(ctx) {
  const n = ctx.smoke ? 300 : 100_000;
  const out = [];
  for (const program of ["spawn", "cancel"]) {
    const file = join(root, "bench", "programs", `${program}.py`);
    const s = await interleave({ ...ctx.reps, log: ctx.log, ours: () => viaRunner(ctx, file, n), peer: () => plain(ctx, file, n) });
    const ours = median(s.ours.map((r) => r.ms));
    const peer = median(s.peer.map((r) => r.ms));
    out.push({
      name: `python.overhead.${program}`, ours: round(ours), peer: round(peer), peerName: "plain python3", unit: "ms",
      ratio: round(ours / peer), goal: "ratio <= 1.3", met: ours / peer <= 1.3, runs: s.ours.length, tasks: n,
      tasksReported: median(s.ours.map((r) => r.reported)),
      oursWallMs: round(median(s.ours.map((r) => r.wallMs))), peerWallMs: round(median(s.peer.map((r) => r.wallMs))),
      oursCpuMs: round(median(s.ours.map((r) => r.cpuMs))), peerCpuMs: round(median(s.peer.map((r) => r.cpuMs))),
      // The host's CPU while ours ran (reading, decoding and validating every report): on a
      // busy two-core machine it competes with the program for a core.
      hostCpuMs: round(median(s.ours.map((r) => r.hostCpuMs))),
    });
  }
  return out;
}
