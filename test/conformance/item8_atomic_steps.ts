// Issue 11, item 8: tasks woken in the same turn run one whole step each, in wake-up order,
// even when a step awaits a finished task or a nested async function on the way (asyncio runs
// a step atomically; the runtime waits for each step to reach its next runtime await).
import { Event, gather, sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  const finished = sess.spawnTask(async () => "ready");
  await finished;
  const nested = async (name: string) => {
    console.log(`${name}: nested`);
    return name;
  };
  const go = new Event();
  const worker = (name: string) => async () => {
    await go.wait();
    console.log(`${name}: woke`);
    await finished; // already done: no suspension
    await nested(name);
    console.log(`${name}: end of step`);
    await sleep(0);
    console.log(`${name}: next step`);
  };
  const g = gather(worker("a"), worker("b"), worker("c"));
  await sleep(0); // every worker waits on the event
  go.set(); // all three wake in one turn
  await g;
  const h = gather(sess.spawnTask(() => sleep(60_000)));
  await sleep(0);
  h.cancel();
  try {
    await h;
  } catch (e) {
    console.log(`cancelled gather raises ${(e as Error).name}`);
  }
}
