// render.boxes: 50,000 boxes. Ours: the real viewer bundle (one SET of 50,000 Box nodes,
// drawn with automatic instancing). Peer: bench/pages/naive-boxes.ts, a plain three.js
// page with one Mesh per box. Both in headless Chromium (SwiftShader), same canvas size,
// camera, lights and material; the figure is milliseconds per frame from the same loop
// (camera nudged, render, read one pixel back so the frame is really finished).
import { loadHost, webviewBundle } from "./lib/host.mjs";
import { interleave, median, round } from "./lib/measure.mjs";
import { openPlainPage } from "./lib/page.mjs";

export const name = "render.boxes";

/** n boxes on a square grid 5 m wide, in a gentle wave. */
export function boxLayout(n) {
  const side = Math.ceil(Math.sqrt(n));
  const step = 5 / side;
  const positions = [];
  for (let i = 0; i < n; i++) {
    const x = (i % side) * step - 2.5;
    const z = Math.floor(i / side) * step - 2.5;
    positions.push(x, 0.1 * Math.sin(x * 3) * Math.cos(z * 3), z);
  }
  return { positions, size: step * 0.7 };
}

export async function run(ctx) {
  const n = ctx.smoke ? 300 : 50_000;
  const frames = ctx.smoke || ctx.quick ? 1 : 3;
  const { positions, size } = boxLayout(n);
  const host = await loadHost();
  const errors = [];
  const viewer = await host.openHeadlessViewer({ bundlePath: webviewBundle, width: 640, height: 480, onPageError: (e) => errors.push(e) });
  let plain;
  try {
    const children = [];
    for (let i = 0; i < n; i++) {
      children.push({ tag: "Box", key: `b${i}`, args: [size, size, size], position: positions.slice(i * 3, i * 3 + 3), color: "#4a9" });
    }
    await viewer.post({ t: "scene", seq: 1, messages: [{ etype: "SET", ts: Date.now(), data: { tag: "Scene", key: "scene", children } }] });
    await viewer.waitFor((m) => m.t === "applied" && m.seq >= 1, 120_000);
    await viewer.idle();
    const canvas = await viewer.page.evaluate(() => {
      const c = document.querySelector("canvas");
      return { w: c.width, h: c.height };
    });
    const oursStats = await viewer.page.evaluate(() => window.__sceneViewer.stats());
    if (oursStats.nodes !== n) throw new Error(`viewer holds ${oursStats.nodes} nodes, expected ${n}`);

    plain = await openPlainPage("bench/pages/naive-boxes.ts");
    const peerInfo = await plain.page.evaluate(([w, h, p, s]) => window.naiveBoxes(w, h, p, s), [canvas.w, canvas.h, positions, size]);

    const s = await interleave({
      ...ctx.reps, log: ctx.log,
      ours: () => viewer.page.evaluate((k) => window.__sceneViewer.measureFrames(k), frames),
      peer: () => plain.page.evaluate((k) => window.measureFrames(k), frames),
    });
    if (errors.length || plain.errors.length) throw new Error(`page errors: ${[...errors, ...plain.errors].join("\n")}`);
    const ours = median(s.ours);
    const peer = median(s.peer);
    return [{
      name, ours: round(ours), peer: round(peer), peerName: "three.js, one Mesh per box", unit: "ms/frame", ratio: round(ours / peer),
      goal: "ratio <= 0.2", met: ours / peer <= 0.2, runs: s.ours.length, framesPerRun: frames, boxes: n,
      drawCalls: { ours: oursStats.drawCalls, peer: peerInfo.drawCalls }, canvas: `${canvas.w}x${canvas.h}`,
    }];
  } finally {
    await viewer.close();
    await plain?.close();
  }
}
