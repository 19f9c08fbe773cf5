// Issue 11, item 7: when main returns, the tasks it left running are cancelled, their finally
// blocks run (awaits in them included), and then the run ends.
import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  sess.spawnTask(async () => {
    try {
      for (let i = 0; ; i++) {
        console.log(`tick ${i}`);
        await sleep(1000);
      }
    } finally {
      console.log("ticker: cleaning up");
      await sleep(10);
      console.log("ticker: cleaned up");
    }
  });
  await sleep(50);
  console.log("main returns");
}
