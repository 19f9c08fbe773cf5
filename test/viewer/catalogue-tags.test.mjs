// Nothing in vuer's catalogue is unknown: every tag vuer's schemas declare
// (test/fixtures/assets/vuer-tags.txt) is drawn, accepted silently (XR-only) or explained in
// one warning — never the magenta unknown-tag placeholder. An unknown tag still is one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openViewer, root, SET } from "./harness.mjs";

const tags = readFileSync(join(root, "test", "fixtures", "assets", "vuer-tags.txt"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
// Tags that sit in a special place of the scene rather than under a node.
const NOT_A_CHILD = new Set(["Scene"]);

let v;
before(async () => {
  v = await openViewer();
});
after(async () => {
  await v?.close();
});

test(`none of vuer's ${tags.length} tags is an unknown-tag placeholder`, async () => {
  assert.ok(tags.length > 150, `${tags.length} tags read`);
  const nodes = tags.filter((t) => !NOT_A_CHILD.has(t)).map((tag, i) => ({ tag, key: `n${i}` }));
  await v.send(SET(nodes, { grid: false }));
  const unknown = [];
  for (const n of nodes) {
    const info = await v.node(n.key);
    if (!info || info.placeholder) unknown.push(n.tag);
  }
  assert.deepEqual(unknown, [], "drawn as placeholders");
  const unknownWarnings = v.warnings().filter((w) => /unknown tag/.test(w.message)).map((w) => w.message);
  assert.deepEqual(unknownWarnings, []);
  assert.deepEqual(v.errors, [], "no page errors");
  // The rule still holds for a tag vuer does not have.
  await v.send(SET([{ tag: "NoSuchVuerTag", key: "x" }], { grid: false }));
  assert.equal((await v.node("x")).placeholder, true);
  assert.ok(v.warnings().some((w) => w.key === "x" && /unknown tag "NoSuchVuerTag"/.test(w.message)));
});
