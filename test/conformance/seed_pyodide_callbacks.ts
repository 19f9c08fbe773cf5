// Seed (asyncio in Pyodide): gather of three up_down coroutines, then a countdown driven by
// callSoon/callLater (the timer.py example), and a cancelled handle that never runs.
import { Event, gather, sleep, type Session } from "scene-runner";

async function upDown() {
  console.log("What goes up");
  await sleep(100);
  console.log("Must come down");
}

export async function main(sess: Session) {
  await gather(upDown, upDown, upDown);
  const done = new Event();
  const finishIn = (seconds: number) => {
    if (seconds <= 0) {
      console.log("DONE!");
      done.set();
    } else {
      console.log(seconds);
      sess.callLater(10, finishIn, seconds - 1);
    }
  };
  sess.callSoon(finishIn, 3);
  const dropped = sess.callLater(5, () => console.log("never printed"));
  dropped.cancel();
  await done.wait();
  console.log(`handle cancelled: ${dropped.cancelled() ? "yes" : "no"}`);
}
