// The lazily loaded splat renderer draws with the viewer's three, handed to it as an object
// (webview/nodes/three-for-chunks.ts). Every name Spark (and the three addon it bundles) takes
// from "three" must be in that object: a Spark upgrade that needs one more fails here, not in
// a user's viewer.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const require = createRequire(import.meta.url);
const { THREE_FOR_CHUNKS } = await loadTs("webview/nodes/three-for-chunks.ts");

/** Names a module takes from "three": `THREE.X` through a namespace import, and `import { X } from "three"`. */
function threeNames(source) {
  const names = new Set();
  const ns = /import \* as (\w+) from ["']three["']/.exec(source)?.[1];
  if (ns) for (const m of source.matchAll(new RegExp(`\\b${ns}\\.([A-Za-z_$][\\w$]*)`, "g"))) names.add(m[1]);
  for (const m of source.matchAll(/import\s*{([^}]*)}\s*from\s*["']three["']/g)) {
    for (const part of m[1].split(",")) if (part.trim()) names.add(part.trim().split(/\s+as\s+/)[0]);
  }
  return names;
}

test("every three export the splat renderer uses is handed to it, and is a real three export", async () => {
  const spark = readFileSync(join(dirname(require.resolve("@sparkjsdev/spark")), "spark.module.js"), "utf8");
  const pass = readFileSync(require.resolve("three/examples/jsm/postprocessing/Pass.js"), "utf8");
  assert.match(spark, /from "three\/addons\/postprocessing\/Pass\.js"/, "Spark still imports only this addon (else add its names here too)");
  const needed = new Set([...threeNames(spark), ...threeNames(pass)]);
  needed.delete("js"); // "THREE.js" in a comment
  assert.ok(needed.size > 40, `found Spark's three names (${needed.size})`);
  const missing = [...needed].filter((n) => !(n in THREE_FOR_CHUNKS));
  assert.deepEqual(missing, [], "names to add to webview/nodes/three-for-chunks.ts");
  for (const [k, v] of Object.entries(THREE_FOR_CHUNKS)) assert.notEqual(v, undefined, `three exports ${k}`);
});
