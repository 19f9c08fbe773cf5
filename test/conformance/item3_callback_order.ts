// Issue 11, item 3: a future's done callbacks and its awaiters' wake-ups run in one queue, in
// registration order. A callback registered before the awaiter cancels it at its wait; one
// registered after runs after the awaiter's step.
import { gather, sleep, type Session, type Task } from "scene-runner";

export async function main(sess: Session) {
  let w: Task<void> | undefined;
  const inner = sess.spawnTask(async () => { await sleep(0); return 1; });
  inner.addDoneCallback(() => console.log(`callback first: cancel(W) accepted: ${w!.cancel() ? "yes" : "no"}`));
  w = sess.spawnTask(async () => {
    try {
      console.log(`W got ${await inner}`);
    } catch (e) {
      console.log(`W sees ${(e as Error).name}`);
    }
  });
  await gather(w, { returnExceptions: true });

  const inner2 = sess.spawnTask(async () => { await sleep(0); return 2; });
  const w2 = sess.spawnTask(async () => {
    console.log(`W2 got ${await inner2}`);
    await sleep(0);
    console.log("W2 one turn later");
  });
  await sleep(0); // W2 now waits on inner2
  inner2.addDoneCallback(() => console.log("callback after W2's step"));
  await w2;
}
