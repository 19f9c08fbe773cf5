// A task tree worth watching: a supervisor spawns workers that spawn their own
// helpers; some finish, one fails, a slow one is cancelled, and a task group
// runs three scanners together. Each worker owns a box that it moves.
import { sleep, gather, timeout, Box, Text, TimeoutError, type Session } from "scene-runner";

async function helper(sess: Session, worker: number, n: number) {
  for (let step = 0; step < 20 + n * 10; step++) {
    sess.upsert(Box({ key: `helper-${worker}-${n}`, args: [0.08, 0.08, 0.08], position: [worker * 0.5 - 1, 0.15 + 0.12 * n, Math.sin(step / 5) * 0.3], color: "#999" }));
    await sleep(50);
  }
}

async function worker(sess: Session, id: number) {
  sess.upsert(Text({ key: `label-${id}`, text: `worker ${id}`, position: [id * 0.5 - 1, 0.9, 0], fontSize: 0.08 }));
  const helpers = [0, 1].map((n) => sess.spawnTask(() => helper(sess, id, n), { name: `helper-${id}.${n}` }));
  for (let step = 0; step < 40; step++) {
    sess.upsert(Box({ key: `worker-${id}`, args: [0.2, 0.2, 0.2], position: [id * 0.5 - 1, 0.5 + 0.1 * Math.sin(step / 4 + id), 0], color: `hsl(${id * 70}, 70%, 55%)`, materialType: "standard" }));
    if (id === 3 && step === 25) throw new Error(`worker ${id} hit a bad sensor reading`);
    await sleep(50);
  }
  await gather(...helpers);
  return id;
}

async function slowDownload() {
  try {
    await sleep(60_000);
  } finally {
    console.log("slow download: cleaned up after cancel");
  }
}

export async function main(sess: Session) {
  const download = sess.spawnTask(slowDownload, { name: "slowDownload" });
  const workers = [0, 1, 2, 3, 4].map((id) => sess.spawnTask(() => worker(sess, id), { name: `worker-${id}` }));

  await sess.taskGroup(async (tg) => {
    for (const name of ["lidar", "camera", "imu"]) {
      tg.spawn(async () => {
        await sleep(300 + name.length * 100);
        console.log(`scanner ${name}: done`);
      }, { name: `scan-${name}` });
    }
  });

  try {
    await timeout(200, () => sleep(10_000));
  } catch (e) {
    if (e instanceof TimeoutError) console.log("a 200 ms timeout fired, as it should");
  }

  const results = await gather(...workers, { returnExceptions: true });
  console.log(`workers: ${results.map((r) => (r instanceof Error ? `failed (${r.message})` : `#${r} ok`)).join(", ")}`);
  download.cancel();
  await gather(download, { returnExceptions: true });
}
