// vuer's component catalogue in the real viewer (headless Chromium): each family is
// checked by the share of pixels of a colour in a region (robust under software GL),
// by the scene graph, and by the DOM for the HTML overlays.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, REMOVE, SET, UPSERT } from "./harness.mjs";
import { blue, frame as pixelsOf, green, notBackground, png, red, share } from "./pixels.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

let shot = 0;
/** RGBA bytes of the viewer's canvas (640x480); with SCENE_SHOTS=dir each frame is also saved there to look at. */
const frame = () => pixelsOf(v, `catalogue-${String(++shot).padStart(2, "0")}`);
const yellow = (r, g, b) => r > 150 && g > 150 && b < 90;
const middle = [0.3, 0.3, 0.7, 0.7];

/** A camera looking straight down -Z from z = 5 at the origin (vuer's PerspectiveCamera with makeDefault). */
const frontCamera = (extra = {}) => ({ tag: "PerspectiveCamera", key: "cam", makeDefault: true, position: [0, 0, 5], lookAt: [0, 0, 0], fov: 50, ...extra });
const scene = (children, bg = [], extra = {}) => SET(children, { grid: false, bgChildren: [frontCamera(), ...bg], ...extra });

test("Text3D draws extruded text with the shipped font; a material child colours it; it frees its geometry", async () => {
  await v.send(scene([]));
  const baseline = await v.stats();
  await v.send(scene([{ tag: "Text3D", key: "t", text: "HHH", size: 1, height: 0.1, position: [-1.6, -0.5, 0], color: "red", materialType: "basic" }]));
  let px = await frame();
  const r = share(px, red, middle);
  assert.ok(r > 0.15, `red text covers the middle (${r.toFixed(3)})`);
  assert.equal((await v.node("t")).placeholder, false);
  assert.deepEqual(v.warnings().filter((w) => w.key === "t"), []);

  // vuer's form: the string as a child (the validator turns it into `text`), a material child.
  await v.send(scene([{ tag: "Text3D", key: "t", children: ["HHH", { tag: "meshBasicMaterial", key: "tm", color: "#00ff00" }], size: 1, height: 0.1, position: [-1.6, -0.5, 0], color: "red" }]));
  px = await frame();
  assert.ok(share(px, green, middle) > 0.15, "the material child's green replaced red");
  assert.ok(share(px, red, middle) < 0.01, "no red left");

  await v.send(scene([]));
  const now = await v.stats();
  assert.equal(now.geometries, baseline.geometries);
});

test("Billboard turns its children to the camera; Center centres its children's box", async () => {
  // A plane turned edge-on to the camera is invisible; inside a Billboard it faces the camera.
  const plane = { tag: "Plane", key: "p", args: [2.5, 2.5], color: "#00ff00", materialType: "basic" };
  await v.send(scene([{ tag: "Group", key: "g", rotation: [0, Math.PI / 2, 0], children: [plane] }]));
  assert.ok(share(await frame(), green, middle) < 0.02, "edge-on plane: no green");
  await v.send(scene([{ tag: "Billboard", key: "g", rotation: [0, Math.PI / 2, 0], children: [plane] }]));
  assert.ok(share(await frame(), green, middle) > 0.9, "billboarded plane faces the camera");

  await v.send(scene([{ tag: "Center", key: "c", children: [{ tag: "Box", key: "b", args: [1, 1, 1], position: [3, 3, 3], color: "red", materialType: "basic" }] }]));
  const w = (await v.node("b")).worldPosition;
  assert.ok(w.every((x) => Math.abs(x) < 1e-6), `the box is centred on the origin: ${w}`);
  assert.ok(share(await frame(), red, [0.45, 0.45, 0.55, 0.55]) > 0.9, "red at the centre");
  // Center with `top`: the box sits on the origin (its bottom at y = 0).
  await v.send(scene([{ tag: "Center", key: "c", top: true, children: [{ tag: "Box", key: "b", args: [1, 1, 1], position: [3, 3, 3], color: "red", materialType: "basic" }] }]));
  const t = (await v.node("b")).worldPosition;
  assert.ok(Math.abs(t[0]) < 1e-6 && Math.abs(t[1] - 0.5) < 1e-6, `top-aligned: ${t}`);
});

test("cameras: PerspectiveCamera/SceneCamera props move the view, OrthographicCamera projects orthographically, OrbitControls takes its target", async () => {
  const box = { tag: "Box", key: "b", args: [1, 1, 1], color: "red", materialType: "basic" };
  await v.send(SET([box], { grid: false, bgChildren: [frontCamera({ fov: 30 })] }));
  let cam = (await v.page.evaluate(() => window.__sceneViewer.camera())).camera;
  assert.deepEqual(cam.position.map((x) => Math.round(x * 1e6) / 1e6), [0, 0, 5]);
  assert.equal(cam.fov, 30);
  const narrow = share(await frame(), red);
  await v.send(SET([box], { grid: false, bgChildren: [frontCamera({ fov: 60 })] }));
  const wide = share(await frame(), red);
  assert.ok(narrow > wide * 2, `a narrower fov makes the box bigger (${narrow.toFixed(3)} vs ${wide.toFixed(3)})`);

  // Orthographic, 2 units high and 2*aspect wide: a unit box face-on covers 1/2 x 1/(2*4/3) of the frame.
  const a = 640 / 480;
  await v.send(SET([box], { grid: false, bgChildren: [{ tag: "OrthographicCamera", key: "oc", makeDefault: true, position: [0, 0, 5], left: -a, right: a, top: 1, bottom: -1 }, { tag: "OrbitControls", key: "ctl", target: [0, 0, 0] }] }));
  const ortho = share(await frame(), red);
  assert.ok(Math.abs(ortho - 0.1875) < 0.02, `orthographic coverage ${ortho.toFixed(3)} ≈ 0.1875`);
  // Removing it gives the perspective view back.
  await v.send(REMOVE("oc"));
  assert.ok(Math.abs(share(await frame(), red) - 0.1875) > 0.02, "perspective again");

  await v.send(SET([box], { grid: false, bgChildren: [{ tag: "SceneCamera", key: "sc", position: [0, 5, 10] }, { tag: "OrbitControls", key: "ctl", target: [0, 1, 0], maxDistance: 50 }] }));
  cam = (await v.page.evaluate(() => window.__sceneViewer.camera())).camera;
  assert.deepEqual(cam.target, [0, 1, 0]);
  // The controls node's own camera props.
  await v.send(UPSERT({ tag: "OrbitControls", key: "ctl", target: [0, 1, 0], position: [0, 1, 8], fov: 35 }, "bgChildren"));
  const c2 = (await v.page.evaluate(() => window.__sceneViewer.camera())).camera;
  assert.deepEqual(c2.position.map((x) => Math.round(x * 1e6) / 1e6), [0, 1, 8]);
  assert.equal(c2.fov, 35);
  await v.send(UPSERT({ tag: "OrbitControls", key: "ctl", position: [0, 2, 9] }, "bgChildren"));
  const c3 = (await v.page.evaluate(() => window.__sceneViewer.camera())).camera;
  assert.deepEqual(c3.position.map((x) => Math.round(x * 1e6) / 1e6), [0, 2, 9], "a position-only upsert moves the camera too");
  assert.ok(Math.abs(cam.position[1] - 5) < 1e-6 && Math.abs(cam.position[2] - 10) < 1e-6, `SceneCamera position: ${cam.position}`);

  // CameraHelper / frustum variants draw lines, not placeholders.
  await v.send(scene([{ tag: "CameraHelper", key: "h", fov: 60, far: 2, position: [0, 0, 1] }, { tag: "PerspectiveFrustum", key: "f", position: [1, 0, 0] }, { tag: "CameraView", key: "cv", position: [-1, 0, 0] }]));
  for (const k of ["h", "f", "cv"]) assert.equal((await v.node(k)).placeholder, false, k);
  assert.ok(share(await frame(), notBackground) > 0.005, "frustum lines are drawn");

  // CameraView's monitor: a red box only it can see shows in the picture-in-picture at the top left.
  await v.send(scene([
    { tag: "Box", key: "far", args: [1, 1, 1], position: [20, 0, -3], color: "red", materialType: "basic" },
    { tag: "CameraView", key: "cv", position: [20, 0, 0], fov: 50, width: 320, height: 240 },
  ]));
  const pip = await frame();
  // 640 px wide: the monitor is 213 x 160 at (8, 40).
  assert.ok(share(pip, red, [0.15, 0.22, 0.21, 0.28]) > 0.9, `the monitor shows the box at its centre (${share(pip, red, [0.15, 0.22, 0.21, 0.28]).toFixed(3)})`);
  assert.ok(share(pip, red, [0.4, 0, 1, 1]) < 0.001, "the main view does not");
});

test("lights and stages: RectAreaLight, HemisphereLightStage, Stage; BackgroundColor and Fog", async () => {
  const white = { tag: "Box", key: "b", args: [1.5, 1.5, 0.2], color: "white", materialType: "standard" };
  // A red area light in front is the only light: the white box looks red.
  await v.send(scene([white, { tag: "RectAreaLight", key: "ra", color: "#ff0000", intensity: 8, width: 2, height: 2, position: [0, 0, 2], lookAt: [0, 0, 0] }]));
  let px = await frame();
  assert.ok(share(px, (r, g, b) => r > 90 && g < r / 2 && b < r / 2, middle) > 0.3, "lit red by the area light");

  for (const stage of ["HemisphereLightStage", "AmbientLightStage", "Stage"]) {
    await v.send(scene([white], [{ tag: stage, key: "st" }]));
    const lit = share(await frame(), (r, g, b) => r > 120 && g > 120 && b > 120, middle);
    assert.ok(lit > 0.3, `${stage} lights the white box (${lit.toFixed(3)})`);
    assert.equal((await v.node("st")).placeholder, false);
  }

  await v.send(scene([], [{ tag: "BackgroundColor", key: "bg", color: "#0000ff" }]));
  assert.ok(share(await frame(), blue) > 0.99, "blue background");
  await v.send(REMOVE("bg"));
  assert.ok(share(await frame(), blue) < 0.01, "background back to the theme's");

  // A white unlit box 5 units away inside dense green fog comes out green.
  const unlit = { ...white, materialType: "basic" };
  await v.send(scene([unlit], [{ tag: "fog", key: "fog", color: "#00ff00", near: 0.5, far: 2 }]));
  assert.ok(share(await frame(), green, [0.45, 0.45, 0.55, 0.55]) > 0.9, "the fog hides the box in green");
});

test("material child tags, the material prop and outlines; an instanced parent leaves its pool while it has one", async () => {
  let px;
  const box = (children = [], extra = {}) => ({ tag: "Box", key: "b", args: [1, 1, 1], color: "red", materialType: "basic", children, ...extra });
  await v.send(scene([box()]));
  assert.ok(share(await frame(), red, [0.45, 0.45, 0.55, 0.55]) > 0.9);
  const pooled = (await v.stats()).instances;
  assert.equal(pooled, 1);

  await v.send(scene([box([{ tag: "meshBasicMaterial", key: "m", color: "#0000ff" }])]));
  assert.ok(share(await frame(), blue, [0.45, 0.45, 0.55, 0.55]) > 0.9, "the child material draws the box blue");
  assert.equal((await v.stats()).instances, 0, "out of the pool");
  await v.send(REMOVE("m"));
  assert.ok(share(await frame(), red, [0.45, 0.45, 0.55, 0.55]) > 0.9, "its own red again");
  assert.equal((await v.stats()).instances, 1, "back in the pool");

  // meshNormalMaterial: the face toward the camera is the +Z normal colour (bluish purple).
  await v.send(scene([{ tag: "Sphere", key: "s", args: [1, 32, 16], children: [{ tag: "meshNormalMaterial", key: "n" }] }]));
  const normal = share(await frame(), (r, g, b) => b > 200 && r > 90 && r < 170 && g > 90 && g < 170, [0.47, 0.47, 0.53, 0.53]);
  assert.ok(normal > 0.8, `normal colour at the centre (${normal.toFixed(3)})`);

  // Phong / physical / standard children with their own props.
  await v.send(scene([box([{ tag: "meshPhongMaterial", key: "m", color: "#00ff00", emissive: "#00ff00", side: 2 }])]));
  assert.ok(share(await frame(), green, [0.45, 0.45, 0.55, 0.55]) > 0.9, "phong + emissive green");

  // shaderMaterial: the program's GLSL and uniforms.
  await v.send(scene([box([{ tag: "shaderMaterial", key: "m", uniforms: { tint: { value: "#00ff00" } }, fragmentShader: "uniform vec3 tint; void main() { gl_FragColor = vec4(tint, 1.0); }" }])]));
  assert.ok(share(await frame(), green, [0.45, 0.45, 0.55, 0.55]) > 0.9, "shader material: green from a uniform");

  // The `outlines` prop (drei's Outlines): a white hull around a black sphere.
  await v.send(scene([{ tag: "Sphere", key: "o", args: [1, 32, 16], color: "black", materialType: "basic", outlines: { thickness: 0.1, color: "white" } }]));
  px = await frame();
  const whiteRing = share(px, (r, g, b) => r > 200 && g > 200 && b > 200);
  assert.ok(whiteRing > 0.005 && share(px, (r, g, b) => r < 20 && g < 20 && b < 20, [0.45, 0.45, 0.55, 0.55]) > 0.9, `outline around the black sphere (${whiteRing.toFixed(4)})`);

  // The `material` prop (vuer's dict of material fields) on a primitive.
  await v.send(scene([{ tag: "Box", key: "b", args: [1, 1, 1], materialType: "basic", material: { color: "#ffff00" } }]));
  assert.ok(share(await frame(), yellow, [0.45, 0.45, 0.55, 0.55]) > 0.9, "material.color");
});

test("geometry: curves, Tube, Lathe, Extrude, Shape, Polyhedron, Edges, Wireframe, BBox, BoundingBox", async () => {
  await v.send(scene([]));
  const baseline = await v.stats();
  await v.send(scene([{ tag: "CatmullRomLine", key: "l", points: [[-2, -1, 0], [-1, 1, 0], [0, -1, 0], [1, 1, 0], [2, -1, 0]], color: "yellow", lineWidth: 6 }]));
  assert.ok(share(await frame(), yellow) > 0.01, "yellow catmull-rom line");
  await v.send(scene([
    { tag: "CubicBezierLine", key: "c", start: [-2, -1, 0], end: [2, -1, 0], midA: [-1, 1, 0], midB: [1, 1, 0], color: "#ff0000", lineWidth: 5 },
    { tag: "QuadraticBezierLine", key: "q", start: [-2, 1.5, 0], end: [2, 1.5, 0], mid: [0, 2, 0], color: "#00ff00", lineWidth: 5 },
  ]));
  let px = await frame();
  assert.ok(share(px, red) > 0.003 && share(px, green) > 0.003, `both bezier lines (${share(px, red).toFixed(4)}, ${share(px, green).toFixed(4)})`);

  const solid = { color: "red", materialType: "basic" };
  const shapes = [
    { tag: "Tube", key: "g", args: [[[-1, -1, 0], [0, 1, 0], [1, -1, 0]], 32, 0.3, 8, false] },
    { tag: "Lathe", key: "g", args: [[[0, -1], [0.8, -0.5], [0.5, 0.5], [0.9, 1]], 24] },
    { tag: "Extrude", key: "g", args: [[[-1, -1], [1, -1], [0, 1]], { depth: 0.3 }] },
    { tag: "Shape", key: "g", args: [[[-1, -1], [1, -1], [1, 1], [-1, 1]]] },
    { tag: "Polyhedron", key: "g", args: [[1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1], [2, 1, 0, 0, 3, 2, 1, 3, 0, 2, 3, 1], 1, 0] },
  ];
  for (const s of shapes) {
    await v.send(scene([{ ...s, ...solid }]));
    const r = share(await frame(), red, middle);
    assert.ok(r > 0.05, `${s.tag} draws (${r.toFixed(3)})`);
    assert.equal((await v.node("g")).placeholder, false, s.tag);
  }

  // Edges of a black box are white lines; Wireframe of a black sphere shows green lines.
  await v.send(scene([{ tag: "Box", key: "b", args: [2, 2, 2], rotation: [0.5, 0.6, 0], color: "black", materialType: "basic", children: [{ tag: "Edges", key: "e", color: "white" }] }]));
  px = await frame();
  assert.ok(share(px, (r, g, b) => r > 150 && g > 150 && b > 150) > 0.002, `white edges (${share(px, (r, g, b) => r > 150 && g > 150 && b > 150).toFixed(4)})`);
  await v.send(scene([{ tag: "Sphere", key: "s", args: [1.5, 12, 8], color: "black", materialType: "basic", children: [{ tag: "Wireframe", key: "w", color: "#00ff00" }] }]));
  px = await frame();
  assert.ok(share(px, (r, g, b) => g > 120 && r < 100 && b < 100, middle) > 0.005, `green wireframe (${share(px, green, middle).toFixed(4)})`);

  await v.send(scene([{ tag: "BBox", key: "bb", min: [-1, -1, -1], max: [1, 1, 1], color: "#ffff00" }, { tag: "BoundingBox", key: "bx", color: "#ff0000", children: [{ tag: "Sphere", key: "in", args: [0.3], position: [1.5, 0.5, 0], color: "black", materialType: "basic" }] }]));
  px = await frame();
  assert.ok(share(px, yellow) > 0.003 && share(px, red, [0.6, 0.2, 1, 0.6]) > 0.003, "both box outlines");

  // Trail: a ribbon behind its child, one point per drawn frame in which the child moved.
  await v.send(scene([{ tag: "Trail", key: "tr", width: 0.15, color: "#ff00ff", length: 4, children: [{ tag: "Sphere", key: "ball", args: [0.1], position: [-2, 0, 0], color: "white", materialType: "basic" }] }]));
  for (let x = -2; x <= 2.001; x += 0.25) await v.send(UPSERT({ tag: "Sphere", key: "ball", position: [x, Math.sin(x), 0] }));
  px = await frame();
  const magenta = (r, g, b) => r > 150 && b > 150 && g < 90;
  assert.ok(share(px, magenta, [0.1, 0, 0.4, 1]) > 0.003 && share(px, magenta, [0.4, 0, 0.7, 1]) > 0.003, "the trail spans the path");

  await v.send(scene([]));
  assert.equal((await v.stats()).geometries, baseline.geometries, "geometries freed");
});

test("Pcd point clouds (three's PCDLoader) and the Gripper / SkeletalGripper", async () => {
  const pts = [];
  for (let x = -1; x <= 1; x += 0.1) for (let y = -1; y <= 1; y += 0.1) pts.push(`${x.toFixed(2)} ${y.toFixed(2)} 0`);
  const pcd = `# .PCD v0.7\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH ${pts.length}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS ${pts.length}\nDATA ascii\n${pts.join("\n")}\n`;
  await v.send(scene([{ tag: "Pcd", key: "pcd", buff: new TextEncoder().encode(pcd), size: 0.08, color: "red" }]));
  assert.equal((await v.node("pcd")).placeholder, false);
  const r = share(await frame(), red, middle);
  assert.ok(r > 0.05, `red points in the middle (${r.toFixed(3)})`);
  assert.ok(share(await frame(), red, [0, 0, 0.25, 1]) < 0.001, "and not outside the cloud");

  for (const tag of ["Gripper", "SkeletalGripper"]) {
    await v.send(SET([{ tag, key: "g", color: "#00ff00", materialType: "basic", rotation: [0, Math.PI / 2, 0], showOrigin: true, axes: true }], { grid: false, bgChildren: [frontCamera({ position: [0, 0.3, 0], lookAt: [0, 0, 0] })] }));
    assert.equal((await v.node("g")).placeholder, false, tag);
    const g = share(await frame(), (r, g, b) => g > 120 && r < 100 && b < 100);
    assert.ok(g > (tag === "Gripper" ? 0.02 : 0.002), `${tag} is drawn (${g.toFixed(4)})`);
  }
});

test("HTML overlays: elements built from data, sanitised; Html follows its node; Markdown and Img", async () => {
  const png = tinyPng(8, 8, [255, 0, 0]);
  await v.send(scene([
    { tag: "Box", key: "b", args: [0.5, 0.5, 0.5] },
    { tag: "Html", key: "h", position: [0, 0, 0], children: [{ tag: "div", key: "label", text: "pinned", style: { position: "fixed", backgroundImage: "url(https://example.com/x.png)", color: "white", padding: 4 } }] },
  ], [], {
    htmlChildren: [
      { tag: "h1", key: "title", text: "Title <script>window.__pwned = 1</script><img src=x onerror=alert(1)>" },
      { tag: "Markdown", key: "md", text: "Some **bold**, *it*, `code`, [ok](https://vuer.ai), [bad](javascript:alert(1))\n\n- one\n- two" },
      { tag: "div", key: "row", onClick: "alert(1)", onclick: "alert(1)", style: { display: "flex" }, children: [
        { tag: "span", key: "sp", text: "span" },
        { tag: "Img", key: "im", src: png, width: 16, height: 16 },
        { tag: "a", key: "a", text: "link", href: "javascript:alert(1)" },
      ] },
      { tag: "iframe", key: "fr", src: "https://vuer.ai", srcdoc: "<script>window.__pwned = 2</script>" },
    ],
  }));
  const dom = await v.page.evaluate(() => {
    const root = document.querySelector(".sr-overlay");
    const all = [...root.querySelectorAll("*")];
    const label = root.querySelector('[data-key="label"]');
    const pin = root.querySelector('[data-key="h"]').getBoundingClientRect();
    const img = root.querySelector('[data-key="im"]');
    return {
      title: root.querySelector("h1")?.textContent,
      scripts: root.querySelectorAll("script, iframe, object, embed").length,
      handlers: all.flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith("on")),
      labelPosition: label.style.position,
      labelBackground: label.style.backgroundImage,
      labelColor: label.style.color,
      pin: [pin.left, pin.top],
      md: { strong: root.querySelector(".sr-markdown strong")?.textContent, em: root.querySelector(".sr-markdown em")?.textContent, code: root.querySelector(".sr-markdown code")?.textContent, items: root.querySelectorAll(".sr-markdown li").length, links: [...root.querySelectorAll(".sr-markdown a")].map((a) => a.href) },
      anchorHref: root.querySelector('[data-key="a"]').getAttribute("href"),
      img: { w: img.naturalWidth, src: img.src.slice(0, 5) },
      pwned: window.__pwned ?? null,
      frames: document.querySelectorAll("iframe").length,
      frameText: root.querySelector('[data-key="fr"]')?.textContent,
    };
  });
  assert.equal(dom.title, "Title <script>window.__pwned = 1</script><img src=x onerror=alert(1)>", "program text stays text");
  assert.equal(dom.scripts, 0);
  assert.deepEqual(dom.handlers, []);
  assert.equal(dom.pwned, null);
  assert.equal(dom.frames, 0, "an iframe is shown as a named link, never loaded");
  assert.match(dom.frameText, /https:\/\/vuer\.ai/);
  assert.equal(dom.labelPosition, "", "position: fixed is dropped");
  assert.equal(dom.labelBackground, "", "url() is dropped");
  assert.equal(dom.labelColor, "white");
  assert.ok(Math.abs(dom.pin[0] - 320) < 2 && Math.abs(dom.pin[1] - 240) < 2, `Html's top left corner is at its node's screen position (drei's default): ${dom.pin}`);
  assert.deepEqual(dom.md, { strong: "bold", em: "it", code: "code", items: 2, links: ["https://vuer.ai/"] });
  assert.equal(dom.anchorHref, null, "javascript: links get no href");
  assert.deepEqual(dom.img, { w: 8, src: "blob:" });

  // Removing the nodes removes their elements.
  await v.send(scene([]));
  assert.equal(await v.page.evaluate(() => document.querySelectorAll(".sr-overlay [data-key]").length), 0);
});

test("unknown tags are still placeholders with a warning; XR-only tags are accepted silently", async () => {
  const before = v.warnings().length;
  await v.send(scene([{ tag: "Hands", key: "hands" }, { tag: "MotionControllers", key: "mc" }, { tag: "WebXRMesh", key: "xm" }, { tag: "Gamepad", key: "gp" }]));
  for (const k of ["hands", "mc", "xm", "gp"]) assert.equal((await v.node(k)).placeholder, false);
  assert.equal(v.warnings().length, before, "no warning for XR tags");
  await v.send(scene([{ tag: "NoSuchThing", key: "u" }]));
  assert.equal((await v.node("u")).placeholder, true);
  assert.ok(v.warnings().some((w) => w.key === "u" && /unknown tag/.test(w.message)));
  assert.deepEqual(v.errors, []);
});

/** A solid-colour PNG (pixels.mjs encodes it: the test needs no image files). */
const tinyPng = (w, h, rgb) => new Uint8Array(png(w, h, () => rgb));
