// points.million: one upsert of a coloured cloud of BENCH_POINTS points (default 1,000,000):
// float32 xyz in a 2 m cube, uint8 rgb from position. bench/pages/plain-points.ts builds the
// same cloud inside a plain three.js page. Run with `scene-runner run` to look at it.
import { PointCloud, type Session } from "scene-runner";

const N = Number(process.env.BENCH_POINTS ?? 1_000_000);

export async function main(sess: Session) {
  const vertices = new Float32Array(N * 3);
  const colors = new Uint8Array(N * 3);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < N * 3; i++) {
    vertices[i] = rand() * 2 - 1;
    colors[i] = Math.round((vertices[i] + 1) * 127.5);
  }
  sess.upsert(PointCloud({ key: "cloud", vertices, colors, size: 0.01 }));
}
