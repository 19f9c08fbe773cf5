// Issue 11, item 1: a task that once swallowed a cancel (cancelling() stays 1) still gets
// TimeoutError from a later timeout: the count is compared with the one at entry.
import { Event, currentTask, sleep, timeout, type Session } from "scene-runner";

export async function main(sess: Session) {
  const waiting = new Event();
  const t = sess.spawnTask(async () => {
    try {
      waiting.set();
      await sleep(10_000);
    } catch (e) {
      console.log(`swallowed ${(e as Error).name}`);
    }
    console.log(`cancelling = ${currentTask()!.cancelling()}`);
    try {
      await timeout(20, () => sleep(10_000));
    } catch (e) {
      console.log(`later timeout: ${(e as Error).name}`);
    }
    console.log(`cancelling = ${currentTask()!.cancelling()}`);
  });
  await waiting.wait();
  t.cancel();
  await t;
}
