// Seed (vuer's async tutorial, "Canceling Tasks"): a ticking task is cancelled after three
// ticks; its finally runs and awaiting it raises CancelledError. An event marks the third tick
// instead of a 2.5 s sleep, so no clock margin decides the trace.
import { Event, sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  const third = new Event();
  const task = sess.spawnTask(async () => {
    try {
      for (let i = 0; i < 100; i++) {
        console.log(`Tick ${i}`);
        if (i === 2) third.set();
        await sleep(100);
      }
    } finally {
      console.log("cleanup");
    }
  }, { name: "long_task" });
  await third.wait();
  task.cancel();
  try {
    await task;
  } catch (e) {
    console.log(`awaiting it raises ${(e as Error).name}`);
  }
  console.log(`cancelled: ${task.cancelled() ? "yes" : "no"}`);
}
