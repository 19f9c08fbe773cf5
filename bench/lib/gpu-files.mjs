#!/usr/bin/env node
// `node bench/lib/gpu-files.mjs`: prints, one a line and relative to the repository, the ignored
// files that render.boxes, points.million and pipeline.updates read on a machine that has only
// the tracked files (bench/gpu.sh packs them for the GPU machine). Nothing is guessed:
//  - dist/ (the built bundles they load: viewer, runner child, runtime), without source maps;
//  - node_modules files that esbuild reads when the benches bundle their pages, hosts and
//    programs there, found by bundling the same entry points here with a metafile;
//  - the packages loaded at run time as they are: esbuild (with its platform binary) and
//    playwright-core.
import * as esbuild from "esbuild";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { root } from "./build.mjs";

// What bench/lib/build.mjs bundles, and how: every host, page and program of bench/ (not only
// today's three benches' own: one that starts using another file still finds what it imports).
const tsUnder = (dir) => [...walk(join(root, dir))].filter((f) => f.endsWith(".ts")).map((f) => relative(root, f)).sort();
const entries = () => [
  { files: tsUnder("bench/host"), platform: "node", external: ["esbuild", "playwright-core"] },
  { files: tsUnder("bench/pages"), platform: "browser", external: [] },
  { files: tsUnder("bench/programs"), platform: "node", external: ["scene-runner"] },
];
const WHOLE_PACKAGES = ["esbuild", "@esbuild/linux-x64", "playwright-core"];

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Every package.json from a file's folder up to node_modules/: esbuild reads them to resolve. */
function packageJsons(file) {
  const out = [];
  for (let d = dirname(join(root, file)); relative(join(root, "node_modules"), d) && !relative(join(root, "node_modules"), d).startsWith(".."); d = dirname(d)) {
    if (existsSync(join(d, "package.json"))) out.push(relative(root, join(d, "package.json")));
  }
  return out;
}

export async function gpuFiles() {
  const files = new Set();
  for (const f of walk(join(root, "dist"))) if (!f.endsWith(".map")) files.add(relative(root, f));
  for (const e of entries()) {
    const r = await esbuild.build({
      entryPoints: e.files.map((f) => join(root, f)), bundle: true, write: false, metafile: true, outdir: "/nonexistent",
      platform: e.platform, format: e.platform === "node" ? "cjs" : "iife", external: e.external, logLevel: "error", absWorkingDir: root,
    });
    for (const input of Object.keys(r.metafile.inputs)) {
      if (!input.startsWith(`node_modules${sep}`) && !input.startsWith("node_modules/")) continue;
      files.add(input);
      for (const p of packageJsons(input)) files.add(p);
    }
  }
  for (const pkg of WHOLE_PACKAGES) {
    const dir = join(root, "node_modules", pkg);
    if (!existsSync(dir)) continue; // @esbuild/linux-x64 only where npm installed that platform's binary
    for (const f of walk(dir)) files.add(relative(root, f));
  }
  for (const f of files) if (!statSync(join(root, f)).isFile()) throw new Error(`gpu-files: ${f} is not a file`);
  return [...files].sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(join(root, "dist", "webview.js"))) {
    console.error("gpu-files: dist/ is not built: run `npm run build` first");
    process.exit(1);
  }
  process.stdout.write(`${(await gpuFiles()).join("\n")}\n`);
}
