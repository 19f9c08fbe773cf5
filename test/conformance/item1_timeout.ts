// Issue 11, item 1: timeout() converts only its own cancellation, and once its deadline has
// fired it withdraws its request on the way out, even when the body swallowed the cancel.
import { currentTask, sleep, timeout, TimeoutError } from "scene-runner";

export async function main() {
  try {
    await timeout(20, () => sleep(10_000));
  } catch (e) {
    console.log(`expired: ${e instanceof TimeoutError ? "TimeoutError" : (e as Error).name}`);
  }
  console.log(`in time: ${await timeout(10_000, async () => { await sleep(10); return 42; })}`);
  const value = await timeout(20, async () => {
    try {
      await sleep(10_000);
    } catch (e) {
      console.log(`body swallows ${(e as Error).name}`);
    }
    return "body's value";
  });
  console.log(`${value}, cancelling = ${currentTask()!.cancelling()}`);
  await sleep(0);
  console.log("the next await is not cancelled");
}
