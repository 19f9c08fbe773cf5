// scheduler.spawn: N tasks, each awaiting one zero sleep, all awaited — spawned the way a
// user's program spawns them (sess.spawnTask: creation site recorded, TASK_SPAWN reported).
// The same program as spawn.py, on Scene Runner's runtime instead of asyncio. Run by the real
// Node runner (bench/scheduler-spawn.mjs) or by bench/programs/no-report.mjs (runner.overhead's
// peer); prints one JSON line {"n", "finished", "ms", "cpuMs"}.
import { gather, sleep, type Session, type Task } from "scene-runner";

const N = Number(process.env.BENCH_N ?? 100_000);

async function worker(): Promise<void> {
  await sleep(0);
}

export async function main(sess: Session): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < N; i++) tasks.push(sess.spawnTask(worker));
  await gather(...tasks);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const finished = tasks.filter((t) => t.state === "done").length;
  console.log(JSON.stringify({ n: N, finished, ms, cpuMs }));
}
