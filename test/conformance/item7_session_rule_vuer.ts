// Issue 11, item 7, the vuer form: main returns while a spawned task runs; it is cancelled and
// its finally runs (vuer's close_ws cancels a session's tasks the same way).
import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  sess.spawnTask(async () => {
    try {
      await sleep(60_000);
    } finally {
      console.log("background: finally");
    }
  });
  await sleep(20);
  console.log("main returns");
}
