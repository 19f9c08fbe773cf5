/**
 * pipeline.updates' extension-host stand-in: a process of its own, as VS Code's extension host
 * is, running one scene program the way the extension does (the real supervisor and runner, the
 * real scene pipeline) and timing each scene message from the program's `ts` to the `applied`
 * that covers it. Its viewer is the real viewer page, driven by the parent
 * (bench/pipeline-updates.mjs) — as the workbench drives a webview — so the page's bridge does
 * not hold the event loop that reads the runner pipe.
 *
 *   argv: program file, "1" | "0" (coalescing on in the runner and the pipeline, or off)
 *   parent → host: {etype: "applied", seq}
 *   host → parent: {etype: "viewer", message}, then {etype: "result", ...} once the program
 *   ended and the viewer caught up (bounded)
 */
import { Socket } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import type { RunnerToHost } from "../../src/protocol/runner.js";
import { isSceneMessage, type SceneMessage, type SceneNode } from "../../src/protocol/scene.js";
import { Channel } from "../../src/runner/channel.js";
import { startSession } from "../../src/runner/supervisor.js";
import { ScenePipeline } from "../../src/scene/pipeline.js";

type ParentMessage = { etype: "applied"; seq: number };

const [file, coalesceArg] = process.argv.slice(2);
const coalesce = coalesceArg === "1";
// How long the viewer may take to catch up once the program ended (BENCH_DRAIN_MS, else 10 s).
// The benchmark gives the baseline (no coalescing), which never catches up, 2 s: it is recorded
// as not drained, its later deliveries stop counting (which only lowers the peer's figures), and
// the quick run is spared 24 s of waiting.
const DRAIN_LIMIT_MS = Number(process.env.BENCH_DRAIN_MS) || 10_000;

/** Nodes a scene message carries (what the viewer applies for it). */
function nodeCount(m: SceneMessage): number {
  if (m.etype === "SET") return treeKeys(m.data).length;
  if (m.etype === "REMOVE") return m.data.keys.length;
  return m.data.nodes.length;
}

function treeKeys(root: SceneNode): string[] {
  const out: string[] = [];
  const walk = (n: SceneNode) => {
    for (const list of ["children", "bgChildren", "rawChildren", "htmlChildren"]) {
      for (const c of (n[list] as SceneNode[] | undefined) ?? []) {
        out.push(c.key);
        walk(c);
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Node updates waiting in the pipeline's coalescer. Its entries are private: a merged prop
 * entry is one node update, a message kept whole (structural, or everything when coalescing is
 * off) counts its nodes. Read here so both sides are counted in the same unit.
 */
function queuedNodes(pipeline: ScenePipeline): number {
  const entries = (pipeline.coalescer as unknown as { entries?: Array<{ etype: string; message: SceneMessage }> }).entries;
  if (!Array.isArray(entries)) return pipeline.pending;
  let n = 0;
  for (const e of entries) n += e.etype === "STRUCT" ? nodeCount(e.message) : 1;
  return n;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const pipeline = new ScenePipeline({ state: "running", title: "bench" }, { coalesce });
const batches = new Map<number, SceneMessage[]>(); // seq -> messages posted, until applied
const postedAt = new Map<number, number>(); // seq -> when the pipeline posted it
// Where each delay went: program's ts → posted by the host (pipe + host queue), posted → applied
// arrived (the parent's bridge to the page, waiting for its frame, drawing, the ack's way back).
const r = {
  delays: [] as number[], toPost: [] as number[], postToApplied: [] as number[], hostQueue: [] as number[],
  pipeLag: [] as number[], freshness: [] as number[],
  arrived: 0, arrivedBlocked: 0, cappedBatches: 0, structuralIn: 0, appliedNodes: 0,
  firstTs: Infinity, lastAppliedAt: 0, maxPending: 0, maxQueued: 0, maxInFlight: 0, maxRss: 0,
};
// The host's own share: from a message's arrival on the host to the post of the batch that
// carries it (a merged entry keeps the newest ts, so this is the newest update's wait).
const receivedAt = new Map<number, number>(); // ts -> when the first message with that ts arrived
let newestDrawnTs = -Infinity;
let applied = 0;
let programEnded = false;
// This process reads the runner's pipe: how long its event loop was held.
const loop = monitorEventLoopDelay({ resolution: 10 });

const parent = new Channel<ParentMessage, unknown>(new Socket({ fd: 3, readable: true, writable: true }), (x) => x as ParentMessage, {
  message: (m) => {
    if (m.etype === "applied") onApplied(m.seq);
  },
  invalid: (e) => process.stderr.write(`pipeline-host: ${e.message}\n`),
  close: () => process.exit(2),
});

function onApplied(seq: number): void {
  if (seq <= applied) return;
  const now = Date.now();
  for (let s = applied + 1; s <= seq; s++) {
    const at = postedAt.get(s) ?? now;
    for (const msg of batches.get(s) ?? []) {
      r.delays.push(now - msg.ts);
      r.toPost.push(at - msg.ts);
      r.postToApplied.push(now - at);
      r.appliedNodes += nodeCount(msg);
      newestDrawnTs = Math.max(newestDrawnTs, msg.ts);
    }
    batches.delete(s);
    postedAt.delete(s);
  }
  applied = seq;
  r.lastAppliedAt = now;
  if (Number.isFinite(newestDrawnTs) && !programEnded) r.freshness.push(now - newestDrawnTs);
  pipeline.applied(seq);
}

pipeline.ready((m) => {
  if (m.t === "scene") {
    const now = Date.now();
    batches.set(m.seq, m.messages);
    postedAt.set(m.seq, now);
    if (pipeline.pending > 0) r.cappedBatches++; // drained already: what is left did not fit
    for (const msg of m.messages) {
      const at = receivedAt.get(msg.ts);
      if (at !== undefined) r.hostQueue.push(now - at);
    }
  }
  parent.send({ etype: "viewer", message: m });
});

async function main(): Promise<void> {
  let stdout = "";
  let stderr = "";
  const session = await startSession({
    file,
    coalesce, // as the extension starts it (host-session.ts): on; the baseline: off
    onMessage: (m: RunnerToHost) => {
      if (!isSceneMessage(m)) return;
      const now = Date.now();
      r.firstTs = Math.min(r.firstTs, m.ts);
      r.pipeLag.push(now - m.ts);
      if (!receivedAt.has(m.ts)) receivedAt.set(m.ts, now);
      r.arrived++;
      if (pipeline.inFlight >= 2) r.arrivedBlocked++;
      if (m.etype !== "UPSERT" && m.etype !== "UPDATE") r.structuralIn++;
      pipeline.push(m);
    },
    onStdout: (c) => (stdout += c),
    onStderr: (c) => (stderr += c),
  });
  const sample = setInterval(() => {
    // Node updates the viewer has not drawn yet: queued in the pipeline plus those in unacknowledged batches.
    let unacked = 0;
    for (const msgs of batches.values()) for (const msg of msgs) unacked += nodeCount(msg);
    const queued = queuedNodes(pipeline);
    r.maxQueued = Math.max(r.maxQueued, queued);
    r.maxPending = Math.max(r.maxPending, queued + unacked);
    r.maxInFlight = Math.max(r.maxInFlight, pipeline.inFlight);
    r.maxRss = Math.max(r.maxRss, rssMb(session.pid) || 0);
  }, 20);
  loop.enable();
  const exit = await session.exited;
  loop.disable();
  programEnded = true; // after the last update, "age on screen" only grows: not a freshness sample
  let frames = NaN;
  try {
    frames = JSON.parse(stdout.trim().split("\n").pop()!).frames;
  } catch {
    // reported below as NaN
  }
  // Let the pipeline and the viewer catch up (bounded).
  const drainStart = Date.now();
  while ((pipeline.pending > 0 || pipeline.inFlight > 0) && Date.now() - drainStart < DRAIN_LIMIT_MS) {
    await new Promise((res) => setTimeout(res, 20));
  }
  clearInterval(sample);
  r.maxQueued = Math.max(r.maxQueued, queuedNodes(pipeline));
  r.maxPending = Math.max(r.maxPending, r.maxQueued);
  parent.send({
    etype: "result",
    ...r,
    exitCode: exit.code, stderr: stderr.slice(-2000), programFrames: frames,
    drained: pipeline.pending === 0 && pipeline.inFlight === 0, drainMs: Date.now() - drainStart,
    batches: pipeline.batchesSent, hostKeys: treeKeys(pipeline.store.snapshot()),
    hostLoopP95: loop.percentile(95) / 1e6, hostLoopMax: loop.max / 1e6,
  });
  await parent.end();
  process.exit(0);
}

void main();
