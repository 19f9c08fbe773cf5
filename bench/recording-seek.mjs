// recording.seek: a 10-minute recording of 1,000 boxes upserted at 60 Hz (synthesised on a
// virtual clock: 36,000 messages, as boxes.ts sends them), recorded by src/recording/ into
// memory (the default budget) and to a .srec file at once, as `--record` writes it. Each message
// comes with the frame body it would arrive in, as the supervisor hands the recorder what the
// runner pipe delivered: the recorder copies that frame and applies the message to its scene;
// the JSON encoding is the runner's work, not the host's, so it is made here from a template
// per box (the encoding of a synthesised message was 70 % of this benchmark's time). Then
// random seeks (segments deflated, as recorded): each rebuilds the scene at that moment (sceneAt: the keyframe before it plus
// the messages after) and is checked against the truth (every box's position at that frame).
//
// Measured: the slowest and median seek in the file (any moment of the 10 minutes) and in
// memory (any moment the budget kept); the recorder's bytes against its budget; the heap.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleHost } from "./lib/build.mjs";
import { median, percentile, round } from "./lib/measure.mjs";

export const name = "recording.seek";
const HZ = 60;

// Each box's height at each frame: different for every (frame, box), so a seek that lands on the
// wrong frame is caught; eighths, so their text is short (turning doubles into shortest text was
// most of what making a frame's JSON cost).
const y = (frame, i) => (frame * 1000 + i) / 8;
const box = (i, side, frame) => ({ tag: "Box", key: `box-${i}`, args: [0.5, 0.5, 0.5], position: [((i % side) - side / 2) * 0.6, y(frame, i), (Math.floor(i / side) - side / 2) * 0.6], color: "#4a9" });

/** A frame's message and its frame body (u32 JSON length, the JSON, zero padding to 8: src/protocol/frames.ts). */
function upsert(frame, boxes, side, template) {
  const nodes = new Array(boxes);
  const json = new Array(boxes);
  for (let i = 0; i < boxes; i++) {
    nodes[i] = box(i, side, frame);
    json[i] = template[i][0] + nodes[i].position[1] + template[i][1];
  }
  const message = { etype: "UPSERT", ts: frame, data: { nodes, to: null } };
  const text = `{"etype":"UPSERT","ts":${frame},"data":{"nodes":[${json.join(",")}],"to":null}}`;
  const body = Buffer.alloc((4 + text.length + 7) & ~7); // ASCII: one byte a character
  body.writeUInt32LE(text.length, 0);
  body.write(text, 4, "latin1");
  return { message, body };
}

/** Each box's JSON around its y (the one number that moves), checked once against JSON.stringify. */
function boxTemplate(boxes, side) {
  return Array.from({ length: boxes }, (_, i) => {
    const whole = JSON.stringify(box(i, side, 1)); // frame 1: no y there reads like another number of the box
    const parts = whole.split(`,${JSON.stringify(y(1, i))},`);
    if (parts.length !== 2) throw new Error(`box ${i}: its y is not found once in ${whole}`);
    return [`${parts[0]},`, `,${parts[1]}`];
  });
}

export async function run(ctx) {
  const size = ctx.smoke ? { boxes: 100, seconds: 10, seeks: 20 } : { boxes: 1000, seconds: 600, seeks: 200 };
  const { Recorder, RecordingFileWriter, RecordingReader, DEFAULT_BUDGET_BYTES } = createRequire(import.meta.url)(await bundleHost("src/recording/index.ts", "recording.cjs"));
  const dir = mkdtempSync(join(tmpdir(), "sr-bench-seek-"));
  try {
    const path = join(dir, "boxes.srec");
    const clock = { now: 0 };
    const recorder = new Recorder({ sink: new RecordingFileWriter(path), now: () => clock.now });
    const side = Math.ceil(Math.sqrt(size.boxes));
    const template = boxTemplate(size.boxes, side);
    const first = upsert(1, size.boxes, side, template);
    if (first.body.toString("latin1", 4, 4 + first.body.readUInt32LE(0)) !== JSON.stringify(first.message)) throw new Error("the frame template does not encode as JSON.stringify does");
    const frames = size.seconds * HZ;
    const heap0 = process.memoryUsage().heapUsed;
    let maxHeld = 0;
    let maxHeap = 0;
    const t0 = performance.now();
    recorder.record({ etype: "SESSION_START", ts: 0, file: "boxes.ts", runtime: "node", pid: 0 });
    for (let f = 0; f < frames; f++) {
      clock.now = (f * 1000) / HZ;
      const { message, body } = upsert(f, size.boxes, side, template);
      recorder.record(message, body);
      maxHeld = Math.max(maxHeld, recorder.bytes);
      if (f % 600 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed - heap0);
      // A live session yields between messages: finished segments are deflated meanwhile.
      if (f % HZ === 0) await new Promise((r) => setImmediate(r));
    }
    const recordS = (performance.now() - t0) / 1000;
    await recorder.settled();
    const memory = recorder.reader();
    await recorder.close();
    const fileBytes = statSync(path).size;
    const file = RecordingReader.open(path);

    // The frame a moment shows: the last one sent at or before it.
    const frameAt = (t) => Math.floor((t * HZ) / 1000 + 1e-9);
    const check = (store, t) => {
      const f = frameAt(t);
      for (const i of [0, size.boxes >> 1, size.boxes - 1]) {
        const got = store.get(`box-${i}`)?.props.position?.[1];
        if (got !== y(f, i)) throw new Error(`seek to ${t} ms: box-${i} is at y=${got}, frame ${f} put it at ${y(f, i)}`);
      }
    };
    const seek = (reader, from, to) => {
      // Warm-up, not counted: the decoding path compiled once, as in a host that has seeked before.
      for (let k = 0; k < 5; k++) reader.sceneAt(from + ((to - from) * k) / 5);
      const ms = [];
      let rng = 12345;
      for (let k = 0; k < size.seeks; k++) {
        rng = (rng * 1103515245 + 12345) % 2 ** 31;
        const t = from + ((rng / 2 ** 31) * (to - from));
        const s = performance.now();
        const { store } = reader.sceneAt(t);
        ms.push(performance.now() - s);
        check(store, t);
      }
      return ms;
    };
    const end = ((frames - 1) * 1000) / HZ;
    const fileMs = seek(file, 0, end);
    const memMs = seek(memory, memory.start, end);
    file.close();
    const worst = Math.max(...fileMs, ...memMs);
    ctx.log(`  recorded ${frames} messages in ${round(recordS)} s: file ${round(fileBytes / 2 ** 20)} MB, memory keeps ${round((end - memory.start) / 1000)} s in ${round(maxHeld / 2 ** 20)} MB`);
    return [
      {
        name: "recording.seek", ours: round(worst), peer: 100, ratio: round(worst / 100), peerName: "the goal (100 ms)",
        unit: `ms, slowest of ${2 * size.seeks} seeks (${size.seconds} s of ${size.boxes} boxes at ${HZ} Hz)`,
        goal: "every seek <= 100 ms", met: worst <= 100,
        fileMs: { p50: round(median(fileMs)), p95: round(percentile(fileMs, 95)), max: round(Math.max(...fileMs)) },
        memoryMs: { p50: round(median(memMs)), p95: round(percentile(memMs, 95)), max: round(Math.max(...memMs)) },
        fileMB: round(fileBytes / 2 ** 20), keyframes: file.keyframeTimes.length,
        memoryWindowS: round((end - memory.start) / 1000),
      },
      {
        name: "recording.seek.memory", ours: round(maxHeld / 2 ** 20), peer: round(DEFAULT_BUDGET_BYTES / 2 ** 20), ratio: round(maxHeld / DEFAULT_BUDGET_BYTES),
        peerName: "the default budget", unit: "MB held by the recorder (most at any time)",
        goal: "within the budget", met: maxHeld <= DEFAULT_BUDGET_BYTES,
        heapGrowthMB: round(maxHeap / 2 ** 20),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
