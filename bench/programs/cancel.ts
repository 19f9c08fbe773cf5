// scheduler.cancel: N tasks sleeping for an hour, all cancelled, all settled — spawned the way a
// user's program spawns them (sess.spawnTask). The same program as cancel.py, on Scene Runner's
// runtime instead of asyncio. Run by the real Node runner (bench/scheduler-cancel.mjs);
// prints one JSON line {"n", "cancelled", "ms", "cpuMs"}.
import { gather, sleep, type Session, type Task } from "scene-runner";

const N = Number(process.env.BENCH_N ?? 100_000);
const HOUR = 3_600_000;

async function sleeper(): Promise<void> {
  await sleep(HOUR);
}

export async function main(sess: Session): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < N; i++) tasks.push(sess.spawnTask(sleeper));
  await sleep(0); // every task starts and goes to sleep
  for (const t of tasks) t.cancel();
  await gather(...tasks, { returnExceptions: true });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const cancelled = tasks.filter((t) => t.state === "cancelled").length;
  console.log(JSON.stringify({ n: N, cancelled, ms, cpuMs }));
}
