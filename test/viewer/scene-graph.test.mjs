// The viewer bundle in headless Chromium: scene graph, pixels, disposal, vuer semantics.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ADD, openViewer, REMOVE, SET, UPDATE, UPSERT } from "./harness.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const isRed = ([r, g, b]) => r > 120 && g < 60 && b < 60;
const center = () => v.pixel(320, 240);

test("a red box at the centre makes red pixels there; removing it brings the background back", async () => {
  await v.send(SET([], { grid: false }));
  const background = await center();
  assert.ok(!isRed(background), `background is not red: ${background}`);
  const baseline = await v.stats();

  await v.send(UPSERT({ tag: "Box", key: "red", args: [1, 1, 1], color: "red", materialType: "basic" }));
  assert.ok(isRed(await center()), "centre pixel is red with the box");
  assert.equal((await v.stats()).nodes, 1);

  await v.send(REMOVE("red"));
  assert.deepEqual(await center(), background);
  const now = await v.stats();
  assert.equal(now.nodes, 0);
  assert.equal(now.geometries, baseline.geometries, "geometries back to baseline");
  assert.equal(now.textures, baseline.textures, "textures back to baseline");
});

test("GPU memory returns to baseline after removing one of every kind of node", async () => {
  await v.send(SET([], { grid: false }));
  const stl = new TextEncoder().encode("solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n");
  const tags = ["Box", "Sphere", "Plane", "Cylinder", "Cone", "Capsule", "Circle", "Ring", "Torus", "TorusKnot", "Icosahedron", "Octahedron", "Tetrahedron", "Dodecahedron"];
  const everything = () =>
    UPSERT([
      ...tags.map((tag, i) => ({ tag, key: `p${i}`, position: [i - 7, 0, 0], color: "#88aaff" })),
      { tag: "Box", key: "solo", instanced: false, color: "green" },
      { tag: "Line", key: "line", points: new Float32Array([0, 0, 0, 1, 1, 1, 2, 0, 0]), color: "yellow" },
      { tag: "Arrow", key: "arrow", direction: [1, 0, 0] },
      { tag: "Text", key: "text", text: "label" },
      { tag: "PointCloud", key: "pc", vertices: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), colors: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]) },
      { tag: "TriMesh", key: "tm", vertices: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), faces: new Uint32Array([0, 1, 2]) },
      { tag: "Grid", key: "grid" },
      { tag: "CoordsMarker", key: "cm" },
      { tag: "Frustum", key: "fr" },
      { tag: "PointLight", key: "pl", position: [0, 2, 0] },
      { tag: "Stl", key: "stl", buff: stl },
      { tag: "Nonsense", key: "unknown" },
    ]);
  // three allocates a few things once per renderer (e.g. the lookup texture of PBR materials, the
  // sprite quad): one warm-up cycle, then every later cycle must come back to the same numbers.
  await v.send(everything());
  await v.send(SET([], { grid: false }));
  const baseline = await v.stats();
  await v.send(everything());
  const full = await v.stats();
  assert.ok(full.geometries > baseline.geometries + 10, `many geometries allocated (${full.geometries})`);
  assert.ok(full.textures > baseline.textures, "the text label has a texture");
  await v.send(SET([], { grid: false }));
  const now = await v.stats();
  assert.equal(now.geometries, baseline.geometries);
  assert.equal(now.textures, baseline.textures);
  assert.equal(now.pools, 0);
});

test("parents, nesting, transforms and vuer's upsert/update/add/remove semantics", async () => {
  await v.send(
    SET([
      { tag: "Group", key: "g", position: [1, 0, 0], children: [{ tag: "Box", key: "b", position: [0, 2, 0], color: "blue" }] },
    ]),
  );
  let b = await v.node("b");
  assert.equal(b.parent, "g");
  assert.deepEqual(b.worldPosition, [1, 2, 0]);

  // UPSERT merges shallowly: color changes, position stays.
  await v.send(UPSERT({ tag: "Box", key: "b", color: "red" }));
  b = await v.node("b");
  assert.deepEqual(b.position, [0, 2, 0]);

  // Moving the parent moves the (instanced) child.
  await v.send(UPDATE({ key: "g", position: [0, 0, 5] }));
  assert.deepEqual((await v.node("b")).worldPosition, [0, 2, 5]);

  // UPDATE of a missing key only warns.
  const before = v.warnings().length;
  await v.send(UPDATE({ key: "nope", position: [1, 1, 1] }));
  assert.equal(await v.node("nope"), undefined);
  assert.ok(v.warnings().length > before);

  // ADD under a parent, scale/quaternion/matrix props.
  await v.send(ADD({ tag: "Sphere", key: "s", scale: 2, quaternion: [0, 0, 0, 1], position: [0, 1, 0] }, "g"));
  assert.equal((await v.node("s")).parent, "g");
  await v.send(UPSERT({ tag: "Group", key: "m", matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 3, 4, 5, 1] }));
  assert.deepEqual((await v.node("m")).position, [3, 4, 5]);

  // REMOVE takes the subtree.
  await v.send(REMOVE("g"));
  assert.equal(await v.node("b"), undefined);
  assert.equal(await v.node("s"), undefined);
  assert.equal((await v.stats()).nodes, 1);

  // SET replaces everything.
  await v.send(SET([{ tag: "Box", key: "only" }]));
  assert.deepEqual(await v.page.evaluate(() => window.__sceneViewer.keys()), ["only"]);
});

test("hidden nodes are not drawn", async () => {
  await v.send(SET([{ tag: "Box", key: "red", color: "red", materialType: "basic", visible: false }], { grid: false }));
  assert.ok(!isRed(await center()));
  await v.send(UPDATE({ key: "red", visible: true }));
  assert.ok(isRed(await center()));
  await v.send(UPDATE({ key: "red", hide: true }));
  assert.ok(!isRed(await center()));
});

test("binary arrays: Float32 and float16 vertices, Uint8 colors, Uint32 faces", async () => {
  const n = 2000;
  const pos = new Float32Array(n * 3);
  for (let i = 0; i < n * 3; i++) pos[i] = (i % 3 === 1 ? 0.2 : 0.4) * Math.sin(i * 12.9898);
  const colors = new Uint8Array(n * 3).fill(255);
  // 1.0 and 0.0 as float16 bits: a triangle in the XY plane.
  const half = new Uint16Array([0x0000, 0x0000, 0, 0x3c00, 0, 0, 0, 0x3c00, 0]);
  await v.send(
    SET([
      { tag: "PointCloud", key: "pc", vertices: pos, colors, size: 0.05 },
      { tag: "TriMesh", key: "tri", vertices: half, faces: new Uint32Array([0, 1, 2]), color: "red", materialType: "basic", position: [0, 0, 1] },
    ], { grid: false }),
  );
  const s = await v.stats();
  assert.equal(s.points, n, "every point drawn");
  assert.ok(s.triangles >= 1);
  assert.equal(v.warnings().filter((w) => w.key === "pc" || w.key === "tri").length, 0);
});

test("a grab_render request is answered with a PNG", async () => {
  await v.send(SET([{ tag: "Box", key: "b" }]));
  await v.post({ t: "rpc", request: { etype: "GRAB_RENDER", ts: Date.now(), uuid: "u1", rtype: "GRAB_RENDER_RESPONSE@u1", data: {} } });
  const m = await v.waitFor((m) => m.t === "event" && m.event.etype === "GRAB_RENDER_RESPONSE@u1");
  const frame = m.event.value.frame;
  assert.ok(frame instanceof Uint8Array);
  assert.deepEqual([...frame.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // 640x480 (IHDR width/height big-endian at 16..24)
  const dv = new DataView(frame.buffer, frame.byteOffset);
  assert.deepEqual([dv.getUint32(16), dv.getUint32(20)], [640, 480]);
});

test("applied acks carry the batch seq and stats report the node count", async () => {
  await v.post({ t: "scene", seq: 1000, messages: [SET([{ tag: "Box", key: "a" }, { tag: "Box", key: "b" }])] });
  await v.waitFor((m) => m.t === "applied" && m.seq === 1000);
  const stats = await v.waitFor((m) => m.t === "stats" && m.nodes === 2, 3000);
  assert.equal(stats.nodes, 2);
  assert.equal(v.errors.length, 0, v.errors.join("\n"));
});
