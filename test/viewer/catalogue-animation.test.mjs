// vuer's keyframe animation in the real viewer: ThreeAnimate plays an AnimationClip whose
// VectorTrack / QuaternionTrack children move a node below it (by key); play: false stops it.
// Also Facemesh (landmark points) and the explained tags (one warning each, nothing drawn).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, SET, UPSERT } from "./harness.mjs";
import { frame, red, share } from "./pixels.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const camera = { tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50 };
const scene = (children) => SET(children, { grid: false, bgChildren: [camera] });
const animate = (extra = {}) => ({
  tag: "ThreeAnimate", key: "anim", ...extra,
  children: [
    { tag: "AnimationClip", key: "clip", duration: 2, children: [
      { tag: "VectorTrack", key: "tp", name: "box.position", times: [0, 1, 2], values: [[-2, 0, 0], [2, 0, 0], [-2, 0, 0]] },
      { tag: "QuaternionTrack", key: "tq", name: "box.quaternion", times: [0, 2], values: [[0, 0, 0, 1], [0, 0, 0.7071, 0.7071]] },
    ] },
    { tag: "Box", key: "box", args: [0.5, 0.5, 0.5], color: "red", materialType: "basic" },
  ],
});
const xOf = async (k) => (await v.node(k)).worldPosition[0];

test("ThreeAnimate moves the node its clip's tracks name, over time; play: false holds it", async () => {
  await v.send(scene([animate()]));
  const seen = new Set();
  for (let i = 0; i < 100 && seen.size < 5; i++) {
    await new Promise((r) => setTimeout(r, 60));
    await frame(v);
    seen.add(Math.round((await xOf("box")) * 4));
  }
  assert.ok(seen.size >= 5, `the box visits several x positions (${[...seen].map((x) => x / 4)})`);
  for (const x of seen) assert.ok(Math.abs(x / 4) <= 2.01, `within the track's range: ${x / 4}`);
  assert.ok(share(await frame(v, "animation"), red) > 0.003, "the box is drawn");
  assert.deepEqual(v.warnings().filter((w) => ["anim", "clip", "tp", "tq", "box"].includes(w.key)), []);

  await v.send(UPSERT(animate({ play: false })));
  const a = await xOf("box");
  await new Promise((r) => setTimeout(r, 300));
  await frame(v);
  assert.equal(await xOf("box"), a, "stopped");
  // A track naming no property: one warning.
  await v.send(scene([{ tag: "ThreeAnimate", key: "a2", children: [{ tag: "AnimationClip", key: "c2", children: [{ tag: "VectorTrack", key: "bad", name: "nothing", times: [0], values: [[0, 0, 0]] }] }] }]));
  assert.match(v.warnings().find((w) => w.key === "bad").message, /expected "<node key>.<property>"/);
});

test("Facemesh draws its landmarks as points; MuJoCo, ContribLoader and TimelineControls are one warning each", async () => {
  const ring = Array.from({ length: 40 }, (_, i) => ({ x: 0.5 + 0.3 * Math.cos(i / 6.4), y: 0.5 + 0.4 * Math.sin(i / 6.4), z: 0 }));
  await v.send(scene([
    { tag: "Facemesh", key: "face", points: ring, width: 2, color: "red", size: 6 },
    { tag: "MuJoCo", key: "mj", src: "scene.xml" },
    { tag: "ContribLoader", key: "cl", library: "x" },
    { tag: "TimelineControls", key: "tl" },
  ]));
  assert.ok(share(await frame(v, "facemesh"), red) > 0.002, "landmark points");
  for (const [k, re] of [["face", /landmark points/], ["mj", /MuJoCo physics/], ["cl", /third-party component library/], ["tl", /timeline/]]) {
    const w = v.warnings().filter((x) => x.key === k);
    assert.equal(w.length, 1, k);
    assert.match(w[0].message, re);
    assert.equal((await v.node(k)).placeholder, false, k);
  }
});
