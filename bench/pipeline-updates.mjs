// pipeline.updates: bench/programs/boxes.ts (1,000 boxes moved every frame, as fast as the
// program can, for 5 s) through the real runner (startSession), the extension's scene
// pipeline (src/scene/pipeline.ts) and the real viewer bundle in headless Chromium. The host
// runs in its own process (bench/host/pipeline-host.ts), as VS Code's extension host does; this
// process plays the workbench, posting the host's batches to the page. The peer is the same
// path with coalescing switched off (in the runner and in the host pipeline).
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
import { bundleHost, root } from "./lib/build.mjs";
import { withHostProcess } from "./lib/host.mjs";
import { interleave, median, percentile, round } from "./lib/measure.mjs";

export const name = "pipeline.updates";
const FRAME_MS = 1000 / 60;

export async function once(ctx, coalesce, { boxes, seconds, hostScript }) {
  const fps = [];
  // The host in its own process (bench/host/pipeline-host.ts), as VS Code's extension host is:
  // this process plays the workbench, posting what the host sends to the page.
  return withHostProcess(
    {
      script: hostScript, args: [join(root, "bench", "programs", "boxes.ts"), coalesce ? "1" : "0"],
      // The smoke run's baseline must drain (nothing lost, test/bench): the 10 s it has always had.
      env: { BENCH_BOXES: String(boxes), BENCH_SECONDS: String(seconds), BENCH_DRAIN_MS: String(coalesce || ctx.smoke ? 10_000 : 2_000) },
      limitMs: (seconds + 60) * 1000,
      onPage: (m) => {
        if (m.t === "stats" && m.fps > 0) fps.push(m.fps);
      },
    },
    async ({ result: r, viewer, errors }) => {
      await viewer.idle();
      const viewerKeys = (await viewer.page.evaluate(() => window.__sceneViewer.keys())).sort();
      const missing = r.hostKeys.filter((k) => !viewerKeys.includes(k));
      const extra = viewerKeys.filter((k) => !r.hostKeys.includes(k));
      if (r.exitCode !== 0) throw new Error(`boxes.ts exited with ${r.exitCode}: ${r.stderr}`);
      const seconds_ = (r.lastAppliedAt - r.firstTs) / 1000;
      return {
        updatesPerS: r.appliedNodes / seconds_,
        p50: percentile(r.delays, 50),
        p95: percentile(r.delays, 95),
        toPostP95: percentile(r.toPost, 95),
        postToAppliedP95: percentile(r.postToApplied, 95),
        toPostP50: percentile(r.toPost, 50),
        postToAppliedP50: percentile(r.postToApplied, 50),
        hostLoopP95: r.hostLoopP95,
        arrivedBlockedShare: r.arrivedBlocked / Math.max(1, r.arrived),
        cappedBatches: r.cappedBatches,
        hostLoopMax: r.hostLoopMax,
        hostQueueP50: percentile(r.hostQueue, 50),
        hostQueueP95: percentile(r.hostQueue, 95),
        freshnessP50: percentile(r.freshness, 50),
        freshnessP95: percentile(r.freshness, 95),
        // The viewer's own frame rate while it was busy (its `stats`, once a second): how long "a frame" was here.
        viewerFps: median(fps),
        backlog: r.maxPending,
        // Of those, the ones in the coalescer (its cap bounds these; the rest are in the batches in flight).
        queued: r.maxQueued,
        maxInFlight: r.maxInFlight,
        pipeLagP95: percentile(r.pipeLag, 95),
        // Scene messages that reached the host (the runner folds what the host has not taken yet).
        messagesToHost: r.arrived,
        runnerRssMb: r.maxRss,
        lost: missing.length + extra.length,
        structuralIn: r.structuralIn,
        programFrames: r.programFrames,
        batches: r.batches,
        drained: r.drained,
        drainMs: r.drainMs,
        pageErrors: errors.length,
      };
    },
  );
}

export async function run(ctx) {
  // The host-side Channel for this process (the runner pipe's codec) and the host's own process.
  await bundleHost("src/runner/channel.ts", "channel.cjs");
  const hostScript = await bundleHost("bench/host/pipeline-host.ts", "pipeline-host.cjs");
  const size = ctx.smoke ? { boxes: 50, seconds: 1, hostScript } : { boxes: 1000, seconds: ctx.quick ? 3 : 5, hostScript };
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
  const queued = Math.max(...s.ours.map((r) => r.queued));
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
      // Scene messages that reached the host against the program's upserts (the runner folds what the host has not taken).
      messagesToHost: { ours: m("ours", "messagesToHost"), peer: m("peer", "messagesToHost") },
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
      // The figure counts the batches in flight too; the cap is the coalescer's, so it is judged on what the coalescer held.
      maxQueued: { ours: queued, peer: Math.max(...s.peer.map((r) => r.queued)) },
      goal: "bounded (coalescer cap 20,000 entries; all drained)", met: queued <= 20_000 && common.drained.ours,
    }),
  ];
}
