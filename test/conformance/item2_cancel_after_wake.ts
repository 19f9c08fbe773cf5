// Issue 11, item 2: cancel() of a task that was just woken (ev.set(); t.cancel() in one step)
// is delivered at its wait: its finally runs before `await t` returns.
import { Event, sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  const ev = new Event();
  const t = sess.spawnTask(async () => {
    try {
      await ev.wait();
      console.log("woke normally");
    } catch (e) {
      console.log(`t sees ${(e as Error).name} at the wait`);
      throw e;
    } finally {
      console.log("t finally");
    }
  });
  await sleep(0);
  ev.set();
  t.cancel();
  try {
    await t;
  } catch (e) {
    console.log(`await t: ${(e as Error).name}`);
  }
  console.log(`t cancelled: ${t.cancelled() ? "yes" : "no"}`);
}
