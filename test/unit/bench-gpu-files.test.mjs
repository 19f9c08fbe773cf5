// What bench/gpu.sh packs for the GPU machine besides the tracked files (bench/lib/gpu-files.mjs):
// the built bundles without their source maps, what esbuild reads from node_modules when the
// benches bundle their pages, hosts and programs there, and the packages they load as they are.
// (bench/gpu.sh rehearse checks on a clean copy that this is enough to run the benches.)
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../../bench/lib/build.mjs";
import { gpuFiles } from "../../bench/lib/gpu-files.mjs";

test("the packed files: dist without maps, three for the pages, esbuild with its binary, playwright-core", { skip: !existsSync(join(root, "dist", "webview.js")) && "dist/ is not built" }, async () => {
  const files = await gpuFiles();
  for (const f of ["dist/webview.js", "dist/runner-node.js", "dist/runtime.js", "node_modules/three/package.json", "node_modules/playwright-core/package.json", "node_modules/esbuild/package.json"]) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  assert.ok(files.some((f) => /^node_modules\/three\/build\/three\.(module|core)\.js$/.test(f)), "three's ES module build, which the bench pages bundle");
  assert.ok(files.some((f) => /^node_modules\/(@esbuild\/linux-x64|esbuild)\/bin\/esbuild$/.test(f)), "esbuild's native binary");
  assert.ok(!files.some((f) => f.endsWith(".map")), "no source maps");
  const threeFiles = files.filter((f) => f.startsWith("node_modules/three/")).length;
  assert.ok(threeFiles < readdirSync(join(root, "node_modules", "three"), { recursive: true }).length / 10, `only what the bundles read of three (${threeFiles} files), not the whole package`);
  for (const f of files) {
    assert.match(f, /^(dist|node_modules)\//, `${f} is an ignored build output, not a tracked file`);
    assert.ok(statSync(join(root, f)).isFile());
  }
  assert.deepEqual(files, [...new Set(files)].sort(), "sorted, each once");
});
