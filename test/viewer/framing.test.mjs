// Framing and the viewer's chrome, in the real bundle in headless Chromium: the first draw frames
// content the home view misses, a program's camera is left alone, F and the toolbar frame the
// selection or everything, the axes gizmo snaps to an axis view, white points stay visible on a
// light theme, and the toolbar's buttons are codicons with names.
// SCENE_RUNNER_SHOTS=<folder> writes the pictures looked at (both themes, gizmo in its corner).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, SET, UPSERT } from "./harness.mjs";
import { frame } from "./pixels.mjs";

const shots = process.env.SCENE_RUNNER_SHOTS;
if (shots) mkdirSync(shots, { recursive: true });
const save = (name, png) => shots && writeFileSync(join(shots, name), png);

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const HOME = [2.4, 2, 3.2];
const camera = () => v.page.evaluate(() => window.__sceneViewer.camera().camera);
const near = (a, b, eps = 1e-3) => a.every((x, i) => Math.abs(x - b[i]) <= eps * Math.max(1, Math.abs(b[i])));
const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** A fresh page (the first draw is framed once per page) showing `children`. */
async function newRun(children, extra = {}) {
  await v.page.reload();
  await v.page.waitForFunction(() => window.__sceneViewer !== undefined);
  await v.send(SET(children, extra));
  // Let the frame the framing asked for settle.
  await v.idle();
}

/**
 * Share and centroid (in pixels) of the pixels `kind` picks, in a PNG: `png()` (the scene alone) or a
 * page screenshot given as bytes.
 */
async function measure(kind, bytes) {
  return v.page.evaluate(
    async ([kind, b64]) => {
      const png = b64 ? Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)) : await window.__sceneViewer.png();
      const bm = await createImageBitmap(new Blob([png], { type: "image/png" }));
      const c = new OffscreenCanvas(bm.width, bm.height);
      const g = c.getContext("2d");
      g.drawImage(bm, 0, 0);
      const d = g.getImageData(0, 0, bm.width, bm.height).data;
      const picks = {
        red: (r, gr, b) => r > 120 && gr < 70 && b < 70,
        blue: (r, gr, b) => b > 120 && r < 70 && gr < 90,
        green: (r, gr, b) => gr > 120 && r < 70 && b < 70,
      };
      const pick = picks[kind];
      let n = 0, sx = 0, sy = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (!pick(d[i], d[i + 1], d[i + 2])) continue;
        const p = i / 4;
        n++;
        sx += p % bm.width;
        sy += Math.floor(p / bm.width);
      }
      return { share: n / (d.length / 4), x: n ? sx / n : NaN, y: n ? sy / n : NaN, w: bm.width, h: bm.height };
    },
    [kind, bytes ? bytes.toString("base64") : null],
  );
}

const box = (key, position, color, size = 0.5) => ({ tag: "Box", key, args: [size, size, size], position, color, materialType: "basic" });

test("the first draw frames a small far-off object; a scene the home view shows keeps the home view", async () => {
  await newRun([box("far", [40, 5, -30], "red")], { grid: false });
  const cam = await camera();
  assert.ok(near(cam.target, [40, 5, -30]), `the camera looks at the object: ${cam.target}`);
  const red = await measure("red");
  assert.ok(red.share > 0.08, `the object covers ${(red.share * 100).toFixed(1)}% of the picture`);
  assert.ok(Math.abs(red.x - red.w / 2) < red.w * 0.05 && Math.abs(red.y - red.h / 2) < red.h * 0.05, `centred: ${red.x}, ${red.y}`);
  save("framing-first-draw.png", await v.screenshot());

  await newRun([box("near", [0, 0.5, 0], "red", 1)]);
  assert.ok(near((await camera()).position, HOME), "a box at the origin is shown well from the home view: not moved");
});

test("a camera the program sets is left alone (a camera node, controls props, the Scene's camPosition)", async () => {
  const far = box("far", [40, 5, -30], "red");
  await newRun([far, { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 1, 6], lookAt: [0, 0, 0] }]);
  let cam = await camera();
  assert.ok(near(cam.position, [0, 1, 6]), `the camera node's place: ${cam.position}`);
  assert.ok(near(cam.target, [0, 0, 0]), `looking where it says: ${cam.target}`);

  await newRun([far, { tag: "OrbitControls", key: "orbit", target: [1, 0, 0], position: [4, 3, 4] }]);
  cam = await camera();
  assert.ok(near(cam.position, [4, 3, 4]) && near(cam.target, [1, 0, 0]), `the controls' camera: ${cam.position} -> ${cam.target}`);

  await newRun([far], { camPosition: [0, 8, 8] });
  assert.ok(near((await camera()).position, [0, 8, 8]), "the Scene's camPosition");
  assert.equal((await measure("red")).share, 0, "the far object stays out of view");
});

test("F and the toolbar's frame button frame the selection, or everything; not while typing in an input", async () => {
  await newRun([box("left", [-6, 0.5, 0], "red", 1.5), box("right", [6, 0.5, 0], "blue", 1.5), { tag: "Input", key: "name", placeholder: "type here" }], { grid: false });
  // The user looks elsewhere (a wheel zoom over the canvas), so neither box is in view.
  await v.page.mouse.move(320, 240);
  for (let i = 0; i < 8; i++) await v.page.mouse.wheel(0, -400);
  await v.page.evaluate(() => window.__sceneViewer.idle());
  await v.page.evaluate(() => document.querySelector(".sr-canvas").focus());

  await v.page.keyboard.press("f");
  await v.idle();
  let cam = await camera();
  assert.ok(dist(cam.target, [0, 0.5, 0]) < 0.05, `F frames everything: target ${cam.target}`);
  const [red, blue] = [await measure("red"), await measure("blue")];
  assert.ok(red.share > 0.003 && blue.share > 0.003, `both boxes in view: ${red.share}, ${blue.share}`);
  assert.ok(red.x < blue.x, "left on the left");

  await v.post({ t: "select", key: "right", frame: false });
  await v.idle();
  await v.page.keyboard.press("F");
  await v.idle();
  cam = await camera();
  assert.ok(dist(cam.target, [6, 0.5, 0]) < 0.05, `F frames the selected node: target ${cam.target}`);
  assert.ok((await measure("blue")).share > 0.05, "the selected box fills the view");
  assert.equal((await measure("red")).share, 0, "the other one is out of view");

  // Typing an "f" into the scene's Input widget is text, not a key for the viewer.
  const before = await camera();
  await v.post({ t: "select", key: null, frame: false });
  await v.idle();
  await v.page.click(".sr-input");
  await v.page.keyboard.type("ff");
  await v.idle();
  assert.deepEqual((await camera()).position, before.position, "typing moved nothing");
  assert.equal(await v.page.inputValue(".sr-input"), "ff");

  await v.page.click('.sr-tool[aria-label^="Frame all"]');
  await v.idle();
  assert.ok(dist((await camera()).target, [0, 0.5, 0]) < 0.05, "the toolbar button frames everything again");
});

test("clicking the gizmo's X swings the camera to look along -X", async () => {
  // Red behind the origin (z = -1), blue in front (z = +1): seen along -X they are mirror images.
  await newRun([box("back", [0, 0.5, -1], "red", 0.4), box("front", [0, 0.5, 1], "blue", 0.4)], { grid: false });
  const symmetric = async () => {
    const [r, b] = [await measure("red"), await measure("blue")];
    return { r, b, ok: r.share > 0 && b.share > 0 && Math.abs((r.x + b.x) / 2 - r.w / 2) < r.w * 0.02 && Math.abs(r.y - b.y) < r.h * 0.02 && r.x > b.x };
  };
  assert.equal((await symmetric()).ok, false, "the home view is no axis view");
  save("framing-gizmo-before.png", await v.screenshot());

  const at = await v.page.evaluate(() => window.__sceneViewer.gizmoAxis("x"));
  const events = v.received.length;
  await v.page.mouse.click(at.x, at.y);
  await v.page.waitForFunction(() => !window.__sceneViewer.gizmoAnimating(), null, { timeout: 30_000, polling: 50 });
  await v.idle();
  const cam = await camera();
  const off = cam.position.map((x, i) => x - cam.target[i]);
  const len = Math.hypot(...off);
  assert.ok(off[0] / len > 0.999, `the camera stands on +X of its target: ${off.map((x) => x.toFixed(3))}`);
  // three's quaternion [x, y, z, w]: the camera looks down its -Z, rotated.
  const [qx, qy, qz, qw] = cam.quaternion;
  const forward = [-(2 * (qx * qz + qw * qy)), -(2 * (qy * qz - qw * qx)), -(1 - 2 * (qx * qx + qy * qy))];
  assert.ok(forward[0] < -0.999, `it looks along -X: ${forward.map((x) => x.toFixed(3))}`);
  const s = await symmetric();
  assert.ok(s.ok, `the two boxes are mirror images about the centre: ${JSON.stringify(s)}`);
  assert.ok(!v.received.slice(events).some((m) => m.t === "event" && m.event.etype === "CLICK"), "a click on the gizmo is no CLICK on the scene");
  save("framing-gizmo-x.png", await v.screenshot());
});

test("white points stay visible on a light theme; the gizmo is on screen but not in the program's pictures", async () => {
  const n = 4000;
  const vertices = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = i * 0.37, r = 0.3 + (i % 50) / 60;
    vertices.set([Math.cos(a) * r, 0.05 + (i % 7) / 12, Math.sin(a) * r], 3 * i);
  }
  const colors = new Uint8Array(3 * n).fill(255);
  const theme = (bg, fg) =>
    v.page.evaluate(([bg, fg]) => {
      document.body.style.setProperty("--vscode-editor-background", bg);
      document.body.style.setProperty("--vscode-editor-foreground", fg);
    }, [bg, fg]);
  await newRun([{ tag: "PointCloud", key: "cloud", vertices, colors, size: 0.03 }], { grid: false });
  await theme("#ffffff", "#333333"); // after the page's reload: VS Code's light theme variables
  await v.idle();
  const d = await frame(v);
  const lin = (u) => ((u /= 255) <= 0.04045 ? u / 12.92 : ((u + 0.055) / 1.055) ** 2.4);
  const bgLum = 0.2126 * lin(d[0]) + 0.7152 * lin(d[1]) + 0.0722 * lin(d[2]);
  let bright = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245) bright++;
  const look = { bg: [d[0], d[1], d[2]], lum: bgLum, contrast: 1.05 / (bgLum + 0.05), bright };
  assert.ok(look.lum > 0.4, `the viewport follows the light theme: ${look.bg}`);
  assert.ok(look.contrast >= 1.6, `white on the light theme's viewport background ${look.bg}: contrast ${look.contrast.toFixed(2)}`);
  assert.ok(look.bright > 500, `white point pixels stand out: ${look.bright}`);
  const shot = await v.screenshot();
  save("framing-light.png", shot);

  // The gizmo's red X bubble is in the bottom-right corner of the page, not in png().
  const inCorner = (m) => m.share > 0 && m.x > m.w - 140 && m.y > m.h - 140;
  assert.ok(inCorner(await measure("red", shot)), "the gizmo is drawn on screen, bottom right");
  assert.equal((await measure("red")).share, 0, "pictures for the program show the scene alone");

  await theme("#1e1e1e", "#cccccc");
  await v.idle();
  save("framing-dark.png", await v.screenshot());
});

test("toolbar buttons are codicons with tooltips and names; the page loads them under its CSP", async () => {
  const buttons = await v.page.evaluate(() =>
    [...document.querySelectorAll(".sr-toolbar .sr-tool")].filter((b) => !b.hidden).map((b) => ({
      label: b.getAttribute("aria-label"),
      title: b.title,
      icon: b.querySelector(".codicon")?.className,
      glyph: getComputedStyle(b.querySelector(".codicon"), "::before").content,
      font: getComputedStyle(b.querySelector(".codicon")).fontFamily,
    })),
  );
  assert.deepEqual(buttons.map((b) => b.icon), ["codicon codicon-screen-full", "codicon codicon-home", "codicon codicon-device-camera"]);
  for (const b of buttons) {
    assert.ok(b.label && b.title === b.label, `named: ${JSON.stringify(b)}`);
    assert.match(b.glyph, /^"."$/u, "the codicon rule gives a glyph");
    assert.match(b.font, /codicon/);
  }
  assert.ok(await v.page.evaluate(() => document.fonts.check("16px codicon")), "the codicon font is loaded");
  assert.deepEqual(v.errors, [], "no CSP violation or other page error");
});

test("without the HUD (snapshots) there is no gizmo and no toolbar", async () => {
  const bare = await openViewer({ hud: false });
  try {
    await bare.send(SET([box("b", [0, 0.5, 0], "blue", 1)]));
    const shot = await bare.screenshot();
    const red = await measure("red", shot);
    assert.equal(red.share, 0, "no gizmo bubble in the picture");
    assert.equal(await bare.page.evaluate(() => getComputedStyle(document.querySelector(".sr-toolbar")).display), "none");
  } finally {
    await bare.close();
  }
});
