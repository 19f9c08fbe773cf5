// End to end: an unmodified-style vuer program (real CPython) names its own files by
// app.localhost_prefix and vuer's /static/ route; `scene-runner snapshot` draws them from the
// program's folder, and a missing one is one line on stderr naming it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { inflateSync } from "node:zlib";
import { root } from "./harness.mjs";

const dir = mkdtempSync(join(tmpdir(), "sr-assets-snapshot-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** RGB of an 8-bit RGB/RGBA PNG (what Chromium writes), as rows. */
function decodePng(buf) {
  const w = buf.readUInt32BE(16), h = buf.readUInt32BE(20), ch = buf[25] === 6 ? 4 : 3;
  const idat = [];
  for (let o = 8; o < buf.length; ) {
    const len = buf.readUInt32BE(o), type = buf.toString("ascii", o + 4, o + 8);
    if (type === "IDAT") idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat)), stride = w * ch, out = Buffer.alloc(h * stride);
  for (let y = 0; y < h; y++) {
    const f = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= ch ? out[y * stride + x - ch] : 0, b = y ? out[(y - 1) * stride + x] : 0, c = x >= ch && y ? out[(y - 1) * stride + x - ch] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      out[y * stride + x] = (line[x] + pred) & 255;
    }
  }
  return { w, h, ch, px: out };
}

test("snapshot of a vuer program draws its own OBJ from localhost_prefix; a missing /static/ file is one stderr line", () => {
  copyFileSync(join(root, "test", "fixtures", "assets", "cube.obj"), join(dir, "cube.obj"));
  writeFileSync(join(dir, "prog.py"), `
from vuer import Vuer, VuerSession
from vuer.schemas import Obj, PerspectiveCamera, Scene

app = Vuer()

@app.spawn(start=True)
async def main(sess: VuerSession):
    sess.set @ Scene(
        Obj(key="cube", src=app.localhost_prefix + "/cube.obj", color="red", materialType="basic"),
        Obj(key="gone", src="http://localhost:8012/static/missing.obj"),
        bgChildren=[PerspectiveCamera(key="cam", makeDefault=True, position=[0, 0, 3], fov=50)],
        grid=False,
    )
`);
  const out = join(dir, "out.png");
  const r = spawnSync(process.execPath, [join(root, "bin", "scene-runner.js"), "snapshot", join(dir, "prog.py"), "--out", out, "--size", "320x240"], { encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l.includes("missing.obj"));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /missing\.obj: no such file in the program's folder/);
  const { w, h, ch, px } = decodePng(readFileSync(out));
  let red = 0;
  for (let y = Math.floor(h * 0.4); y < h * 0.6; y++) for (let x = Math.floor(w * 0.4); x < w * 0.6; x++) {
    const i = (y * w + x) * ch;
    if (px[i] > 150 && px[i + 1] < 80 && px[i + 2] < 80) red++;
  }
  assert.ok(red / (0.2 * w * 0.2 * h) > 0.9, `the cube from the program's folder fills the middle (${red})`);
});
