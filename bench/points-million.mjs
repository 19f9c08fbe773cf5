// points.million: bench/programs/points.ts upserts one 1,000,000-point coloured cloud. It goes
// through the real runner (startSession), the extension's scene pipeline and the real viewer
// bundle in headless Chromium. Two figures:
//  - time from the program's upsert (the message's ts) until the viewer reports the frame
//    that draws it (`applied`), against the same cloud sent from this process to a plain
//    three.js page the way ours reaches the viewer (the same headless bridge: text form, one
//    JSON string) and drawn there (bench/pages/plain-points.ts: no program, no pipe, no host
//    pipeline, no viewer); both clocks start once the typed arrays exist;
//  - bytes per point on the runner pipe (every byte the runner wrote on fd 3, counted by
//    bench/host/host.ts), against the same cloud as JSON number lists.
import { join } from "node:path";
import { root } from "./lib/build.mjs";
import { isScene, loadHost, webviewBundle } from "./lib/host.mjs";
import { interleave, median, round } from "./lib/measure.mjs";
import { openPlainPage } from "./lib/page.mjs";

export const name = "points.million";

let frameBytes;

async function ours(n) {
  const host = await loadHost();
  frameBytes = (m) => host.encodeFrame(m).reduce((a, b) => a + b.length, 0);
  const errors = [];
  let done;
  const drawn = new Promise((r) => (done = r));
  let batchSeq = -1;
  const viewer = await host.openHeadlessViewer({
    bundlePath: webviewBundle, width: 640, height: 480, onPageError: (e) => errors.push(e),
    onMessage: (m) => {
      if (m.t !== "applied") return;
      if (batchSeq > 0 && m.seq >= batchSeq) done(Date.now());
      pipeline?.applied(m.seq);
    },
  });
  let pipeline;
  try {
    pipeline = host.makePipeline({ state: "running", title: "bench" }, true);
    let postMs = 0;
    let chain = Promise.resolve();
    pipeline.ready((m) => {
      const cloud = m.t === "scene" && m.messages.some((x) => x.etype === "UPSERT");
      if (cloud) batchSeq = m.seq;
      chain = chain.then(async () => {
        const t0 = Date.now();
        await viewer.post(m);
        if (cloud) postMs = Date.now() - t0;
      }).catch((e) => errors.push(String(e)));
    });
    let upsertTs = NaN;
    let receivedAt = NaN;
    let jsonBytes = NaN;
    let otherBytes = 0; // frames of the other messages (session start/end, tasks), re-encoded to size them
    process.env.BENCH_POINTS = String(n);
    const session = await host.startSession({
      file: join(root, "bench", "programs", "points.ts"),
      coalesce: true, // as the extension starts a session
      onMessage: (m) => {
        if (m.etype !== "UPSERT") otherBytes += frameBytes(m);
        if (!isScene(m)) return;
        if (m.etype === "UPSERT") {
          upsertTs = m.ts;
          receivedAt = Date.now();
          const pc = m.data.nodes[0];
          // The peer encoding: the same message with the arrays as JSON number lists.
          jsonBytes = JSON.stringify({ ...m, data: { ...m.data, nodes: [{ ...pc, vertices: Array.from(pc.vertices), colors: Array.from(pc.colors) }] } }).length;
        }
        pipeline.push(m);
      },
      onStderr: (c) => errors.push(String(c)),
    });
    const killer = setTimeout(() => session.kill(), 60_000);
    const exit = await session.exited;
    clearTimeout(killer);
    if (exit.code !== 0) throw new Error(`points.ts exited with ${exit.code ?? exit.signal}: ${errors.join("\n").slice(-2000)}`);
    const pipe = host.pipeBytes.get(session.pid);
    host.pipeBytes.delete(session.pid);
    let timeout;
    const timer = new Promise((_, rej) => (timeout = setTimeout(() => rej(new Error("the viewer did not draw the cloud within 60 s")), 60_000)));
    const drawnAt = await Promise.race([drawn, timer]).finally(() => clearTimeout(timeout));
    const stats = await viewer.page.evaluate(() => window.__sceneViewer.stats());
    if (stats.points < n) throw new Error(`viewer drew ${stats.points} points, expected ${n}`);
    if (errors.length) throw new Error(errors.join("\n"));
    // Every runner→host message is one frame: the upsert's frame is what is left of the pipe's bytes.
    return { ms: drawnAt - upsertTs, pipeMs: receivedAt - upsertTs, fromHostMs: drawnAt - receivedAt, postMs, bytesPerPoint: (pipe - otherBytes) / n, pipeBytesPerPoint: pipe / n, jsonBytesPerPoint: jsonBytes / n };
  } finally {
    await viewer.close();
  }
}

/** The cloud bench/programs/points.ts makes (same generator, same values). */
function makeCloud(n) {
  const vertices = new Float32Array(n * 3);
  const colors = new Uint8Array(n * 3);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n * 3; i++) {
    vertices[i] = rand() * 2 - 1;
    colors[i] = Math.round((vertices[i] + 1) * 127.5);
  }
  return { vertices, colors };
}

async function peer(n) {
  const host = await loadHost();
  const plain = await openPlainPage("bench/pages/plain-points.ts");
  try {
    await plain.page.evaluate(() => window.plainPointsSetup(640, 480));
    const cloud = makeCloud(n);
    // The clock starts where ours does: the typed arrays exist, nothing has been sent. They
    // cross as ours cross the headless bridge: text form, one JSON string, decoded in the page.
    const t0 = Date.now();
    const r = await plain.page.evaluate((json) => window.plainPointsDraw(json), JSON.stringify(host.encodeForPage(cloud)));
    const ms = Date.now() - t0;
    if (r.points !== n) throw new Error(`plain page drew ${r.points} points, expected ${n}`);
    if (plain.errors.length) throw new Error(plain.errors.join("\n"));
    return { ms };
  } finally {
    await plain.close();
  }
}

export async function run(ctx) {
  const n = ctx.smoke ? 500 : 1_000_000;
  const s = await interleave({ ...ctx.repsLong, log: ctx.log, ours: () => ours(n), peer: () => peer(n) });
  const time = median(s.ours.map((r) => r.ms));
  const floor = median(s.peer.map((r) => r.ms));
  const bpp = median(s.ours.map((r) => r.bytesPerPoint));
  const jbpp = median(s.ours.map((r) => r.jsonBytesPerPoint));
  return [
    {
      name: "points.million", ours: round(time), peer: round(floor), peerName: "same arrays posted to a plain three.js page", unit: "ms to drawn",
      ratio: round(time / floor), goal: "ratio <= 1.2", met: time / floor <= 1.2, runs: s.ours.length, points: n,
      // Where the time goes: program upsert -> host received it; host posting to the page (headless bridge: base64 over CDP).
      pipeMs: round(median(s.ours.map((r) => r.pipeMs))), postMs: round(median(s.ours.map((r) => r.postMs))),
      // From the host's receipt to drawn: what the peer's path also covers (the bridge included).
      fromHostMs: round(median(s.ours.map((r) => r.fromHostMs))),
    },
    {
      name: "points.million.bytes", ours: round(bpp, 6), peer: round(jbpp), peerName: "same message as JSON number lists", unit: "bytes/point (runner pipe)",
      ratio: round(bpp / jbpp), goal: "<= 15 bytes/point (+ one message envelope)", met: bpp * n <= 15 * n + 4096, runs: s.ours.length, points: n,
      pipeBytesPerPoint: round(median(s.ours.map((r) => r.pipeBytesPerPoint)), 6),
    },
  ];
}
