// One benchmark program run the way a user runs it: through the real supervisor
// (startSession) and runner, every message delivered to this process (the host side).
// Returns the program's own JSON result line plus wall time, the host's CPU time while it
// ran, and how many task reports reached the host.
import { loadHost } from "./host.mjs";
import { lastJson } from "./measure.mjs";

export async function viaRunner(ctx, file, n, extra = {}) {
  const host = await loadHost();
  let stdout = "";
  let stderr = "";
  let spawned = 0;
  let ended = 0;
  process.env.BENCH_N = String(n);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const session = await host.startSession({
    file, python: ctx.python, ...extra,
    onMessage: (m) => {
      if (m.etype === "TASK_SPAWN") spawned++;
      else if (m.etype === "TASK_STATE") ended++;
    },
    onStdout: (c) => (stdout += c),
    onStderr: (c) => (stderr += c),
  });
  const killer = setTimeout(() => session.kill(), 180_000);
  const exit = await session.exited;
  clearTimeout(killer);
  const wallMs = performance.now() - t0;
  const hostCpu = process.cpuUsage(cpu0);
  host.pipeBytes.delete(session.pid);
  if (exit.code !== 0) throw new Error(`${file} under the runner exited with ${exit.code ?? exit.signal}\n${stderr.slice(-2000)}`);
  // main itself is one more task; every one of the program's N must have been reported.
  if (spawned < n || ended < n) throw new Error(`${file}: only ${spawned} TASK_SPAWN / ${ended} TASK_STATE reported for ${n} tasks`);
  return { ...lastJson(stdout, file), wallMs, hostCpuMs: (hostCpu.user + hostCpu.system) / 1000, reported: spawned };
}
