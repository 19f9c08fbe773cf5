// Seed (vuer's async tutorial, "Async in Vuer"): a background counter spawned from main,
// main's own loop, then main awaits the counter. Main ticks every 30 ms, the counter every
// 300 ms: ten times apart, so load cannot reorder them.
import { sleep, Box, type Session } from "scene-runner";

async function backgroundCounter() {
  for (let i = 0; i < 3; i++) {
    console.log(`Background: ${i}`);
    await sleep(300);
  }
}

export async function main(sess: Session) {
  const task = sess.spawnTask(backgroundCounter);
  for (let i = 0; i < 3; i++) {
    console.log(`Main: ${i}`);
    sess.upsert(Box({ key: "box", args: [0.1, 0.1, 0.1], position: [0.1 * i, 0.05, 0], color: "red" }));
    await sleep(30);
  }
  await task;
  console.log("Done!");
}
