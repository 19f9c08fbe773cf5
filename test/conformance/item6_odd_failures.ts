// Issue 11, item 6: a failure that cannot describe itself (JavaScript: a thrown object with no
// prototype; Python: an exception whose __str__ raises) fails the task, reaches its awaiter,
// and failing main ends the run with status 1 instead of hanging.
import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  const t = sess.spawnTask(async () => {
    await sleep(0);
    throw Object.create(null);
  });
  try {
    await t;
  } catch {
    console.log("awaiting the task raised its failure");
  }
  console.log(`task failed: ${!t.cancelled() && t.exception() !== undefined ? "yes" : "no"}`);
  console.log("main fails next");
  throw Object.create(null);
}
