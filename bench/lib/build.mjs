// esbuild helpers: benchmark programs, the host-side modules and the naive three.js page
// are bundled into node_modules/.cache/scene-runner-bench (never into the source tree).
import * as esbuild from "esbuild";
import { mkdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cacheDir = join(root, "node_modules", ".cache", "scene-runner-bench");

/** A standalone TS script (bench/programs/*.ts) as one ES module, "scene-runner" = dist/runtime.js. */
export async function bundleScript(file) {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, basename(file).replace(/\.ts$/, ".mjs"));
  await esbuild.build({
    entryPoints: [join(root, file)], outfile, bundle: true, format: "esm", platform: "node", target: "node20",
    logLevel: "warning", absWorkingDir: root,
    // "scene-runner" is the built library (dist/runtime.js), loaded as a user's program loads it.
    plugins: [{
      name: "scene-runner-dist",
      setup(b) {
        b.onResolve({ filter: /^scene-runner$/ }, () => ({ path: join(root, "dist", "runtime.js"), external: true }));
      },
    }],
  });
  return outfile;
}

/**
 * bench/host/*.ts (imports src/ modules) as one CommonJS module for node. `__dirname` is
 * the dist folder, as in the shipped bundles: the launchers find runner-node.js and python/ from it.
 */
export async function bundleHost(file, name) {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, name);
  await esbuild.build({
    entryPoints: [join(root, file)], outfile, bundle: true, format: "cjs", platform: "node", target: "node20",
    external: ["esbuild", "playwright-core"], logLevel: "warning", absWorkingDir: root,
    define: { __dirname: JSON.stringify(join(root, "dist")) },
  });
  return outfile;
}

/** A browser page script (bench/pages/*.ts, three.js inside) as one IIFE; returns its text. */
export async function bundlePage(file) {
  const r = await esbuild.build({
    entryPoints: [join(root, file)], bundle: true, format: "iife", platform: "browser", target: "chrome114",
    write: false, logLevel: "warning", absWorkingDir: root,
  });
  return r.outputFiles[0].text;
}
