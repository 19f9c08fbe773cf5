// Seed (python-async-taskgroups): gather gives results in argument order; a task group waits
// for every child; two failing children come out together.
import { gather, sleep, type Session } from "scene-runner";

class RuntimeError extends Error {
  override name = "RuntimeError";
}

async function slow(t: number): Promise<number> {
  console.log(`About to sleep for ${t} seconds`);
  await sleep(t * 100); // a tenth of the seed's seconds
  console.log(`Slept for ${t} seconds`);
  return t;
}

async function busted(s: string): Promise<never> {
  throw new RuntimeError(s);
}

export async function main(sess: Session) {
  console.log(`[${(await gather(() => slow(3), () => slow(1), () => slow(2))).join(", ")}]`);
  let r1, r2, r3;
  await sess.taskGroup(async (tg) => {
    r1 = tg.spawn(() => slow(3));
    r2 = tg.spawn(() => slow(1));
    r3 = tg.spawn(() => slow(2));
  });
  console.log(r1!.result(), r2!.result(), r3!.result());
  try {
    await sess.taskGroup(async (tg) => {
      tg.spawn(() => busted("First error"));
      tg.spawn(() => busted("Second error"));
    });
  } catch (e) {
    const errors = (e as AggregateError).errors as Error[];
    console.log(`(${errors.map((x) => `${x.name}('${x.message}')`).join(", ")})`);
  }
}
