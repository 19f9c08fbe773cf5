// The timeline strip in the real viewer page (headless Chromium): it appears only when the host
// sends timeline data, draws one lane per task coloured by state, and its scrubber, Live button
// and spans post seek / openSource messages the host acts on; the host's own return to the
// present (the Tasks view's Back to Live) stops a playing strip.
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET } from "./harness.mjs";

let v;
before(async () => {
  v = await openViewer({ width: 800, height: 500 });
  await v.send(SET([{ tag: "Box", key: "b", color: "red" }]));
});
after(async () => v?.close());

const spans = [
  { id: "main", name: "main", parent: null, start: 0, state: "running", file: "/w/prog.ts", line: 3 },
  { id: "w", name: "worker", parent: "main", start: 1000, end: 6000, state: "done", file: "/w/prog.ts", line: 9 },
  { id: "f", name: "fails", parent: "main", start: 2000, end: 4000, state: "failed" },
];
const timeline = (extra = {}) => ({ t: "timeline", duration: 10_000, live: true, cursor: null, spans, markers: [{ t: 4000, kind: "error", label: "fails failed: Error: boom", task: "f" }], omitted: 0, ...extra });

/** The strip's canvas pixel (CSS px) as RGBA. */
const canvasPixel = (x, y) =>
  v.page.evaluate(([x, y]) => {
    const c = document.querySelector(".sr-tl-canvas");
    const dpr = c.width / c.clientWidth;
    return Array.from(c.getContext("2d").getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data);
  }, [x, y]);

test("no strip until the host sends timeline data (a snapshot never shows one)", async () => {
  assert.equal(await v.page.locator(".sr-timeline").isVisible(), false);
});

test("the strip opens and draws a lane per task in tree order, coloured by state", async () => {
  await v.post(timeline());
  await v.page.locator(".sr-tl-toggle").click();
  const canvas = v.page.locator(".sr-tl-canvas");
  await canvas.waitFor({ state: "visible" });
  const box = await canvas.boundingBox();
  const x = (t) => (t / 10_000) * box.width;
  // Lanes under an 18 px ruler, 12 px each: main (running: blue), worker (done: green), fails (failed: red).
  const main = await canvasPixel(x(500), 18 + 6);
  const worker = await canvasPixel(x(3000), 18 + 12 + 6);
  const fails = await canvasPixel(x(3000), 18 + 24 + 6);
  assert.ok(main[2] > main[0] && main[2] > 150, `main's lane is blue: ${main}`);
  assert.ok(worker[1] > worker[0] && worker[1] > 120, `worker's lane is green: ${worker}`);
  assert.ok(fails[0] > 150 && fails[0] > fails[1], `fails' lane is red: ${fails}`);
  const empty = await canvasPixel(x(500), 18 + 12 + 6);
  assert.equal(empty[3], 0, "before worker spawned its lane is empty");
  mkdirSync(join(root, "test-results"), { recursive: true });
  writeFileSync(join(root, "test-results", "timeline-strip.png"), await v.page.screenshot());
  assert.match(await v.page.locator(".sr-tl-time").innerText(), /live · 10\.0 s/);
});

test("a click on the ruler seeks there; Live returns to the present", async () => {
  const canvas = v.page.locator(".sr-tl-canvas");
  const box = await canvas.boundingBox();
  const before = v.received.length;
  await canvas.click({ position: { x: box.width * 0.25, y: 8 } });
  const seek = await v.waitFor((m, i) => m.t === "seek" && v.received.indexOf(m) >= before);
  assert.ok(Math.abs(seek.at - 2500) < 100, `seek to ${seek.at}`);
  assert.match(await v.page.locator(".sr-tl-time").innerText(), /2\.5 s \/ 10\.0 s · runs on/);
  const n = v.received.length;
  await v.page.locator(".sr-tl-live").click();
  await v.waitFor((m) => m.t === "seek" && m.at === null && v.received.indexOf(m) >= n);
  assert.match(await v.page.locator(".sr-tl-time").innerText(), /^live/);
});

test("dragging scrubs (the last position always reaches the host); a click on a span opens its source", async () => {
  const canvas = v.page.locator(".sr-tl-canvas");
  const box = await canvas.boundingBox();
  const n = v.received.length;
  await v.page.mouse.move(box.x + box.width * 0.8, box.y + 8);
  await v.page.mouse.down();
  for (let i = 1; i <= 10; i++) await v.page.mouse.move(box.x + box.width * (0.8 - i * 0.05), box.y + 8);
  await v.page.mouse.up();
  await v.waitFor(() => {
    const seeks = v.received.slice(n).filter((m) => m.t === "seek");
    return seeks.length > 0 && Math.abs(seeks[seeks.length - 1].at - 3000) < 100;
  });
  const k = v.received.length;
  await canvas.click({ position: { x: box.width * 0.3, y: 18 + 12 + 6 } });
  const open = await v.waitFor((m) => m.t === "openSource" && v.received.indexOf(m) >= k);
  assert.deepEqual(open, { t: "openSource", file: "/w/prog.ts", line: 9 });
});

test("the host's cursor wins when it differs (the view shows what the host shows)", async () => {
  await v.post(timeline({ cursor: 7000, duration: 12_000 }));
  await v.page.waitForFunction(() => document.querySelector(".sr-timeline")?.dataset.cursor === "7000");
  assert.deepEqual(v.errors, []);
});

/** Waits `frames` animation frames in the page, then `ms` more: time a playing strip would have used to seek. */
const frames = (frames, ms) =>
  v.page.evaluate(([frames, ms]) => new Promise((done) => {
    let n = 0;
    const step = () => (++n >= frames ? setTimeout(done, ms) : requestAnimationFrame(step));
    requestAnimationFrame(step);
  }), [frames, ms]);

test("the host's Back to Live stops a playing strip: it shows Live and sends no further seek", async () => {
  // Ten minutes: playing at 1x never reaches the end (where a strip goes live by itself).
  const long = { duration: 600_000 };
  await v.post(timeline({ ...long, cursor: 2000, liveEpoch: 0 }));
  await v.page.waitForFunction(() => document.querySelector(".sr-timeline")?.dataset.cursor === "2000");
  const n = v.received.length;
  await v.page.locator(".sr-tl-play").click();
  const playing = await v.waitFor((m) => m.t === "seek" && m.at > 2000 && v.received.indexOf(m) >= n);
  assert.equal(playing.epoch, 0, "seeks carry the epoch the strip has seen");
  assert.equal(await v.page.locator(".sr-tl-play").getAttribute("aria-label"), "Pause");

  await v.post(timeline({ ...long, cursor: null, liveEpoch: 1 })); // the Tasks view's Back to Live
  const k = v.received.length;
  await frames(30, 300); // a playing strip seeks every 50 ms; a seek waiting to go leaves within 50 ms
  assert.deepEqual(v.received.slice(k).filter((m) => m.t === "seek"), [], "no seek after the host went live");
  assert.equal(await v.page.evaluate(() => document.querySelector(".sr-timeline").dataset.cursor), "live");
  assert.equal(await v.page.locator(".sr-tl-play").getAttribute("aria-label"), "Play the past from here");
  assert.match(await v.page.locator(".sr-tl-time").innerText(), /^live/);

  // The user scrubs again afterwards: obeyed, under the new epoch.
  const box = await v.page.locator(".sr-tl-canvas").boundingBox();
  await v.page.locator(".sr-tl-canvas").click({ position: { x: box.width * 0.5, y: 8 } });
  const again = await v.waitFor((m) => m.t === "seek" && m.at !== null && v.received.indexOf(m) >= k);
  assert.equal(again.epoch, 1);
  assert.deepEqual(v.errors, []);
});
