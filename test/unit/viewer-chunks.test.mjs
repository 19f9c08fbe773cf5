// The lazily loaded viewer scripts (Spark's splat renderer; the FBX/COLLADA/BVH loaders and
// the PNG decoder) draw with the viewer's own three, handed to them as an object
// (webview/nodes/three-for-chunks.ts). Each chunk entry is built here with "three" left out,
// and every name it takes from three must be in that object: an upgrade that needs one more
// fails here, not in a user's viewer.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import * as esbuild from "esbuild";
import * as THREE from "three";
import { loadTs } from "../helpers/load-ts.mjs";
import { root } from "../viewer/harness.mjs";

const { THREE_FOR_CHUNKS } = await loadTs("webview/nodes/three-for-chunks.ts");

/** Names the bundled entry takes from "three": named imports, and members of a namespace import. */
async function threeNames(entry) {
  const r = await esbuild.build({
    entryPoints: [join(root, entry)], bundle: true, write: false, format: "esm", logLevel: "silent", absWorkingDir: root,
    plugins: [{ name: "three-outside", setup: (b) => b.onResolve({ filter: /^three$/ }, () => ({ path: "three", external: true })) }],
  });
  const out = r.outputFiles[0].text;
  const names = new Set();
  for (const m of out.matchAll(/import\s*{([^}]*)}\s*from\s*"three"/g)) {
    for (const part of m[1].split(",")) if (part.trim()) names.add(part.trim().split(/\s+as\s+/)[0]);
  }
  for (const m of out.matchAll(/import\s*\*\s*as\s*(\w+)\s*from\s*"three"/g)) {
    for (const u of out.matchAll(new RegExp(`\\b${m[1]}\\.([A-Za-z_$][\\w$]*)`, "g"))) names.add(u[1]);
  }
  // "THREE.FBXLoader: ..." in an error string is not a use: only what three exports counts.
  return [...names].filter((n) => n in THREE);
}

for (const entry of ["webview/nodes/splat-chunk.ts", "webview/nodes/loaders-chunk.ts"]) {
  test(`${entry}: every three export it uses is handed to it`, async () => {
    const needed = await threeNames(entry);
    assert.ok(needed.length > 10, `found its three names (${needed.length})`);
    assert.deepEqual(needed.filter((n) => !(n in THREE_FOR_CHUNKS)), [], "names to add to webview/nodes/three-for-chunks.ts");
  });
}

test("what is handed over is three's own export of that name", () => {
  // (loadTs bundles its own copy of three, so compare by kind and value, not identity.)
  for (const [k, v] of Object.entries(THREE_FOR_CHUNKS)) {
    assert.equal(typeof v, typeof THREE[k], k);
    if (typeof v !== "function" && typeof v !== "object") assert.equal(v, THREE[k], k);
  }
});
