// Video in the real viewer: VideoPlane, StereoVideoPlane (the left eye), VideoMaterial and
// HUDPlane, from a WebM the test records in the page itself (MediaRecorder on a canvas: no
// video tool needed) and puts in the program's folder. WebRTC planes are one warning.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, SET } from "./harness.mjs";
import { blue, frame, green, share } from "./pixels.mjs";

const dir = mkdtempSync(join(tmpdir(), "sr-video-"));
let v;
before(async () => {
  v = await openViewer({ assets: { root: dir, workspace: "" } });
  // Two short WebM clips: all green, and green | blue side by side (a stereo pair).
  for (const [name, halves] of [["green.webm", ["#00ff00", "#00ff00"]], ["stereo.webm", ["#00ff00", "#0000ff"]]]) {
    const b64 = await v.page.evaluate(async (halves) => {
      const c = document.createElement("canvas");
      c.width = 128;
      c.height = 64;
      const g = c.getContext("2d");
      const paint = () => {
        g.fillStyle = halves[0];
        g.fillRect(0, 0, 64, 64);
        g.fillStyle = halves[1];
        g.fillRect(64, 0, 64, 64);
      };
      paint();
      const rec = new MediaRecorder(c.captureStream(30), { mimeType: "video/webm;codecs=vp8" });
      const parts = [];
      rec.ondataavailable = (e) => parts.push(e.data);
      const done = new Promise((r) => (rec.onstop = r));
      rec.start();
      for (let i = 0; i < 20; i++) {
        paint();
        await new Promise((r) => setTimeout(r, 50));
      }
      rec.stop();
      await done;
      const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }, halves);
    writeFileSync(join(dir, name), Buffer.from(b64, "base64"));
  }
});
after(async () => {
  await v?.close();
  rmSync(dir, { recursive: true, force: true });
});

const camera = { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50 };
const scene = (children, cam = camera) => SET(children, { grid: false, bgChildren: [cam] });
const warningsFor = (key) => v.warnings().filter((w) => w.key === key).map((w) => w.message);
async function until(pred, what, name) {
  let px;
  for (let i = 0; i < 80; i++) {
    px = await frame(v, name);
    if (pred(px)) return px;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${what}: not seen after 20 s`);
}

test("VideoPlane plays the program's own video; StereoVideoPlane shows the left eye; VideoMaterial maps a mesh", async () => {
  await v.send(scene([]));
  const empty = await v.stats();
  await v.send(scene([
    { tag: "VideoPlane", key: "vp", src: "http://localhost:8012/workspace/green.webm", height: 1, position: [-1.3, 0.8, 0] },
    { tag: "StereoVideoPlane", key: "sv", src: "stereo.webm", height: 1, position: [1.3, 0.8, 0] },
    { tag: "Box", key: "box", args: [1, 1, 1], position: [0, -1, 0], children: [{ tag: "VideoMaterial", key: "vm", src: "green.webm" }] },
  ]));
  const px = await until((px) => share(px, green, [0.25, 0.26, 0.33, 0.38]) > 0.8 && share(px, green, [0.67, 0.26, 0.75, 0.38]) > 0.8 && share(px, green, [0.47, 0.66, 0.53, 0.74]) > 0.8, "three green videos", "video-planes");
  // The stereo plane shows one eye: no blue half, and a square picture (the 2:1 frame holds two 1:1 eyes).
  assert.ok(share(px, blue) < 0.002, "the right eye (blue) is not shown");
  assert.ok(share(px, green, [0.81, 0.26, 0.86, 0.38]) < 0.1, "the stereo plane is one eye wide");
  for (const k of ["vp", "sv", "vm", "box"]) {
    assert.equal((await v.node(k)).placeholder, false, k);
    assert.deepEqual(warningsFor(k), [], k);
  }
  await v.send(scene([]));
  await frame(v);
  const now = await v.stats();
  assert.deepEqual([now.geometries, now.textures], [empty.geometries, empty.textures], "videos and their textures are freed");
});

test("HUDPlane stays in front of the camera; a missing video and WebRTC planes are one warning each", async () => {
  const hud = { tag: "HUDPlane", key: "hud", distanceToCamera: 2, height: 0.5, aspect: 1, color: "#00ff00" };
  await v.send(scene([hud]));
  const a = await frame(v, "video-hud");
  assert.ok(share(a, green, [0.45, 0.45, 0.55, 0.55]) > 0.9, "centred");
  await v.send(scene([hud], { ...camera, position: [3, 2, 4], lookAt: [5, 0, -3] }));
  assert.ok(share(await frame(v), green, [0.45, 0.45, 0.55, 0.55]) > 0.9, "still centred after the camera moved");

  await v.send(scene([
    { tag: "VideoPlane", key: "gone", src: "http://localhost:8012/workspace/nope.webm" },
    { tag: "WebRTCVideoPlane", key: "rtc", stream: "camera-feed" },
  ]));
  await until(() => warningsFor("gone").length > 0, "the missing video's warning");
  assert.match(warningsFor("gone")[0], /could not play nope\.webm/);
  assert.equal(warningsFor("rtc").length, 1);
  assert.match(warningsFor("rtc")[0], /WebRTC stream negotiated through vuer's own server/);
  assert.equal((await v.node("rtc")).placeholder, false);
});
