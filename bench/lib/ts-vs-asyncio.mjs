// The scheduler benchmarks: one program written twice (bench/programs/X.ts on our runtime,
// bench/programs/X.py on CPython asyncio), each run as its own process, interleaved.
// Each program times its own work (process start-up is not part of the figure).
import { join } from "node:path";
import { bundleScript, root } from "./build.mjs";
import { check, interleave, lastJson, median, round, run } from "./measure.mjs";

export async function tsVsAsyncio(ctx, { name, program, settledKey }) {
  const n = ctx.smoke ? 300 : 100_000;
  const env = { BENCH_N: String(n) };
  const script = await bundleScript(`bench/programs/${program}.ts`);
  const py = join(root, "bench", "programs", `${program}.py`);
  const once = async (cmd, args, what) => {
    const out = lastJson(check(await run(cmd, args, { env, timeoutMs: 180_000 }), what).stdout, what);
    if (out[settledKey] !== n) throw new Error(`${what}: ${out[settledKey]} of ${n} tasks ${settledKey}`);
    return out;
  };
  const s = await interleave({
    ...ctx.reps, log: ctx.log,
    ours: () => once(process.execPath, [script], `${program}.ts`),
    peer: () => once(ctx.python, [py], `${program}.py`),
  });
  const ours = median(s.ours.map((r) => r.ms));
  const peer = median(s.peer.map((r) => r.ms));
  return [{
    name, ours: round(ours), peer: round(peer), peerName: "CPython asyncio", unit: "ms", ratio: round(ours / peer),
    goal: "ratio <= 0.33", met: ours / peer <= 0.33, runs: s.ours.length, tasks: n,
    // CPU time of the same runs: less sensitive to other processes on the machine than wall time.
    oursCpuMs: round(median(s.ours.map((r) => r.cpuMs))), peerCpuMs: round(median(s.peer.map((r) => r.cpuMs))),
  }];
}
