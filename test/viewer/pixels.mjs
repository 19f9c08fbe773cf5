// Pixel helpers for the viewer tests of the program's files, loaders and splats: the canvas
// as RGBA bytes, the share of a colour in a region, and a PNG encoder for test images.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

/** RGBA bytes of the viewer's canvas; with SCENE_SHOTS=dir the page is also saved as dir/<name>.png to look at. */
export async function frame(v, name) {
  if (process.env.SCENE_SHOTS && name) await v.page.screenshot({ path: `${process.env.SCENE_SHOTS}/${name}.png` });
  const b64 = await v.page.evaluate(async () => {
    const png = await window.__sceneViewer.png();
    const bm = await createImageBitmap(new Blob([png], { type: "image/png" }));
    const c = new OffscreenCanvas(bm.width, bm.height);
    const g = c.getContext("2d");
    g.drawImage(bm, 0, 0);
    const d = g.getImageData(0, 0, bm.width, bm.height).data;
    let s = "";
    for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return Buffer.from(b64, "base64");
}

/** Share (0..1) of pixels in [x0, y0, x1, y1) (fractions of the 640x480 frame) for which `pred(r, g, b)` holds. */
export function share(px, pred, [x0, y0, x1, y1] = [0, 0, 1, 1], W = 640, H = 480) {
  let n = 0, hit = 0;
  for (let y = Math.floor(y0 * H); y < Math.floor(y1 * H); y++) {
    for (let x = Math.floor(x0 * W); x < Math.floor(x1 * W); x++) {
      const i = (y * W + x) * 4;
      n++;
      if (pred(px[i], px[i + 1], px[i + 2])) hit++;
    }
  }
  return hit / n;
}

export const red = (r, g, b) => r > 150 && g < 80 && b < 80;
export const green = (r, g, b) => g > 150 && r < 100 && b < 100;
export const blue = (r, g, b) => b > 150 && r < 80 && g < 80;
export const notBackground = (r, g, b) => Math.abs(r - 30) + Math.abs(g - 30) + Math.abs(b - 30) > 40;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const x of buf) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const t = Buffer.from(type, "ascii");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(Buffer.concat([t, data])));
  return Buffer.concat([len, t, data, c]);
};

/**
 * A PNG of w x h pixels: `pixel(x, y)` returns [r, g, b] (colour, 8 bits) or a number
 * (grey; 16 bits when `bits` is 16, as depth images are stored).
 */
export function png(w, h, pixel, { grey = false, bits = 8 } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = bits;
  ihdr[9] = grey ? 0 : 2;
  const bpp = (grey ? 1 : 3) * (bits / 8);
  const stride = 1 + w * bpp;
  const rows = Buffer.alloc(h * stride);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = y * stride + 1 + x * bpp;
      const v = pixel(x, y);
      if (grey && bits === 16) rows.writeUInt16BE(v, at);
      else if (grey) rows[at] = v;
      else rows.set(v, at);
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

export const writePng = (path, ...args) => writeFileSync(path, png(...args));
