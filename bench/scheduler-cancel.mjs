// scheduler.cancel: 100,000 tasks spawned through sess.spawnTask, sleeping for an hour, all
// cancelled, all settled (bench/programs/cancel.ts), run by the real Node runner and supervisor
// with every task report delivered to this process, against CPython asyncio
// (bench/programs/cancel.py), by CPU time; the two alternate.
import { join } from "node:path";
import { root } from "./lib/build.mjs";
import { check, interleave, lastJson, median, round, run as runProcess } from "./lib/measure.mjs";
import { viaRunner } from "./lib/via-runner.mjs";

export const name = "scheduler.cancel";

export async function run(ctx) {
  const n = ctx.smoke ? 300 : 100_000;
  const settled = (out, what) => {
    if (out.cancelled !== n) throw new Error(`${what}: ${out.cancelled} of ${n} tasks cancelled`);
    return out;
  };
  const s = await interleave({
    ...ctx.reps, log: ctx.log,
    ours: async () => settled(await viaRunner(ctx, join(root, "bench", "programs", "cancel.ts"), n), "cancel.ts"),
    peer: async () => {
      const r = check(await runProcess(ctx.python, [join(root, "bench", "programs", "cancel.py")], { env: { BENCH_N: String(n) }, timeoutMs: 180_000 }), "cancel.py");
      return settled(lastJson(r.stdout, "cancel.py"), "cancel.py");
    },
  });
  const ours = median(s.ours.map((r) => r.cpuMs));
  const peer = median(s.peer.map((r) => r.cpuMs));
  return [{
    name, ours: round(ours), peer: round(peer), peerName: "CPython asyncio", unit: "ms CPU", ratio: round(ours / peer),
    goal: "ratio <= 0.25", met: ours / peer <= 0.25, runs: s.ours.length, tasks: n,
    oursWallMs: round(median(s.ours.map((r) => r.ms))), peerWallMs: round(median(s.peer.map((r) => r.ms))),
    oursHostCpuMs: round(median(s.ours.map((r) => r.hostCpuMs))),
  }];
}
