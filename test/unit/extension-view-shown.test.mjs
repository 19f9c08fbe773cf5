// Whether the Scene view is on screen (src/extension/outliner/view-shown.ts): a recording's editor
// builds the view's copy of a moment only while it is shown, and again when it comes back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { ViewShown } = await loadTs("src/extension/outliner/view-shown.ts");

test("listeners hear of the view coming back on screen only, once each time; a stopped one no more", () => {
  const v = new ViewShown();
  const heard = [];
  const stop = v.onShown(() => heard.push(v.visible));
  assert.equal(v.visible, false);
  v.set(false);
  v.set(true);
  v.set(true); // still shown: not coming back
  v.set(false);
  v.set(true);
  assert.deepEqual(heard, [true, true]);
  stop();
  v.set(false);
  v.set(true);
  assert.equal(heard.length, 2);
});

test("a listener that stops itself while called does not keep the others from hearing", () => {
  const v = new ViewShown();
  const heard = [];
  const stopFirst = v.onShown(() => (heard.push("first"), stopFirst()));
  v.onShown(() => heard.push("second"));
  v.set(true);
  v.set(false);
  v.set(true);
  assert.deepEqual(heard, ["first", "second", "second"]);
});
