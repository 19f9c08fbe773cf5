// pipeline.updates: 1,000 boxes moving every frame, as fast as the program can go, for
// BENCH_SECONDS seconds. Every frame is one upsert of all boxes; every 50 frames a
// "beacon" sphere is added and the one before last removed (structural messages, which the
// host must never drop). Run with `scene-runner run bench/programs/boxes.ts` to watch it.
import { sleep, Box, Sphere, type Session } from "scene-runner";

const BOXES = Number(process.env.BENCH_BOXES ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SIDE = Math.ceil(Math.sqrt(BOXES));

export async function main(sess: Session) {
  const end = Date.now() + SECONDS * 1000;
  let frame = 0;
  let beacons = 0;
  while (Date.now() < end) {
    const t = frame / 60;
    const boxes = [];
    for (let i = 0; i < BOXES; i++) {
      const x = (i % SIDE) - SIDE / 2;
      const z = Math.floor(i / SIDE) - SIDE / 2;
      boxes.push(Box({ key: `box-${i}`, args: [0.5, 0.5, 0.5], position: [x * 0.6, Math.sin(t + i * 0.1), z * 0.6], color: "#4a9" }));
    }
    sess.upsert(boxes);
    if (frame % 50 === 0) {
      sess.add(Sphere({ key: `beacon-${beacons}`, args: [0.2], position: [0, 3, beacons * 0.1], color: "orange" }));
      if (beacons >= 2) sess.remove(`beacon-${beacons - 2}`);
      beacons++;
    }
    frame++;
    await sleep(0); // as fast as it can: yield, nothing more
  }
  console.log(JSON.stringify({ frames: frame, beacons, seconds: SECONDS }));
}
