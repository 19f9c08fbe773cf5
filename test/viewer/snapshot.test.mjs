// `scene-runner snapshot`: the real program, the real bundle, a PNG that shows the scene.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { openViewer, root } from "./harness.mjs";

const run = promisify(execFile);
const cli = join(root, "dist", "cli.js");
let dir;
let page; // any Chromium page, to decode PNGs
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sr-snap-"));
  page = await openViewer();
});
after(async () => {
  await page?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function redFraction(png, box) {
  return page.page.evaluate(
    async ([b64, [x0, y0, x1, y1]]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bm = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      const c = new OffscreenCanvas(bm.width, bm.height);
      const g = c.getContext("2d");
      g.drawImage(bm, 0, 0);
      const d = g.getImageData(x0, y0, x1 - x0, y1 - y0).data;
      let red = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 120 && d[i + 1] < 60 && d[i + 2] < 60) red++;
      return { w: bm.width, h: bm.height, red: red / (d.length / 4) };
    },
    [png.toString("base64"), box],
  );
}

test("snapshot of the spinning box example shows the red box in the middle", async () => {
  const out = join(dir, "box.png");
  const { stderr } = await run(process.execPath, [cli, "snapshot", join(root, "examples", "spinning-box.ts"), "--out", out, "--size", "640x360"], { timeout: 60_000 });
  assert.match(stderr, /wrote/);
  const png = readFileSync(out);
  const { w, h, red } = await redFraction(png, [220, 100, 420, 260]);
  assert.deepEqual([w, h], [640, 360]);
  assert.ok(red > 0.05, `red pixels around the centre: ${(red * 100).toFixed(1)}%`);
});

test("--at waits that long; bad arguments and a missing Chromium are clear usage errors", async () => {
  const out = join(dir, "later.png");
  const t0 = Date.now();
  await run(process.execPath, [cli, "snapshot", join(root, "examples", "spinning-box.ts"), "--out", out, "--at", "1500"], { timeout: 60_000 });
  assert.ok(Date.now() - t0 >= 1500);
  assert.ok(readFileSync(out).length > 1000);

  await assert.rejects(run(process.execPath, [cli, "snapshot", join(root, "examples", "spinning-box.ts")]), (e) => e.code === 2 && /--out/.test(e.stderr));
  await assert.rejects(run(process.execPath, [cli, "snapshot", join(root, "examples", "spinning-box.ts"), "--out", out, "--size", "big"]), (e) => e.code === 2 && /--size/.test(e.stderr));
  await assert.rejects(
    run(process.execPath, [cli, "snapshot", join(root, "examples", "spinning-box.ts"), "--out", out], { env: { ...process.env, CHROME_PATH: "/nonexistent/chrome" } }),
    (e) => e.code === 2 && /CHROME_PATH/.test(e.stderr),
  );
});
