// The stage's default grid steps aside when the scene brings a Grid node of its own (vuer's
// DefaultScene does), so a vuer program never shows two grids; removing that node brings it back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, REMOVE, SET } from "./harness.mjs";

let v;
before(async () => (v = await openViewer({ width: 640, height: 480 })));
after(async () => v?.close());

/** Pixels in the view's lower band that differ from the top-left (background) pixel: grid lines. */
const gridPixels = () =>
  v.page.evaluate(async () => {
    const png = await window.__sceneViewer.png();
    const bm = await createImageBitmap(new Blob([png], { type: "image/png" }));
    const c = new OffscreenCanvas(bm.width, bm.height);
    const g = c.getContext("2d");
    g.drawImage(bm, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, bm.width, bm.height);
    const bg = [data[0], data[1], data[2]];
    let n = 0;
    // The outer band (left and right thirds, bottom quarter): a 1 m grid at the origin does not reach it.
    for (let y = Math.floor(height * 0.75); y < height; y++)
      for (const [x0, x1] of [[0, width / 3], [(2 * width) / 3, width]])
        for (let x = Math.floor(x0); x < x1; x++) {
          const i = (y * width + x) * 4;
          if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 24) n++;
        }
    return n;
  });

test("the default grid shows, hides for a Grid node, and comes back when it goes", async () => {
  await v.send(SET([]));
  const withDefault = await gridPixels();
  assert.ok(withDefault > 200, `the default grid is drawn (${withDefault} px)`);
  await v.send(SET([{ tag: "Grid", key: "g", args: [1, 2] }]));
  const withOwn = await gridPixels();
  assert.ok(withOwn < withDefault / 10, `only the program's small grid (${withOwn} px, default ${withDefault})`);
  await v.send(REMOVE("g"));
  assert.ok((await gridPixels()) > withDefault * 0.8, "the default grid is back");
  assert.deepEqual(v.errors, []);
});
