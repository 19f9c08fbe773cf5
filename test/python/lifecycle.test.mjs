// vuer's session lifecycle through the real CLI: the headless run says INIT at start, so an
// INIT handler and `await sess.till("INIT")` see it; spawn filters match its value.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runWithEvents } from "./helpers.mjs";

test("headless run: INIT reaches sess.till and the INIT handler, then the scene goes out", async () => {
  const r = await runWithEvents("lifecycle/init_reaches_program.py");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "till: True headless\nhandler: INIT browser\n");
  const set = r.events.find((m) => m.etype === "SET");
  assert.deepEqual(set.data.bgChildren.map((c) => c.key).slice(0, 2), ["grid", "light-stage"]); // DefaultScene as vuer sends it
});

test("spawn filters: the first handler matching the INIT's value runs, main.start() starts it", async () => {
  const r = await runWithEvents("lifecycle/spawn_filters.py");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "browser handler\n");
  assert.match(r.stderr, /^vuer: multiple spawn handlers match .*only the first \(for_browsers\) runs\n$/);
});
