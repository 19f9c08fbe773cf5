// scheduler.spawn: N tasks, each awaiting one zero sleep, all awaited.
// The same program as spawn.py, on Scene Runner's runtime instead of asyncio.
// Run by bench/scheduler-spawn.mjs; prints one JSON line {"n", "ms", "cpuMs"}.
import { Task, gather, sleep } from "scene-runner";

const N = Number(process.env.BENCH_N ?? 100_000);

async function worker(): Promise<void> {
  await sleep(0);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const tasks: Task<void>[] = [];
  for (let i = 0; i < N; i++) tasks.push(new Task(worker));
  await gather(...tasks);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const finished = tasks.filter((t) => t.state === "done").length;
  console.log(JSON.stringify({ n: N, finished, ms, cpuMs }));
}

await new Task(main);
