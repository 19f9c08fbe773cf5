// Issue 11, item 7: when main raises, the remaining tasks are cancelled and their finally
// blocks run before the run ends with status 1.
import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  sess.spawnTask(async () => {
    try {
      await sleep(60_000);
    } finally {
      console.log("worker finally");
    }
  });
  await sleep(20);
  console.log("main raises");
  throw new Error("main failed");
}
