// Interaction round trips: CLICK, hover, CAMERA_MOVE throttling, keys, widgets, Movable gizmo.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openViewer, REMOVE, SET, UPSERT } from "./harness.mjs";
import { frame, share } from "./pixels.mjs";

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

const events = (etype) => v.received.filter((m) => m.t === "event" && m.event.etype === etype).map((m) => m.event);

test("clicking a node sends CLICK with its key, the hit point and the button", async () => {
  await v.send(SET([{ tag: "Group", key: "grp", children: [{ tag: "Box", key: "target", args: [1, 1, 1], color: "red" }] }], { grid: false }));
  await v.page.mouse.click(320, 240);
  const click = await v.waitFor((m) => m.t === "event" && m.event.etype === "CLICK");
  assert.equal(click.event.key, "target", "the innermost node under the pointer");
  assert.equal(click.event.value.button, 0);
  const [x, y, z] = click.event.value.point;
  assert.ok(Math.max(Math.abs(x), Math.abs(y), Math.abs(z)) <= 0.5001, `the point is on the box surface: ${click.event.value.point}`);
  // Clicking empty space sends nothing.
  const n = events("CLICK").length;
  await v.page.mouse.click(20, 400);
  await v.idle();
  assert.equal(events("CLICK").length, n);
});

test("hovering a clickable node outlines it and shows a pointer cursor", async () => {
  await v.page.mouse.move(320, 240);
  await v.page.waitForFunction(() => document.querySelector(".sr-canvas").style.cursor === "pointer");
  await v.page.mouse.move(20, 400);
  await v.page.waitForFunction(() => document.querySelector(".sr-canvas").style.cursor === "");
});

test("the hover outline follows its node: it goes when the node is removed under a still pointer", async () => {
  // The outline is a thin yellow line (0xffd24d, blended at its edges); in the middle of the view
  // (away from the axes gizmo) nothing else has green well above blue.
  const yellow = (r, g, b) => r > 100 && g > 90 && b < g - 40;
  const middle = [0.15, 0.15, 0.8, 0.8];
  await v.send(SET([{ tag: "Box", key: "hovered", args: [1, 1, 1], color: "red" }], { grid: false }));
  await v.page.mouse.move(320, 240);
  await v.page.waitForFunction(() => document.querySelector(".sr-canvas").style.cursor === "pointer");
  await v.idle();
  assert.ok(share(await frame(v, "hover-1-outlined"), yellow, middle) > 0.0005, "the hovered box is outlined");
  await v.send(REMOVE("hovered"), UPSERT({ tag: "Sphere", key: "elsewhere", args: [0.2], position: [3, 0, 0], color: "blue" }));
  assert.equal(share(await frame(v, "hover-2-removed"), yellow, middle), 0, "no outline is left where the box was");
  assert.equal(await v.page.evaluate(() => document.querySelector(".sr-canvas").style.cursor), "", "nor a pointer cursor");
});

test("dragging the camera sends CAMERA_MOVE at most 20 times a second", async () => {
  const before = events("CAMERA_MOVE").length;
  const t0 = Date.now();
  await v.page.mouse.move(100, 100);
  await v.page.mouse.down();
  for (let i = 0; i < 60; i++) {
    await v.page.mouse.move(100 + i * 4, 100 + i, { steps: 1 });
    await new Promise((r) => setTimeout(r, 8));
  }
  await v.page.mouse.up();
  const elapsed = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 120)); // the trailing one
  const moves = events("CAMERA_MOVE").slice(before);
  assert.ok(moves.length >= 2, `camera moves were sent (${moves.length})`);
  assert.ok(moves.length <= Math.ceil(elapsed * 20) + 1, `${moves.length} moves in ${elapsed.toFixed(2)} s`);
  const cam = moves.at(-1).value.camera;
  assert.equal(cam.matrix.length, 16);
  assert.equal(cam.position.length, 3);
  assert.equal(moves.at(-1).key, "defaultCamera");
  // vuer's client adds the canvas size (CSS pixels).
  assert.ok(cam.width > 0 && cam.height > 0, `width ${cam.width}, height ${cam.height}`);
});

test("key presses send KEY_DOWN and KEY_UP", async () => {
  await v.page.keyboard.press("KeyW");
  await v.waitFor((m) => m.t === "event" && m.event.etype === "KEY_UP" && m.event.value.code === "KeyW");
  const down = events("KEY_DOWN").at(-1);
  assert.equal(down.value.key, "w");
});

test("Button, Slider and Input nodes appear in a panel and send their events", async () => {
  await v.send(
    SET([], {
      htmlChildren: [
        { tag: "Button", key: "go", label: "Go" },
        { tag: "Slider", key: "speed", label: "speed", min: 0, max: 10, step: 1, value: 3 },
        { tag: "Input", key: "name", label: "name", placeholder: "type" },
      ],
    }),
  );
  await v.page.getByRole("button", { name: "Go" }).click();
  const click = await v.waitFor((m) => m.t === "event" && m.event.etype === "CLICK" && m.event.key === "go");
  assert.equal(click.event.key, "go");
  await v.page.locator(".sr-panel input[type=range]").fill("7");
  const slide = await v.waitFor((m) => m.t === "event" && m.event.etype === "SLIDER" && m.event.value === 7);
  assert.equal(slide.event.key, "speed");
  await v.page.locator(".sr-panel input[type=text]").fill("robot");
  await v.page.locator(".sr-panel input[type=text]").press("Enter");
  const input = await v.waitFor((m) => m.t === "event" && m.event.etype === "INPUT");
  assert.deepEqual([input.event.key, input.event.value], ["name", "robot"]);
  // Typing in the input is not a scene key press.
  assert.ok(!events("KEY_DOWN").some((e) => e.value.key === "r"));
  // Removing the widgets hides the panel.
  await v.send(SET([]));
  assert.equal(await v.page.locator(".sr-panel").isVisible(), false);
});

test("dragging a Movable's gizmo sends OBJECT_MOVE and OBJECT_MOVE_END with the new pose", async () => {
  await v.send(SET([{ tag: "Movable", key: "mv", children: [{ tag: "Box", key: "handle", args: [0.3, 0.3, 0.3], color: "orange" }] }], { grid: false }));
  // The translate gizmo's free-move handle sits at the object's origin, the centre of the view.
  await v.page.mouse.move(320, 240);
  await v.page.mouse.down();
  for (let i = 1; i <= 10; i++) await v.page.mouse.move(320 + i * 8, 240 - i * 3);
  await v.page.mouse.up();
  const end = await v.waitFor((m) => m.t === "event" && m.event.etype === "OBJECT_MOVE_END");
  assert.equal(end.event.key, "mv");
  assert.ok(Math.hypot(...end.event.value.position) > 0.1, `moved: ${end.event.value.position}`);
  assert.ok(events("OBJECT_MOVE").length >= 1);
  assert.deepEqual((await v.node("mv")).position.map((x) => +x.toFixed(5)), end.event.value.position.map((x) => +x.toFixed(5)));
  // The gizmo drag did not count as a click on the box.
  assert.ok(!events("CLICK").some((e) => e.key === "handle"));
  assert.equal(v.errors.length, 0, v.errors.join("\n"));
});
