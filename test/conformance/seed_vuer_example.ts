// Seed (vuer-async-example): an endless background task, an animation loop in main that
// upserts a box, then main cancels the background task and returns.
import { sleep, Box, type Session } from "scene-runner";

async function backgroundTask() {
  let count = 0;
  try {
    for (;;) {
      console.log(`Background task running: ${count}`);
      count++;
      await sleep(1000);
    }
  } finally {
    console.log(`background task stopped after ${count}`);
  }
}

export async function main(sess: Session) {
  const task = sess.spawnTask(backgroundTask);
  for (let i = 0; i < 4; i++) {
    const theta = i * 0.1;
    sess.upsert(Box({ key: "animated-box", args: [0.1, 0.1, 0.1], position: [0.5 * Math.cos(theta), 0.05, 0.5 * Math.sin(theta)], color: "red", materialType: "standard" }));
    await sleep(50);
  }
  task.cancel();
  console.log("main done");
}
