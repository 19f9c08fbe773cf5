// recording.overhead: what recording a session costs the live path. bench/programs/boxes.ts
// (1,000 boxes moved every frame, as fast as the program can) runs through the real runner
// (startSession) into the extension's scene pipeline, acknowledged at once (no browser: its
// noise would hide a few percent). Ours records every message (src/recording/recorder.ts,
// keyframes from the pipeline's own store, as a host wires it); the peer does not.
//
// Measured: the CPU time of the host's main thread per scene message received (Linux
// /proc/self/task/<pid>/stat: decoding, validation, the pipeline, and for ours the recording;
// the program runs in its own process), beside the whole host process's CPU time per message
// (which also counts the recording worker's keyframes and deflating), and the node updates
// per second that reached the pipeline. CPU time, not wall time: on a loaded machine a thread's
// wall time counts the time it waited for a core.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { bundleHost, root } from "./lib/build.mjs";
import { isScene, loadHost, nodeCount } from "./lib/host.mjs";
import { interleave, median, round } from "./lib/measure.mjs";

export const name = "recording.overhead";

/** CPU milliseconds of this process's main thread (its task id is the pid); the whole process's elsewhere. */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

let recordingPromise;
const loadRecording = () => (recordingPromise ??= bundleHost("src/recording/index.ts", "recording.cjs").then((f) => createRequire(import.meta.url)(f)));

async function once(record, { boxes, seconds }) {
  const host = await loadHost();
  const { Recorder } = await loadRecording();
  const pipeline = host.makePipeline({ state: "running", title: "bench" }, true);
  pipeline.ready((m) => {
    if (m.t === "scene") queueMicrotask(() => pipeline.applied(m.seq));
  });
  const recorder = record ? new Recorder({ scene: pipeline.store }) : undefined;
  let messages = 0;
  let nodes = 0;
  let stderr = "";
  process.env.BENCH_BOXES = String(boxes);
  process.env.BENCH_SECONDS = String(seconds);
  // From the first scene message: the program's start (launch, compile) is not the live path.
  let cpu0;
  let t0;
  let main0;
  const session = await host.startSession({
    file: join(root, "bench", "programs", "boxes.ts"),
    coalesce: true,
    onMessage: (m, frame) => {
      if (cpu0 === undefined && isScene(m)) {
        cpu0 = process.cpuUsage();
        main0 = mainThreadCpuMs();
        t0 = performance.now();
      }
      if (cpu0 === undefined) return;
      // As the host records: from the frame the message came in (a copy, no second encoding),
      // before the store applies it (recorder.ts: keyframes from a shared store).
      recorder?.record(m, frame);
      if (!isScene(m)) return;
      messages++;
      nodes += nodeCount(m);
      pipeline.push(m);
    },
    onStdout: () => {},
    onStderr: (c) => (stderr += c),
  });
  const exit = await session.exited;
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mainMs = mainThreadCpuMs() - main0;
  await recorder?.close();
  pipeline.detach();
  if (exit.code !== 0) throw new Error(`boxes.ts exited with ${exit.code}: ${stderr.slice(-2000)}`);
  const keys = recorder?.keyframes ?? { here: 0, worker: 0 };
  return { busyMsPerMessage: mainMs / messages, cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / messages, nodesPerS: nodes / wallS, messages, recordedBytes: recorder?.bytes ?? 0, keysHere: keys.here, keysWorker: keys.worker };
}

export async function run(ctx) {
  const size = ctx.smoke ? { boxes: 100, seconds: 1 } : { boxes: 1000, seconds: ctx.quick ? 3 : 4 };
  await once(false, size); // warm-up: bundles built, JIT warm, caches filled
  const samples = await interleave({ ...ctx.repsLong, ours: () => once(true, size), peer: () => once(false, size), log: ctx.log });
  const m = (side, k) => median(samples[side].map((s) => s[k]));
  const ours = m("ours", "busyMsPerMessage");
  const peer = m("peer", "busyMsPerMessage");
  const ratio = ours / peer;
  return [
    {
      name: "recording.overhead", ours: round(ours), peer: round(peer), ratio: round(ratio), peerName: "the same live path, not recording",
      unit: `host main-thread CPU ms per ${size.boxes}-box scene message`,
      goal: "<= 1.05 (a few percent)", met: ratio <= 1.05,
      processCpuMsPerMessage: { ours: round(m("ours", "cpuMsPerMessage")), peer: round(m("peer", "cpuMsPerMessage")) },
      nodesPerS: { ours: round(m("ours", "nodesPerS")), peer: round(m("peer", "nodesPerS")) },
      messages: { ours: m("ours", "messages"), peer: m("peer", "messages") },
      recordedMB: round(m("ours", "recordedBytes") / 2 ** 20),
      // Where keyframes were made (src/recording/recorder.ts): on the host's thread (the first, and
      // those taken while the worker was two segments behind) or by the recording worker.
      keyframes: { host: m("ours", "keysHere"), worker: m("ours", "keysWorker") },
    },
  ];
}
