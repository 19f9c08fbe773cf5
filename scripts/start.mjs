#!/usr/bin/env node
// `npm start`: builds the extension and runs it in a real VS Code, opened on examples/.
//  - With a desktop `code` on PATH (and no --server): `code --extensionDevelopmentPath=<repo> examples/`.
//  - Otherwise: the harness's cached code-server (prepared on first use; the Debian packages it needs
//    are installed when this runs as root, else it says what to install), the extension linked into a
//    fresh extensions dir, served on loopback; prints the URL to open and runs until Ctrl-C.
// Options: --server (always code-server), --port N (default: a free one), --watch (rebuild on change;
// reload the window to pick it up), --examples DIR (another folder to open).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const folder = resolve(opt("--examples", join(root, "examples")));
const fail = (msg) => {
  console.error(`start: ${msg}`);
  process.exit(1);
};

function onPath(cmd) {
  return (process.env.PATH || "").split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

// 1. Build.
const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) fail("the build failed");
if (!existsSync(join(root, "dist", "extension.js"))) fail("dist/extension.js was not built (is src/extension/extension.ts there?)");
if (!existsSync(folder)) fail(`no folder ${folder}`);

let watcher = null;
if (argv.includes("--watch")) {
  watcher = spawn(process.execPath, [join(root, "scripts", "build.mjs"), "--watch"], { cwd: root, stdio: "inherit" });
}

// 2a. A desktop VS Code takes the extension straight from the repo.
if (!argv.includes("--server") && onPath("code") && !process.env.SCENE_RUNNER_USE_CODE_SERVER) {
  console.log(`start: opening ${folder} in desktop VS Code with the extension from ${root}`);
  const r = spawnSync("code", [`--extensionDevelopmentPath=${root}`, "--new-window", folder], { stdio: "inherit" });
  if (r.status === 0) {
    if (watcher) console.log("start: rebuilding on change (Ctrl-C to stop); run 'Developer: Reload Window' to pick changes up");
    else process.exit(0);
  } else {
    console.error("start: `code` failed; falling back to code-server");
  }
}

// 2b. code-server.
const { missingBuildPrerequisites, harnessPaths, SYSTEM_DEPS_SCRIPT, prepare, PrepareError, cacheDir } = await import("../test/harness/prepare.mjs");
const prepared = existsSync(harnessPaths().complete);
if (!prepared && missingBuildPrerequisites().length) {
  const missing = missingBuildPrerequisites();
  if (process.getuid?.() === 0 && onPath("apt-get")) {
    console.log(`start: installing Debian packages ${missing.join(", ")} (once)`);
    const r = spawnSync("bash", [SYSTEM_DEPS_SCRIPT], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) fail(`installing the Debian packages failed; run: bash ${SYSTEM_DEPS_SCRIPT}`);
  } else {
    fail(`code-server needs ${missing.join(", ")} to build once. Run as root: bash ${SYSTEM_DEPS_SCRIPT}\n  (= apt-get install -y libkrb5-dev libxkbfile-dev libsecret-1-dev python3 make g++), then npm start again.`);
  }
}
try {
  if (!prepared) console.log("start: preparing code-server 4.139.1 + Node 24 once (a few minutes; cached in " + cacheDir() + ")");
  await prepare({ log: (m) => console.log(m) });
} catch (e) {
  fail(e instanceof PrepareError ? e.message : e.stack);
}

const { startCodeServer } = await import("../test/harness/vscode.mjs");
// User data kept between runs (settings, open editors); the extensions dir holds only this repo.
const state = join(cacheDir(), "start");
mkdirSync(state, { recursive: true });
let session;
try {
  session = await startCodeServer({
    name: "start",
    workspace: folder,
    extensionPath: root,
    port: Number(opt("--port", process.env.PORT || 0)),
    userDataDir: join(state, "user-data"),
    extensionsDir: join(state, "extensions"),
  });
} catch (e) {
  fail(e.message);
}
console.log(`
  Scene Runner is running in VS Code (code-server 4.139.1), listening on 127.0.0.1 only.
  Open: ${session.url}

  (From another machine, forward the port first, e.g. ssh -L ${session.port}:localhost:${session.port} <this host>.)
  Ctrl-C stops it.
`);
const stop = async () => {
  watcher?.kill();
  await session.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
session.server.child.on("exit", (code) => {
  console.error(`start: code-server exited (${code})`);
  watcher?.kill();
  process.exit(1);
});
