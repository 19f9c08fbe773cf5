#!/usr/bin/env node
// `npm run package`: a production build, then one .vsix per platform via @vscode/vsce (which wants
// Node 22+: when this Node is older, the harness's cached Node 24 runs it). Prints each file and its size.
// Options: --target <t> (repeatable; default this machine's), --all (every target in scripts/lib/targets.mjs),
// --out <file.vsix> (one target only) or --out-dir <folder>, --no-build (package dist/ as it is).
//
// Each VSIX carries esbuild's JS API and the native binary of its own platform only (esbuild
// transpiles users' TypeScript scenes at run time). The package is put together in a staging
// folder: this checkout's node_modules holds the binary of this machine alone, and vsce takes
// node_modules from `npm list`, so the staging folder's node_modules has exactly esbuild, the
// target's @esbuild/<target> (this machine's copy, or `npm pack`ed once into a cache) and the
// TypeScript server plugin. The binary is checked against the hash esbuild publishes for it.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hostTarget, TARGETS, targetList } from "./lib/targets.mjs";
import { PLUGIN_DIR, PLUGIN_NAME } from "./lib/types.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const esbuildDir = join(root, "node_modules", "esbuild");

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) throw new Error(`package: ${cmd} ${args.join(" ")} failed (exit ${r.status}): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
  return r.stdout;
}

/** The folder of @esbuild/<target> at esbuild's own version: this checkout's, or fetched from npm once. */
export function esbuildPlatformPackage(target, { log = () => {} } = {}) {
  const version = JSON.parse(readFileSync(join(esbuildDir, "package.json"), "utf8")).version;
  const local = join(root, "node_modules", "@esbuild", target);
  if (existsSync(join(local, "package.json")) && JSON.parse(readFileSync(join(local, "package.json"), "utf8")).version === version) return local;
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "scene-runner", `esbuild-${version}`, target);
  const pkg = join(cache, "package");
  if (!existsSync(join(pkg, TARGETS[target].binary))) {
    log(`package: fetching @esbuild/${target}@${version} from npm`);
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    const tgz = run("npm", ["pack", `@esbuild/${target}@${version}`, "--pack-destination", cache, "--silent"], { cwd: cache }).trim().split("\n").pop();
    run("tar", ["-xzf", join(cache, tgz), "-C", cache]);
  }
  return pkg;
}

/** Throws unless the file is the binary esbuild's package.json names for that target (sha256). */
export function checkEsbuildBinary(target, file) {
  const hashes = JSON.parse(readFileSync(join(esbuildDir, "package.json"), "utf8"))["esbuild.binaryHashes"] ?? {};
  const want = hashes[`@esbuild/${target}/${TARGETS[target].binary}`];
  const got = createHash("sha256").update(readFileSync(file)).digest("hex");
  if (want && want !== got) throw new Error(`package: ${file} is not esbuild's ${target} binary (sha256 ${got}, esbuild says ${want})`);
}

/** A folder holding what the VSIX for `target` is made of, laid out as the extension's root. */
function stage(target, log) {
  const dir = mkdtempSync(join(tmpdir(), `scene-runner-vsix-${target}-`));
  for (const name of readdirSync(root)) {
    if (/^(package\.json|README\.md|LICENSE.*|CHANGELOG\.md|\.vscodeignore)$/.test(name)) cpSync(join(root, name), join(dir, name));
  }
  for (const sub of ["dist", "media", "python"]) {
    cpSync(join(root, sub), join(dir, sub), { recursive: true, filter: (src) => !/[\\/]__pycache__$/.test(src) });
  }
  if (!existsSync(join(PLUGIN_DIR, "index.js"))) throw new Error(`package: ${PLUGIN_DIR} is missing; run node scripts/build.mjs`);
  cpSync(PLUGIN_DIR, join(dir, "node_modules", PLUGIN_NAME), { recursive: true });
  cpSync(esbuildDir, join(dir, "node_modules", "esbuild"), { recursive: true });
  const platform = esbuildPlatformPackage(target, { log });
  checkEsbuildBinary(target, join(platform, TARGETS[target].binary));
  cpSync(platform, join(dir, "node_modules", "@esbuild", target), { recursive: true });
  // npm list (run by vsce) must see exactly what is staged: the extension's run-time dependencies.
  const staged = { ...manifest, dependencies: { esbuild: manifest.dependencies.esbuild, [PLUGIN_NAME]: JSON.parse(readFileSync(join(PLUGIN_DIR, "package.json"), "utf8")).version } };
  delete staged.devDependencies;
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(staged, null, 2)}\n`);
  return dir;
}

let vsceNode;
async function vsceCommand(log) {
  if (!vsceNode) {
    vsceNode = process.execPath;
    if (Number(process.versions.node.split(".")[0]) < 22) {
      const { prepareNode } = await import("../test/harness/prepare.mjs");
      vsceNode = await prepareNode({ log });
    }
  }
  try {
    return [vsceNode, join(dirname(createRequire(import.meta.url).resolve("@vscode/vsce/package.json")), "vsce")];
  } catch {
    throw new Error("package: @vscode/vsce is not installed; run `npm install` first");
  }
}

/** Builds (unless build: false) and packages one target; returns { file, bytes, target }. */
export async function packageVsix({ out, build = true, target = hostTarget(), log = (m) => console.error(m) } = {}) {
  if (!target || !TARGETS[target]) throw new Error(`package: no VSIX target ${target ?? `for ${process.platform}-${process.arch}`}; pick one of ${targetList()}`);
  const file = resolve(root, out || `${manifest.name}-${target}-${manifest.version}.vsix`);
  if (build) {
    const b = spawnSync(process.execPath, [join(root, "scripts", "build.mjs"), "--production"], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) throw new Error("package: the production build failed");
  }
  const [node, vsce] = await vsceCommand(log);
  const dir = stage(target, log);
  try {
    // No repository field and no LICENSE file yet: say so up front instead of being asked on stdin.
    const args = [vsce, "package", "--target", target, "--out", file, "--allow-missing-repository", "--skip-license", "--allow-star-activation", "--no-rewrite-relative-links"];
    const r = spawnSync(node, args, { cwd: dir, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, npm_config_update_notifier: "false" } });
    if (r.status !== 0) throw new Error(`package: vsce failed for ${target} (exit ${r.status})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { file, bytes: statSync(file).size, target };
}

/** Every target (or those named), built once; outDir holds scene-runner-<target>-<version>.vsix. */
export async function packageAll({ targets = Object.keys(TARGETS), outDir = root, build = true, log } = {}) {
  const made = [];
  for (const [i, target] of targets.entries()) {
    made.push(await packageVsix({ target, build: build && i === 0, out: join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`), log }));
  }
  return made;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const targets = argv.includes("--all") ? Object.keys(TARGETS) : argv.flatMap((a, i) => (a === "--target" ? [argv[i + 1]] : []));
  try {
    const build = !argv.includes("--no-build");
    const made = targets.length > 1 || opt("--out-dir")
      ? await packageAll({ targets: targets.length ? targets : undefined, outDir: resolve(opt("--out-dir") ?? root), build })
      : [await packageVsix({ out: opt("--out"), build, target: targets[0] })];
    for (const { file, bytes } of made) console.log(`package: ${file} (${(bytes / 1024 / 1024).toFixed(2)} MiB, ${bytes} bytes)`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
