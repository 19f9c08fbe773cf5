// Seed (vuer's async tutorial): two tasks interleave by their sleeps.
import { gather, sleep } from "scene-runner";

async function taskA() {
  console.log("A: start");
  await sleep(500);
  console.log("A: done");
}

async function taskB() {
  console.log("B: start");
  await sleep(300);
  console.log("B: done");
}

export async function main() {
  await gather(taskA, taskB);
}
