// A side benchmark of the recorder alone (not in bench/run.mjs's set): 1,000-box frames, as the
// runner pipe delivers them, through Recorder.record with a host store, paced (a timer between
// messages, so the recording worker answers as it would in a session), and the main thread's
// on-CPU time from /proc/self/task/<pid>/schedstat (nanoseconds) per message. Three ways,
// interleaved: no recorder (the store alone), the recorder with its worker (keyframes built
// there), and the recorder without a worker (keyframes taken on this thread).
//
//   node bench/recording-recorder.mjs [messages=600] [pairs=3]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleHost, root } from "./lib/build.mjs";
import { createRequire } from "node:module";

const messages = Number(process.argv[2] ?? 600);
const pairs = Number(process.argv[3] ?? 3);
const { Recorder } = createRequire(import.meta.url)(await bundleHost("src/recording/index.ts", "recording-side.cjs"));
const { SceneStore } = createRequire(import.meta.url)(await bundleHost("src/scene/scene-store.ts", "scene-store-side.cjs"));
const { encodeFrame, decodeFrameBody } = createRequire(import.meta.url)(await bundleHost("src/protocol/frames.ts", "frames-side.cjs"));

const onCpuMs = () => Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
const upsert = (f) => ({
  etype: "UPSERT", ts: f,
  data: { nodes: Array.from({ length: 1000 }, (_, i) => ({ tag: "Box", key: `box-${i}`, args: [0.1, 0.1, 0.1], position: [Math.cos(i + f), Math.sin(i * f), i / 1000], rotation: [0, f * 0.01, 0], color: "#ff0000" })), to: null },
});
// Frames at odd places of a bigger buffer, as a socket's reads leave them.
const frames = Array.from({ length: 32 }, (_, f) => {
  const body = Buffer.concat(encodeFrame(upsert(f))).subarray(4);
  const host = Buffer.alloc(body.length + 8);
  body.copy(host, f % 8);
  const frame = host.subarray(f % 8, f % 8 + body.length);
  return [decodeFrameBody(frame), frame];
});

async function once(mode) {
  const store = new SceneStore();
  const recorder = mode === "off" ? undefined : new Recorder({ scene: store, workerFile: mode === "worker" ? join(root, "dist", "recording-worker.js") : false });
  // All this thread does from the first message to the recording's end: the records, the
  // store, the timers, and the worker's answers (they come while the loop waits).
  const c0 = onCpuMs();
  for (let i = 0; i < messages; i++) {
    const [m, frame] = frames[i % frames.length];
    recorder?.record(m, frame);
    store.apply(m);
    await new Promise((r) => setTimeout(r, 4));
  }
  await recorder?.close();
  return { busy: (onCpuMs() - c0) / messages, keyframes: recorder?.keyframes };
}

const rows = { off: [], worker: [], host: [] };
await once("worker");
for (let p = 0; p < pairs; p++) for (const mode of Object.keys(rows)) rows[mode].push(await once(mode));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [mode, rs] of Object.entries(rows)) {
  console.log(`${mode.padEnd(6)} ${median(rs.map((r) => r.busy)).toFixed(3)} ms/message (main thread: store.apply, timers, and the recorder)  runs: ${rs.map((r) => r.busy.toFixed(3)).join(" ")}  keyframes: ${JSON.stringify(rs[0].keyframes ?? null)}`);
}
