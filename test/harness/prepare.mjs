#!/usr/bin/env node
// Prepares, once per machine, the toolchain the real-VS-Code tests run on:
//   <cache>/node            Node 24 (from the npm package node-<platform>-<arch>)
//   <cache>/nodedir         headers laid out the way node-gyp wants them
//   <cache>/code-server     code-server (= VS Code server + workbench) with its native modules built
// <cache> defaults to ${XDG_CACHE_HOME:-~/.cache}/scene-runner/vscode-<code-server version>,
// overridable with SCENE_RUNNER_HARNESS_CACHE. Each stage writes a marker when it is complete;
// a stage without its marker is wiped and redone. A lock directory keeps two runs from
// installing into the same folder at once.
//
// As a script: `node test/harness/prepare.mjs [--check]` (--check: report, install nothing).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, cpSync, renameSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CODE_SERVER_VERSION = "4.139.1";
export const NODE_VERSION = process.env.SCENE_RUNNER_NODE_VERSION || "24.21.0";
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;

// Debian packages the native-module build needs (headers), with a file each one provides.
export const BUILD_PACKAGES = [
  { pkg: "libkrb5-dev", file: "/usr/include/krb5.h" },
  { pkg: "libxkbfile-dev", file: "/usr/include/X11/extensions/XKBfile.h" },
  { pkg: "libsecret-1-dev", file: "/usr/include/libsecret-1/libsecret/secret.h" },
];
const BUILD_TOOLS = ["python3", "make", "g++", "tar"];

export const HERE = fileURLToPath(new URL(".", import.meta.url));
export const REPO = resolve(HERE, "..", "..");
export const SYSTEM_DEPS_SCRIPT = join(HERE, "install-system-deps.sh");

export function cacheDir() {
  if (process.env.SCENE_RUNNER_HARNESS_CACHE) return resolve(process.env.SCENE_RUNNER_HARNESS_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "scene-runner", `vscode-${CODE_SERVER_VERSION}`);
}

/** Paths inside a prepared cache (they exist only after prepare()). */
export function harnessPaths(dir = cacheDir()) {
  const codeServer = join(dir, "code-server", "node_modules", "code-server");
  return {
    dir,
    nodeBin: join(dir, "node", "bin"),
    node: join(dir, "node", "bin", "node"),
    nodedir: join(dir, "nodedir"),
    codeServer,
    entry: join(codeServer, "out", "node", "entry.js"),
    complete: join(dir, ".complete"),
  };
}

export class PrepareError extends Error {}

function which(cmd) {
  for (const d of (process.env.PATH || "").split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return null;
}

/** Missing prerequisites for building code-server's native modules (empty when all present). */
export function missingBuildPrerequisites() {
  const missing = [];
  for (const { pkg, file } of BUILD_PACKAGES) if (!existsSync(file)) missing.push(pkg);
  for (const tool of BUILD_TOOLS) if (!which(tool)) missing.push(tool === "g++" ? "g++" : tool);
  if (!which("npm")) missing.push("npm");
  return missing;
}

function isComplete(p) {
  if (!existsSync(p.complete)) return false;
  try {
    const m = JSON.parse(readFileSync(p.complete, "utf8"));
    return m.codeServer === CODE_SERVER_VERSION && m.node === NODE_VERSION && existsSync(p.entry) && existsSync(p.node);
  } catch {
    return false;
  }
}

function run(cmd, args, { cwd, env, log, label }) {
  return new Promise((resolveRun, reject) => {
    log(`prepare: ${label || [cmd, ...args].join(" ")}  (in ${cwd})`);
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-6000);
      if (process.env.SCENE_RUNNER_PREPARE_VERBOSE) process.stderr.write(chunk);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (e) => reject(new PrepareError(`prepare: could not start ${cmd}: ${e.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) resolveRun(tail);
      else reject(new PrepareError(`prepare: \`${[cmd, ...args].join(" ")}\` failed (${signal || "exit " + code}) in ${cwd}\n--- last output ---\n${tail}`));
    });
  });
}

// ---- lock ---------------------------------------------------------------------------------
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

async function withLock(lockDir, log, fn, timeoutMs = 40 * 60_000) {
  const start = Date.now();
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lockDir, "pid"), "utf8"));
      } catch {}
      const age = (() => {
        try {
          return Date.now() - statSync(lockDir).mtimeMs;
        } catch {
          return 0;
        }
      })();
      // A lock whose owner is gone (or that never got its pid written, for long) is stale.
      if ((Number.isFinite(holder) && holder > 0 && !pidAlive(holder)) || (!Number.isFinite(holder) && age > 60_000)) {
        log(`prepare: removing stale lock ${lockDir} (pid ${holder})`);
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) throw new PrepareError(`prepare: timed out waiting for lock ${lockDir} held by pid ${holder}`);
      if (!announced) log(`prepare: waiting for another prepare (pid ${holder}) to finish...`);
      announced = true;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

// ---- stages -------------------------------------------------------------------------------
async function stageNode(p, env, log) {
  const marker = join(p.dir, "node", ".ok");
  if (existsSync(marker) && readFileSync(marker, "utf8") === NODE_VERSION && existsSync(p.node)) return;
  rmSync(join(p.dir, "node"), { recursive: true, force: true });
  rmSync(p.nodedir, { recursive: true, force: true });
  const tmp = join(p.dir, "tmp-node");
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await run("npm", ["pack", `${NODE_PACKAGE}@${NODE_VERSION}`, "--silent"], { cwd: tmp, env, log });
  const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new PrepareError(`prepare: npm pack ${NODE_PACKAGE}@${NODE_VERSION} produced no tarball`);
  await run("tar", ["xzf", tgz], { cwd: tmp, env, log });
  renameSync(join(tmp, "package"), join(p.dir, "node"));
  rmSync(tmp, { recursive: true, force: true });
  const v = spawnSync(p.node, ["--version"], { encoding: "utf8" });
  if (v.status !== 0 || !v.stdout.startsWith("v24.")) throw new PrepareError(`prepare: ${p.node} does not run as Node 24: ${v.stdout}${v.stderr}`);
  // node-gyp wants <nodedir>/include/node/*.h and <nodedir>/common.gypi.
  mkdirSync(p.nodedir, { recursive: true });
  cpSync(join(p.dir, "node", "include"), join(p.nodedir, "include"), { recursive: true });
  cpSync(join(p.nodedir, "include", "node", "common.gypi"), join(p.nodedir, "common.gypi"));
  writeFileSync(marker, NODE_VERSION);
  log(`prepare: Node ${v.stdout.trim()} ready`);
}

async function stageCodeServer(p, env, log) {
  const root = join(p.dir, "code-server");
  const marker = join(root, ".ok");
  if (existsSync(marker) && readFileSync(marker, "utf8") === `${CODE_SERVER_VERSION}/${NODE_VERSION}` && existsSync(p.entry)) return;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "scene-runner-harness", private: true }, null, 2));
  const npmArgs = ["--no-audit", "--no-fund", "--loglevel=error"];
  // argon2 ships prebuilt binaries; code-server's own install script would try to do what we do next.
  await run("npm", ["install", `code-server@${CODE_SERVER_VERSION}`, "--ignore-scripts", ...npmArgs], { cwd: root, env, log });
  const vscodeDir = join(p.codeServer, "lib", "vscode");
  await run("npm", ["install", "--omit=dev", ...npmArgs], { cwd: vscodeDir, env, log, label: "npm install --omit=dev (VS Code native modules; a few minutes)" });
  await run("npm", ["install", "--omit=dev", ...npmArgs], { cwd: join(vscodeDir, "extensions"), env, log, label: "npm install --omit=dev (built-in extensions)" });
  writeFileSync(marker, `${CODE_SERVER_VERSION}/${NODE_VERSION}`);
}

/** Environment with Node 24 first on PATH and node-gyp pointed at its headers. */
export function node24Env(p = harnessPaths(), base = process.env) {
  const env = { ...base };
  // Variables of an outer `npm run` (npm_config_local_prefix, npm_package_*, ...) must not steer
  // the nested installs into the repo.
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === "INIT_CWD") delete env[k];
  env.PATH = `${p.nodeBin}${delimiter}${base.PATH || ""}`;
  env.npm_config_nodedir = p.nodedir;
  env.npm_config_update_notifier = "false";
  env.ELECTRON_SKIP_BINARY_DOWNLOAD = "1";
  env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
  return env;
}

/**
 * Ensures the cache is complete and returns its paths. Throws PrepareError with a message that
 * says what to do when something is missing.
 */
export async function prepare({ log = (m) => console.error(m) } = {}) {
  const p = harnessPaths();
  if (isComplete(p)) return p;
  mkdirSync(p.dir, { recursive: true });
  return withLock(`${p.dir}.lock`, log, async () => {
    if (isComplete(p)) return p; // another run finished it while we waited
    const missing = missingBuildPrerequisites();
    if (missing.length) {
      throw new PrepareError(
        `prepare: cannot build code-server ${CODE_SERVER_VERSION}: missing ${missing.join(", ")}.\n` +
          `Install them (Debian, as root): bash ${SYSTEM_DEPS_SCRIPT}\n` +
          `  (= apt-get install -y libkrb5-dev libxkbfile-dev libsecret-1-dev python3 make g++ chromium)`,
      );
    }
    rmSync(p.complete, { force: true });
    const t0 = Date.now();
    log(`prepare: installing Node ${NODE_VERSION} + code-server ${CODE_SERVER_VERSION} into ${p.dir} (once; several minutes)`);
    const baseEnv = node24Env(p);
    await stageNode(p, baseEnv, log);
    await stageCodeServer(p, baseEnv, log);
    // --config: keep code-server from writing ~/.config/code-server/config.yaml.
    const cs = spawnSync(p.node, [p.entry, "--config", join(p.dir, "config.yaml"), "--version"], { encoding: "utf8", env: baseEnv, timeout: 60_000 });
    if (cs.status !== 0 || !cs.stdout.includes(CODE_SERVER_VERSION)) {
      throw new PrepareError(`prepare: code-server does not start: ${cs.stdout}${cs.stderr}`);
    }
    writeFileSync(p.complete, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, at: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) }) + "\n");
    log(`prepare: done in ${Math.round((Date.now() - t0) / 1000)} s (code-server ${cs.stdout.split("\n").find((l) => l.startsWith(CODE_SERVER_VERSION))})`);
    return p;
  });
}

/** Only Node 24 (for tools that want Node 22+, such as @vscode/vsce); returns its binary. */
export async function prepareNode({ log = (m) => console.error(m) } = {}) {
  const p = harnessPaths();
  const ok = () => existsSync(join(p.dir, "node", ".ok")) && readFileSync(join(p.dir, "node", ".ok"), "utf8") === NODE_VERSION && existsSync(p.node);
  if (ok()) return p.node;
  mkdirSync(p.dir, { recursive: true });
  await withLock(`${p.dir}.lock`, log, async () => {
    if (!ok()) await stageNode(p, node24Env(p), log);
  });
  return p.node;
}

/** The Chromium executable the harness drives, or a PrepareError telling how to get one. */
export function chromiumPath() {
  const exe = process.env.CHROME_PATH || "/usr/bin/chromium";
  if (!existsSync(exe)) {
    throw new PrepareError(`harness: no Chromium at ${exe}. Install Debian's: bash ${SYSTEM_DEPS_SCRIPT} (or apt-get install -y chromium), or set CHROME_PATH.`);
  }
  return exe;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const p = harnessPaths();
  if (process.argv.includes("--check")) {
    const ok = isComplete(p);
    console.log(`${ok ? "ready" : "not prepared"}: ${p.dir}`);
    const missing = missingBuildPrerequisites();
    if (missing.length) console.log(`missing build prerequisites: ${missing.join(", ")}`);
    process.exit(ok ? 0 : 1);
  }
  try {
    const t0 = Date.now();
    await prepare({ log: (m) => console.log(m) });
    chromiumPath();
    console.log(`prepare: ready (${((Date.now() - t0) / 1000).toFixed(1)} s): ${p.dir}`);
  } catch (e) {
    console.error(e instanceof PrepareError ? e.message : e);
    process.exit(1);
  }
}
