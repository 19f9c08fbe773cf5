// host.block load (c): 30,000 tasks spawned at once (each reported to the host, each with its
// creation line), each sleeping a little while and ending; then the scene stays up until stopped.
import { Box, sleep, type Session } from "scene-runner";

const TASKS = Number(process.env.BENCH_TASKS || 30_000);

async function worker(i: number): Promise<number> {
  await sleep(200 + (i % 1000));
  return i;
}

export async function main(sess: Session) {
  sess.upsert(Box({ key: "marker", args: [1, 1, 1], color: "#4a9" }));
  for (let i = 0; i < TASKS; i++) sess.spawnTask(() => worker(i), { name: `worker-${i}` });
  await sess.forever();
}
