// Pixels of the viewer's canvas in a real-VS-Code or browser test (a page, or the webview's
// frame): once the viewer is idle, how many pixels match `pred`, and where they are on average.
import { decode } from "fast-png";

/** `{ share, x, y }`: the share of the canvas's pixels matching `pred(r, g, b)` and their centre in CSS pixels. */
export async function canvasPixels(frame, pred) {
  await frame.evaluate(() => window.__sceneViewer.idle());
  const canvas = frame.locator("canvas").first();
  const png = decode(await canvas.screenshot());
  let n = 0, sx = 0, sy = 0;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const o = (y * png.width + x) * png.channels;
      if (pred(png.data[o], png.data[o + 1], png.data[o + 2])) (n++, (sx += x), (sy += y));
    }
  const box = await canvas.boundingBox();
  return { share: n / (png.width * png.height), x: ((sx / n) * box.width) / png.width, y: ((sy / n) * box.height) / png.height };
}
