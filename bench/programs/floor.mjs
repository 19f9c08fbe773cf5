// scheduler.spawn.floor: what V8 itself costs for spawn.ts's work with no task machinery —
// N bare async functions, each entered in its own AsyncLocalStorage context (as each task is),
// each suspended once on a promise that a later turn resolves (as sleep(0) does), all awaited.
// Prints one JSON line {"n", "finished", "ms", "cpuMs"}.
import { AsyncLocalStorage } from "node:async_hooks";

const N = Number(process.env.BENCH_N ?? 100_000);
const storage = new AsyncLocalStorage();
let wake = [];

function turn() {
  return new Promise((resolve) => {
    if (!wake.length) setImmediate(() => { const w = wake; wake = []; for (const r of w) r(); });
    wake.push(resolve);
  });
}

async function worker() {
  await turn();
  return storage.getStore() !== undefined;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const runs = [];
for (let i = 0; i < N; i++) runs.push(storage.run({ i }, worker));
const results = await Promise.all(runs);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const finished = results.filter(Boolean).length;
console.log(JSON.stringify({ n: N, finished, ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
