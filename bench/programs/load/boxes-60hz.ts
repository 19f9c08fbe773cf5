// host.block load (b): 1,000 boxes moved at 60 Hz (one upsert of all of them per frame), until stopped.
import { Box, sleep, type Session } from "scene-runner";

const BOXES = 1000;
const SIDE = Math.ceil(Math.sqrt(BOXES));

export async function main(sess: Session) {
  const start = Date.now();
  for (let frame = 0; ; frame++) {
    const t = frame / 60;
    const boxes = [];
    for (let i = 0; i < BOXES; i++) {
      const x = (i % SIDE) - SIDE / 2;
      const z = Math.floor(i / SIDE) - SIDE / 2;
      boxes.push(Box({ key: `box-${i}`, args: [0.5, 0.5, 0.5], position: [x * 0.6, Math.sin(t + i * 0.1), z * 0.6], color: "#4a9" }));
    }
    sess.upsert(boxes);
    // The next frame's time on a 60 Hz grid (no drift, no catch-up burst).
    await sleep(Math.max(0, start + ((frame + 1) * 1000) / 60 - Date.now()));
  }
}
