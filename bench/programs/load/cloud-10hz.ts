// host.block load (a): a 500,000-point coloured cloud upserted 10 times a second, until stopped.
// Each upsert is a fresh cloud (new typed arrays: 6 MB of xyz + 1.5 MB of rgb), as a program
// streaming a sensor does.
import { PointCloud, sleep, type Session } from "scene-runner";

const N = Number(process.env.BENCH_POINTS ?? 500_000);

export async function main(sess: Session) {
  for (let frame = 0; ; frame++) {
    const t0 = Date.now();
    const vertices = new Float32Array(N * 3);
    const colors = new Uint8Array(N * 3);
    for (let i = 0; i < N; i++) {
      const a = (i / N) * Math.PI * 20 + frame * 0.1;
      vertices[3 * i] = Math.cos(a) * (i / N);
      vertices[3 * i + 1] = ((i * 7919) % 1000) / 1000 - 0.5;
      vertices[3 * i + 2] = Math.sin(a) * (i / N);
      colors[3 * i] = (i * 31) & 255;
      colors[3 * i + 1] = 128;
      colors[3 * i + 2] = frame & 255;
    }
    sess.upsert(PointCloud({ key: "cloud", vertices, colors, size: 0.01 }));
    await sleep(Math.max(0, 100 - (Date.now() - t0)));
  }
}
