#!/usr/bin/env node
// `npm run package`: a production build, then the .vsix via @vscode/vsce (which wants Node 22+:
// when this Node is older, the harness's cached Node 24 runs it). Prints the file and its size.
// Options: --out <file.vsix>, --no-build (package dist/ as it is), --target <platform> (e.g. linux-x64).
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** Builds (unless build: false) and packages; returns { file, bytes }. */
export async function packageVsix({ out, build = true, target, log = (m) => console.error(m) } = {}) {
  const file = resolve(root, out || `${manifest.name}-${manifest.version}.vsix`);
  if (build) {
    const b = spawnSync(process.execPath, [join(root, "scripts", "build.mjs"), "--production"], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) throw new Error("package: the production build failed");
  }
  let node = process.execPath;
  if (Number(process.versions.node.split(".")[0]) < 22) {
    const { prepareNode } = await import("../test/harness/prepare.mjs");
    node = await prepareNode({ log });
  }
  let vsce;
  try {
    vsce = join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce");
  } catch {
    throw new Error("package: @vscode/vsce is not installed; run `npm install` first");
  }
  // No repository field and no LICENSE file yet: say so up front instead of being asked on stdin.
  const args = [vsce, "package", "--out", file, "--allow-missing-repository", "--skip-license", "--allow-star-activation", "--no-rewrite-relative-links"];
  if (target) args.push("--target", target);
  const r = spawnSync(node, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`package: vsce failed (exit ${r.status})`);
  return { file, bytes: statSync(file).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  try {
    const { file, bytes } = await packageVsix({ out: opt("--out"), build: !argv.includes("--no-build"), target: opt("--target") });
    console.log(`package: ${file} (${(bytes / 1024 / 1024).toFixed(2)} MiB, ${bytes} bytes)`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
