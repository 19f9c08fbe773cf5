// pipeline.updates: bench/programs/boxes.ts (1,000 boxes moved every frame, as fast as the
// program can, for 5 s) through the real runner (startSession), the extension's scene
// pipeline (src/scene/pipeline.ts) and the real viewer bundle in
// headless Chromium. The peer is the same path with coalescing switched off (in the runner
// and in the host pipeline).
//
// Measured on the host, leading with what a user sees: the delay from each message's `ts`
// (set by the program at upsert) to the arrival of the `applied` that covers it, at p95 and in
// the viewer's own frames (its frame time from its `stats`); freshness, the age of the newest
// update on screen, sampled at every `applied`; then node updates the viewer acknowledged
// (`applied {seq}`) per second; the largest backlog (node updates received by the host and not
// yet drawn: queued in the pipeline or in batches in flight; beside it the runner pipe's lag
// and the runner's memory); and whether the viewer ends with exactly the host's nodes (no
// structural message lost).
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { root } from "./lib/build.mjs";
import { isScene, loadHost, nodeCount, rssMb, treeKeys, webviewBundle } from "./lib/host.mjs";
import { interleave, median, percentile, round } from "./lib/measure.mjs";

export const name = "pipeline.updates";
const FRAME_MS = 1000 / 60;
const DRAIN_LIMIT_MS = 10_000; // the baseline may never catch up: it is recorded as not drained

/**
 * Node updates waiting in the pipeline's coalescer. Its entries are private: a merged prop
 * entry is one node update, a message kept whole (structural, or everything when coalescing is
 * off) counts its nodes. Read here so both sides are counted in the same unit.
 */
function queuedNodes(pipeline) {
  const entries = pipeline.coalescer?.entries;
  if (!Array.isArray(entries)) return pipeline.pending;
  let n = 0;
  for (const e of entries) n += e.etype === "STRUCT" ? nodeCount(e.message) : 1;
  return n;
}

export async function once(ctx, coalesce, { boxes, seconds }) {
  const host = await loadHost();
  const errors = [];
  const viewer = await host.openHeadlessViewer({ bundlePath: webviewBundle, width: 640, height: 480, onPageError: (e) => errors.push(e), onMessage: (m) => onViewer(m) });
  const pipeline = host.makePipeline({ state: "running", title: "bench" }, coalesce);
  const batches = new Map(); // seq -> messages posted, until applied
  const postedAt = new Map(); // seq -> when the pipeline posted it
  const delays = [];
  // Where each delay went: program's ts → posted by the host (pipe + host queue), posted → applied
  // arrived (transport to the page, waiting for its frame, drawing, the ack's way back).
  const toPost = [];
  const postToApplied = [];
  // The host's own share: from a message's arrival on the host to the post of the batch that
  // carries it (a merged entry keeps the newest ts, so this is the newest update's wait).
  const receivedAt = new Map(); // ts -> when the first message with that ts arrived
  const hostQueue = [];
  // Why a message waits on the host: it arrived while two batches were in flight (it waits for
  // an ack), or a batch left some behind (the batch-size cap).
  let arrivedBlocked = 0;
  let arrived = 0;
  let cappedBatches = 0;
  const freshness = []; // at each applied: how old the newest drawn update is
  let newestDrawnTs = -Infinity;
  let applied = 0; // highest seq acknowledged
  let appliedNodes = 0;
  let lastAppliedAt = 0;
  let firstTs = Infinity;
  const pipeLag = [];
  let maxPending = 0;
  let maxInFlight = 0;
  let maxRss = 0;
  let structuralIn = 0;
  let frames = 0;
  let programEnded = false;
  let chain = Promise.resolve();
  const post = (m) => (chain = chain.then(() => viewer.post(m)).catch((e) => errors.push(String(e))));

  const fps = [];
  // This process is the host here and also drives the page (the DevTools bridge): how long its
  // event loop was held, i.e. how late it could read the runner's pipe.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  function onViewer(m) {
    if (m.t === "stats" && m.fps > 0) fps.push(m.fps);
    if (m.t !== "applied" || m.seq <= applied) return;
    const now = Date.now();
    for (let s = applied + 1; s <= m.seq; s++) {
      const at = postedAt.get(s) ?? now;
      for (const msg of batches.get(s) ?? []) {
        delays.push(now - msg.ts);
        toPost.push(at - msg.ts);
        postToApplied.push(now - at);
        appliedNodes += nodeCount(msg);
        newestDrawnTs = Math.max(newestDrawnTs, msg.ts);
      }
      batches.delete(s);
      postedAt.delete(s);
    }
    applied = m.seq;
    lastAppliedAt = now;
    if (Number.isFinite(newestDrawnTs) && !programEnded) freshness.push(now - newestDrawnTs);
    pipeline.applied(m.seq);
  }

  pipeline.ready((m) => {
    if (m.t === "scene") {
      const now = Date.now();
      batches.set(m.seq, m.messages);
      postedAt.set(m.seq, now);
      if (pipeline.pending > 0) cappedBatches++; // drained already: what is left did not fit
      for (const msg of m.messages) {
        const r = receivedAt.get(msg.ts);
        if (r !== undefined) hostQueue.push(now - r);
      }
    }
    post(m);
  });
  process.env.BENCH_BOXES = String(boxes);
  process.env.BENCH_SECONDS = String(seconds);
  let stdout = "";
  const session = await host.startSession({
    file: join(root, "bench", "programs", "boxes.ts"),
    // As the extension starts it (host-session.ts): the runner may fold updates while its pipe is backed up.
    coalesce,
    onMessage: (m) => {
      if (!isScene(m)) return;
      firstTs = Math.min(firstTs, m.ts);
      pipeLag.push(Date.now() - m.ts);
      if (!receivedAt.has(m.ts)) receivedAt.set(m.ts, Date.now());
      arrived++;
      if (pipeline.inFlight >= 2) arrivedBlocked++;
      if (m.etype !== "UPSERT" && m.etype !== "UPDATE") structuralIn++;
      pipeline.push(m);
    },
    onStdout: (c) => (stdout += c),
    onStderr: (c) => errors.push(String(c)),
  });
  const sample = setInterval(() => {
    // Node updates the viewer has not drawn yet: queued in the pipeline plus those in unacknowledged batches.
    let unacked = 0;
    for (const msgs of batches.values()) for (const msg of msgs) unacked += nodeCount(msg);
    maxPending = Math.max(maxPending, queuedNodes(pipeline) + unacked);
    maxInFlight = Math.max(maxInFlight, pipeline.inFlight);
    maxRss = Math.max(maxRss, rssMb(session.pid) || 0);
  }, 20);
  loop.enable();
  const killer = setTimeout(() => session.kill(), (seconds + 30) * 1000);
  const exit = await session.exited;
  loop.disable();
  programEnded = true; // after the last update, "age on screen" only grows: not a freshness sample
  clearTimeout(killer);
  try {
    frames = JSON.parse(stdout.trim().split("\n").pop()).frames;
  } catch {}
  // Let the pipeline and the viewer catch up (bounded).
  const drainStart = Date.now();
  while ((pipeline.pending > 0 || pipeline.inFlight > 0) && Date.now() - drainStart < DRAIN_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 20));
  }
  clearInterval(sample);
  maxPending = Math.max(maxPending, queuedNodes(pipeline));
  const drained = pipeline.pending === 0 && pipeline.inFlight === 0;
  await chain;
  await viewer.idle();
  const viewerKeys = (await viewer.page.evaluate(() => window.__sceneViewer.keys())).sort();
  const hostKeys = treeKeys(pipeline.store.snapshot());
  const missing = hostKeys.filter((k) => !viewerKeys.includes(k));
  const extra = viewerKeys.filter((k) => !hostKeys.includes(k));
  await viewer.close();
  if (exit.code !== 0) throw new Error(`boxes.ts exited with ${exit.code ?? exit.signal}: ${errors.join("\n").slice(-2000)}`);
  const seconds_ = (lastAppliedAt - firstTs) / 1000;
  return {
    updatesPerS: appliedNodes / seconds_,
    p50: percentile(delays, 50),
    p95: percentile(delays, 95),
    toPostP95: percentile(toPost, 95),
    postToAppliedP95: percentile(postToApplied, 95),
    toPostP50: percentile(toPost, 50),
    postToAppliedP50: percentile(postToApplied, 50),
    hostLoopP95: loop.percentile(95) / 1e6,
    arrivedBlockedShare: arrivedBlocked / Math.max(1, arrived),
    cappedBatches,
    hostLoopMax: loop.max / 1e6,
    hostQueueP50: percentile(hostQueue, 50),
    hostQueueP95: percentile(hostQueue, 95),
    freshnessP50: percentile(freshness, 50),
    freshnessP95: percentile(freshness, 95),
    // The viewer's own frame rate while it was busy (its `stats`, once a second): how long "a frame" was here.
    viewerFps: median(fps),
    backlog: maxPending,
    maxInFlight,
    pipeLagP95: percentile(pipeLag, 95),
    runnerRssMb: maxRss,
    lost: missing.length + extra.length,
    structuralIn,
    programFrames: frames,
    batches: pipeline.batchesSent,
    drained,
    drainMs: Date.now() - drainStart,
    pageErrors: errors.length,
  };
}

export async function run(ctx) {
  const size = ctx.smoke ? { boxes: 50, seconds: 1 } : { boxes: 1000, seconds: 5 };
  const s = await interleave({
    ...ctx.repsLong, log: ctx.log,
    ours: () => once(ctx, true, size),
    peer: () => once(ctx, false, size),
  });
  const m = (side, k) => median(s[side].map((r) => r[k]));
  const sum = (side, k) => s[side].reduce((a, r) => a + r[k], 0);
  const common = {
    peerName: "same path, coalescing off", runs: s.ours.length, boxes: size.boxes, seconds: size.seconds,
    lost: { ours: sum("ours", "lost"), peer: sum("peer", "lost") },
    drained: { ours: s.ours.every((r) => r.drained), peer: s.peer.every((r) => r.drained) },
  };
  const entry = (name, key, unit, extra = {}) => {
    const ours = m("ours", key);
    const peer = m("peer", key);
    return { name, ours: round(ours), peer: round(peer), unit, ratio: round(ours / peer), ...common, ...extra };
  };
  const p95 = m("ours", "p95");
  // A frame as the viewer drew it here (its own stats; 60 Hz when it sent none, as in a 1 s smoke run).
  const frameMs = (side) => (m(side, "viewerFps") > 0 ? 1000 / m(side, "viewerFps") : FRAME_MS);
  const inFrames = (side, key) => m(side, key) / frameMs(side);
  const backlog = Math.max(...s.ours.map((r) => r.backlog));
  const viewerFps = { ours: round(m("ours", "viewerFps")), peer: round(m("peer", "viewerFps")) };
  const framesEntry = (name, key, unit, extra) => {
    const ours = inFrames("ours", key);
    const peer = inFrames("peer", key);
    return { name, ours: round(ours), peer: round(peer), unit, ratio: round(ours / peer), ...common, viewerFps, ...extra };
  };
  return [
    framesEntry("pipeline.updates.delay_p95", "p95", "viewer frames, upsert → drawn (p95)", {
      goal: "p95 <= 2 viewer frames", met: inFrames("ours", "p95") <= 2,
      ms: { ours: round(p95), peer: round(m("peer", "p95")) },
      // The delay's two halves (ms, p50 and p95 of each): upsert → posted to the viewer, posted → its applied back.
      split: Object.fromEntries(["toPostP50", "toPostP95", "hostQueueP50", "hostQueueP95", "postToAppliedP50", "postToAppliedP95"].map((k) => [k, round(m("ours", k))])),
      pipeLagP95Ms: round(m("ours", "pipeLagP95")),
      // This process's event-loop delay while the program ran (p95, max): it reads the pipe and drives the page.
      hostLoopMs: { p95: round(m("ours", "hostLoopP95")), max: round(m("ours", "hostLoopMax")) },
      // Share of scene messages that arrived with two batches in flight (they wait for an ack), and batches the size cap cut short.
      arrivedWithTwoInFlight: round(m("ours", "arrivedBlockedShare")), cappedBatches: m("ours", "cappedBatches"),
    }),
    framesEntry("pipeline.updates.freshness", "freshnessP95", "viewer frames, age of the newest drawn update (p95)", {
      ms: { ours: round(m("ours", "freshnessP95")), peer: round(m("peer", "freshnessP95")) },
      p50Ms: { ours: round(m("ours", "freshnessP50")), peer: round(m("peer", "freshnessP50")) },
    }),
    entry("pipeline.updates", "updatesPerS", "node updates drawn/s", {
      higherIsBetter: true,
      programFramesPerS: { ours: round(m("ours", "programFrames") / size.seconds), peer: round(m("peer", "programFrames") / size.seconds) },
      batches: { ours: m("ours", "batches"), peer: m("peer", "batches") },
      goal: "no structural message lost", met: common.lost.ours === 0,
    }),
    entry("pipeline.updates.delay_p50", "p50", "ms, upsert → drawn"),
    entry("pipeline.updates.backlog", "backlog", "node updates not yet drawn (max)", {
      maxInFlight: { ours: m("ours", "maxInFlight"), peer: m("peer", "maxInFlight") },
      pipeLagP95Ms: { ours: round(m("ours", "pipeLagP95")), peer: round(m("peer", "pipeLagP95")) },
      runnerRssMb: { ours: round(m("ours", "runnerRssMb")), peer: round(m("peer", "runnerRssMb")) },
      goal: "bounded (coalescer cap 20,000 entries; all drained)", met: backlog <= 20_000 && common.drained.ours,
    }),
  ];
}
