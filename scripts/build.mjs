#!/usr/bin/env node
// Builds every bundle with esbuild: the extension host, the Node runner child,
// the CLI, the runtime library and the webview viewer. `--watch` rebuilds on change.
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { writeContractPy } from "./gen-python-contract.mjs";
import { extensionBundle } from "./lib/extension-bundle.mjs";
import { pluginBuild, writeDeclarations } from "./lib/types.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

// `import gz from "scene-runner-font:NAME"` in the viewer: media/fonts/NAME.typeface.json,
// gzipped into the bundle as bytes (inflated only when a Text3D is drawn). Embedding keeps
// the font working wherever the bundle loads (VS Code webview, headless snapshot) with no
// extra request under the page's CSP and nothing fetched from the internet.
const fonts = {
  name: "scene-runner-fonts",
  setup(build) {
    build.onResolve({ filter: /^scene-runner-font:/ }, (args) => {
      const name = args.path.slice("scene-runner-font:".length);
      if (!/^[a-z0-9_-]+$/.test(name)) return { errors: [{ text: `bad font name ${name}` }] };
      return { path: join(root, "media", "fonts", `${name}.typeface.json`), namespace: "scene-runner-font" };
    });
    build.onLoad({ filter: /.*/, namespace: "scene-runner-font" }, (args) => ({
      contents: gzipSync(readFileSync(args.path), { level: 9 }),
      loader: "binary",
      watchFiles: [args.path],
    }));
  },
};

// In the splat chunk, `import ... from "three"` reads the viewer bundle's three (one copy on the page).
const threeFromViewer = {
  name: "three-from-viewer",
  setup(build) {
    build.onResolve({ filter: /^three$/ }, () => ({ path: "three", namespace: "three-from-viewer" }));
    build.onLoad({ filter: /.*/, namespace: "three-from-viewer" }, () => ({ contents: "module.exports = globalThis.__sceneRunnerThree;", loader: "js" }));
  },
};

const node = { bundle: true, platform: "node", target: "node20", format: "cjs", sourcemap: true, minify: production, logLevel: "warning" };
const bundles = [
  extensionBundle(production),
  // The child process that runs a user's TypeScript/JavaScript scene program.
  { ...node, entryPoints: ["src/runner/node/child.ts"], outfile: "dist/runner-node.js", external: ["esbuild"] },
  // The recording worker: keyframes and deflating off the host's thread (src/recording/deflate-worker.ts finds it beside the bundle).
  { ...node, entryPoints: ["src/recording/segment-worker.ts"], outfile: "dist/recording-worker.js" },
  // `scene-runner run|snapshot`.
  { ...node, entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.js", external: ["esbuild", "playwright-core"] },
  // The library scene programs import as "scene-runner" (when installed from npm).
  { ...node, entryPoints: ["src/runtime/index.ts"], outfile: "dist/runtime.js" },
  // The viewer: one script with three inside, no CDN (and the codicon CSS and font: webview/icons.ts).
  { bundle: true, platform: "browser", target: "chrome114", format: "iife", sourcemap: true, minify: production, logLevel: "warning",
    entryPoints: ["webview/main.ts"], outfile: "dist/webview.js", loader: { ".css": "text", ".ttf": "binary" }, plugins: [fonts] },
  // Spark's splat renderer, added to the viewer page only when a splat node appears (webview/nodes/chunks.ts);
  // "three" is the viewer's own copy, handed over in a global (webview/nodes/three-for-chunks.ts).
  { bundle: true, platform: "browser", target: "chrome114", format: "iife", sourcemap: true, minify: production, logLevel: "warning",
    entryPoints: ["webview/nodes/splat-chunk.ts"], outfile: "dist/webview-splats.js", plugins: [threeFromViewer] },
  // The FBX / COLLADA / BVH loaders and the 16-bit PNG decoder, likewise loaded only when a scene has such a file.
  { bundle: true, platform: "browser", target: "chrome114", format: "iife", sourcemap: true, minify: production, logLevel: "warning",
    entryPoints: ["webview/nodes/loaders-chunk.ts"], outfile: "dist/webview-loaders.js", plugins: [threeFromViewer] },
  // The TypeScript server plugin: "scene-runner" resolves to dist/types/scene-runner.d.ts in any folder.
  pluginBuild(node),
];

mkdirSync(join(root, "dist"), { recursive: true });
const present = bundles.filter((b) => existsSync(join(root, b.entryPoints[0])));
for (const b of bundles) if (!present.includes(b)) console.warn(`build: skipping ${b.entryPoints[0]} (not written yet)`);
const opts = present.map((b) => ({ ...b, absWorkingDir: root }));
if (watch) {
  for (const o of opts) await (await esbuild.context(o)).watch();
  console.log("build: watching");
} else {
  // Let every bundle finish before reporting: one failure must not leave the others half written.
  const results = await Promise.allSettled(opts.map((o) => esbuild.build(o)));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length) {
    for (const f of failed) console.error(`build: ${f.reason?.message ?? f.reason}`);
    process.exit(1);
  }
  // The Python side's constants come from the TypeScript contract (checked in; rewritten when changed).
  if (await writeContractPy()) console.log("build: python/scene_runner/contract.py regenerated from the TypeScript contract");
  // The declarations the editor types "scene-runner" imports with (package.json `types`, the plugin).
  if (await writeDeclarations()) console.log("build: dist/types/scene-runner.d.ts written");
}
