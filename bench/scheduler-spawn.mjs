// scheduler.spawn, scheduler.spawn.floor and runner.overhead: bench/programs/spawn.ts
// (100,000 tasks through sess.spawnTask, each awaiting one zero sleep) run by the real Node
// runner and supervisor, every TASK_SPAWN delivered to this process — against
//   - the same program in CPython asyncio (bench/programs/spawn.py), by CPU time;
//   - the floor: the same work as bare async functions, one AsyncLocalStorage context each
//     (bench/programs/floor.mjs), by CPU time;
//   - the same file run by plain node with the runtime and no reporting (bench/programs/no-report.mjs),
//     by the time the program measures for its own work (as python.overhead).
// The four kinds of run alternate, so all see the same background load.
import { join } from "node:path";
import { bundleScript, root } from "./lib/build.mjs";
import { check, interleaveAll, lastJson, median, round, run as runProcess } from "./lib/measure.mjs";
import { viaRunner } from "./lib/via-runner.mjs";

export const name = "scheduler.spawn";

export async function run(ctx) {
  const n = ctx.smoke ? 300 : 100_000;
  const env = { BENCH_N: String(n) };
  const file = join(root, "bench", "programs", "spawn.ts");
  const bundled = await bundleScript("bench/programs/spawn.ts");
  const once = async (cmd, args, what) => {
    const out = lastJson(check(await runProcess(cmd, args, { env, timeoutMs: 180_000 }), what).stdout, what);
    if (out.finished !== n) throw new Error(`${what}: ${out.finished} of ${n} tasks finished`);
    return out;
  };
  const s = await interleaveAll({
    ...ctx.reps, log: ctx.log,
    sides: {
      runner: async () => {
        const out = await viaRunner(ctx, file, n);
        if (out.finished !== n) throw new Error(`spawn.ts: ${out.finished} of ${n} tasks finished`);
        return out;
      },
      asyncio: () => once(ctx.python, [join(root, "bench", "programs", "spawn.py")], "spawn.py"),
      floor: () => once(process.execPath, [join(root, "bench", "programs", "floor.mjs")], "floor.mjs"),
      plain: () => once(process.execPath, [join(root, "bench", "programs", "no-report.mjs"), bundled], "spawn.ts without reporting"),
    },
  });
  const med = (side, key) => median(s[side].map((r) => r[key]));
  const cpu = med("runner", "cpuMs");
  const common = { runs: s.runner.length, tasks: n, oursWallMs: round(med("runner", "ms")), oursHostCpuMs: round(med("runner", "hostCpuMs")), tasksReported: med("runner", "reported") };
  return [
    {
      name, ours: round(cpu), peer: round(med("asyncio", "cpuMs")), peerName: "CPython asyncio", unit: "ms CPU", ratio: round(cpu / med("asyncio", "cpuMs")),
      goal: "ratio <= 0.33", met: cpu / med("asyncio", "cpuMs") <= 0.33, ...common, peerWallMs: round(med("asyncio", "ms")),
    },
    {
      name: "scheduler.spawn.floor", ours: round(cpu), peer: round(med("floor", "cpuMs")), peerName: "bare async functions, one AsyncLocalStorage context each", unit: "ms CPU",
      ratio: round(cpu / med("floor", "cpuMs")), goal: "ratio <= 2.5", met: cpu / med("floor", "cpuMs") <= 2.5, ...common, peerWallMs: round(med("floor", "ms")),
    },
    {
      name: "runner.overhead", ours: round(med("runner", "ms")), peer: round(med("plain", "ms")), peerName: "the same file run by node, no reporting", unit: "ms",
      ratio: round(med("runner", "ms") / med("plain", "ms")), goal: "ratio <= 1.3", met: med("runner", "ms") / med("plain", "ms") <= 1.3, ...common,
      oursCpuMs: round(cpu), peerCpuMs: round(med("plain", "cpuMs")), oursProcessWallMs: round(med("runner", "wallMs")),
    },
  ];
}
