// Record and replay end to end: `run --record` on the real runner with a program of known
// timing, then `snapshot --from <rec> --at T` pictures (real CLI, real headless Chromium):
// each shows the scene as the recording says it was at T, and a live snapshot's picture
// equals the replay of its own moment, pixel for pixel.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";
import { root, runCli } from "../helpers/cli.mjs";
import { openViewer } from "../viewer/harness.mjs";

const { RecordingReader } = await loadTs("src/recording/reader.ts");
const program = join(root, "test", "cli", "fixtures", "phases.ts");
const env = { PHASE_MS: "1000" };
const dir = mkdtempSync(join(tmpdir(), "sr-record-"));
// The pictures stay where a person can look at them.
const pictures = join(root, "node_modules", ".cache", "scene-runner-tests", "record");
mkdirSync(pictures, { recursive: true });
let page; // a Chromium page that decodes PNGs
before(async () => (page = await openViewer()));
after(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Fractions of the picture that are the box's colours and the ball's white. */
function colours(png) {
  return page.page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bm = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const g = new OffscreenCanvas(bm.width, bm.height).getContext("2d");
    g.drawImage(bm, 0, 0);
    const d = g.getImageData(0, 0, bm.width, bm.height).data;
    const n = { red: 0, blue: 0, green: 0, white: 0 };
    for (let i = 0; i < d.length; i += 4) {
      const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
      if (r > 150 && gr < 80 && b < 80) n.red++;
      else if (b > 150 && r < 80 && gr < 80) n.blue++;
      else if (gr > 150 && r < 80 && b < 80) n.green++;
      else if (r > 200 && gr > 200 && b > 200) n.white++;
    }
    for (const k of Object.keys(n)) n[k] /= d.length / 4;
    return n;
  }, png.toString("base64"));
}

/** Fraction of pixels that differ by more than a little in any channel. */
function difference(a, b) {
  return page.page.evaluate(async ([a64, b64]) => {
    const pixels = async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bm = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      const g = new OffscreenCanvas(bm.width, bm.height).getContext("2d");
      g.drawImage(bm, 0, 0);
      return g.getImageData(0, 0, bm.width, bm.height).data;
    };
    const [p, q] = [await pixels(a64), await pixels(b64)];
    if (p.length !== q.length) return 1;
    let diff = 0;
    for (let i = 0; i < p.length; i += 4) if (Math.abs(p[i] - q[i]) > 16 || Math.abs(p[i + 1] - q[i + 1]) > 16 || Math.abs(p[i + 2] - q[i + 2]) > 16) diff++;
    return diff / (p.length / 4);
  }, [a.toString("base64"), b.toString("base64")]);
}

async function replay(rec, at, name) {
  const out = join(pictures, name);
  const r = await runCli(["snapshot", "--from", rec, "--at", String(at), "--out", out, "--size", "480x270"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`wrote .* at ${at} ms\\)`));
  return readFileSync(out);
}

test("run --record, then snapshot --from at any recorded moment draws the scene of that moment", { timeout: 180_000 }, async () => {
  const rec = join(dir, "phases.srec");
  const r = await runCli(["run", program, "--record", rec], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^scene-runner: recorded \d+ records \(\d+\.\d s\) to .*phases\.srec\n$/);

  const reader = RecordingReader.open(rec);
  assert.deepEqual(reader.warnings, []);
  assert.equal(reader.header.program, program);
  // When each phase began, by the recording's own clock.
  const colourAt = new Map();
  for (const x of reader.records()) if (x.m.etype === "UPSERT") colourAt.set(x.m.data.nodes[0].color, x.t);
  const [red, blue, green] = ["red", "blue", "lime"].map((c) => colourAt.get(c));
  assert.ok(red < blue && blue < green && green <= reader.end, `phases at ${red}, ${blue}, ${green}; end ${reader.end}`);
  const ticker = (t) => reader.tasksAt(t).find((x) => x.name === "ticker")?.state;
  assert.equal(ticker((red + blue) / 2), "running");
  assert.equal(ticker(reader.end), "cancelled");
  assert.ok(reader.markers().some((m) => m.kind === "cancel" && /ticker/.test(m.label)));
  reader.close();

  // Out of order on purpose: seeks go backwards and forwards.
  const phase3 = await colours(await replay(rec, Math.round((green + reader.end) / 2), "phase3.png"));
  const phase1 = await colours(await replay(rec, Math.round((red + blue) / 2), "phase1.png"));
  const phase2 = await colours(await replay(rec, Math.round((blue + green) / 2), "phase2.png"));
  assert.ok(phase1.red > 0.05 && phase1.blue === 0 && phase1.green === 0 && phase1.white < 0.001, JSON.stringify(phase1));
  assert.ok(phase2.blue > 0.05 && phase2.red === 0 && phase2.green === 0 && phase2.white > 0.01, JSON.stringify(phase2));
  assert.ok(phase3.green > 0.05 && phase3.red === 0 && phase3.blue === 0 && phase3.white < 0.001, JSON.stringify(phase3));
});

test("a live snapshot's picture equals the replay of its recording at the same moment", { timeout: 180_000 }, async () => {
  const rec = join(dir, "live.srec");
  const live = join(pictures, "live.png");
  const r = await runCli(["snapshot", program, "--at", "1500", "--out", live, "--size", "480x270", "--record", rec], { env });
  assert.equal(r.code, 0, r.stderr);
  const at = Number(/recording time ([\d.]+) ms/.exec(r.stderr)?.[1]);
  assert.ok(at >= 1500, r.stderr);
  const replayed = await replay(rec, at, "live-replayed.png");
  const d = await difference(readFileSync(live), replayed);
  assert.ok(d < 0.002, `${(d * 100).toFixed(2)}% of the pixels differ`);
});

test("a run killed while it records leaves a file that still draws every moment written before the kill", { timeout: 180_000 }, async () => {
  const rec = join(dir, "killed.srec");
  const running = runCli(["run", program, "--record", rec], { env: { PHASE_MS: "1500" } });
  // The file is readable while it is written (no index yet: it is scanned). Wait for the blue phase in it.
  let blue;
  for (let waited = 0; blue === undefined; waited += 100) {
    assert.ok(waited < 120_000, "the blue phase never reached the file");
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(rec)) continue;
    try {
      const reader = RecordingReader.fromBuffer(readFileSync(rec));
      blue = [...reader.records()].find((x) => x.m.etype === "UPSERT" && x.m.data.nodes[0].color === "blue")?.t;
    } catch {
      // the header is not written yet
    }
  }
  running.child.kill("SIGKILL"); // no index, no trailer, maybe half a segment
  assert.equal((await running).signal, "SIGKILL");
  const out = join(pictures, "killed.png");
  const r = await runCli(["snapshot", "--from", rec, "--at", String(blue + 1), "--out", out, "--size", "480x270"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /killed\.srec (has no index|was cut short at byte \d+) \(its writer did not finish\)/);
  const c = await colours(readFileSync(out));
  assert.ok(c.blue > 0.05 && c.red === 0 && c.green === 0, JSON.stringify(c));
});

test("bad recordings and paths are one-line usage errors", { timeout: 60_000 }, async () => {
  const out = join(dir, "x.png");
  const bogus = join(dir, "bogus.srec");
  writeFileSync(bogus, "not a recording\n");
  const cases = [
    [["snapshot", "--from", join(dir, "missing.srec"), "--out", out], /missing\.srec: no such file/],
    [["snapshot", "--from", bogus, "--out", out], /bogus\.srec is not a Scene Runner recording/],
    [["snapshot", program, "--from", bogus, "--out", out], /--from draws a recording; a scene file .* is not run with it/],
    [["snapshot", "--from", bogus], /missing --out/],
    [["run", program, "--record", join(dir, "no", "such", "dir.srec")], /--record .*dir\.srec: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr.split("\n")[0], message);
  }
});
