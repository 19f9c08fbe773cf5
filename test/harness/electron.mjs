#!/usr/bin/env node
// `npm run test:electron`: runs test/harness/electron-suite inside a desktop VS Code (Electron)
// through @vscode/test-electron, with the extension loaded from this repo. Nothing is downloaded:
// the executable comes from VSCODE_EXECUTABLE, or from `code` on PATH. Without either it fails and
// says so. (CI runs the code-server tests instead: see docs/harness.md.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function findExecutable() {
  if (process.env.VSCODE_EXECUTABLE) {
    if (!existsSync(process.env.VSCODE_EXECUTABLE)) throw new Error(`VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE} does not exist`);
    return process.env.VSCODE_EXECUTABLE;
  }
  for (const d of (process.env.PATH || "").split(delimiter)) {
    const p = d && join(d, "code");
    if (!p || !existsSync(p)) continue;
    // `code` is usually a launcher script (<install>/bin/code); test-electron needs the Electron
    // binary beside its parent folder, which stays in the foreground.
    const real = realpathSync(p);
    for (const cand of [join(dirname(real), "..", "code"), join(dirname(real), "..", "..", "MacOS", "Electron")]) {
      if (existsSync(cand) && !cand.endsWith("/bin/code")) return cand;
    }
    return real;
  }
  return null;
}

const exe = findExecutable();
if (!exe) {
  console.error(
    "test:electron: no desktop VS Code found. Set VSCODE_EXECUTABLE to its executable, or put `code` on PATH.\n" +
      "  (@vscode/test-electron is not allowed to download one here; `npm test` runs the real-VS-Code tests through code-server.)",
  );
  process.exit(1);
}
if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error("test:electron: no DISPLAY; on a headless machine run it as `xvfb-run -a npm run test:electron`");
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(1);

const { runTests } = await import("@vscode/test-electron");
const userData = mkdtempSync(join(tmpdir(), "scene-runner-electron-"));
try {
  await runTests({
    vscodeExecutablePath: exe,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, "test", "harness", "electron-suite", "index.cjs"),
    launchArgs: [join(root, "examples"), "--disable-extensions", "--user-data-dir", join(userData, "ud"), "--extensions-dir", join(userData, "ext")],
    extensionTestsEnv: { SCENE_RUNNER_EXTENSION_ID: "scene-runner.scene-runner" },
  });
  console.log("test:electron: passed");
} catch (e) {
  console.error(`test:electron: failed: ${e?.message || e}`);
  process.exitCode = 1;
} finally {
  rmSync(userData, { recursive: true, force: true });
}
