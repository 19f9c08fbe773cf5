// Issue 11, item 5: a task waiting on something outside the runtime (here a plain promise on a
// Node timer; in Python a thread) when main returns: the session ends only after its body has
// exited, and the body still sees CancelledError.
import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  sess.spawnTask(async () => {
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sleep(0);
      console.log("worker: not cancelled");
    } catch (e) {
      console.log(`worker: ${(e as Error).name}`);
    } finally {
      console.log("worker finally");
    }
  });
  await sleep(20);
  console.log("main returns");
}
