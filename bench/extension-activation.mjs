// extension.activation: the size of the extension host bundle as a VSIX ships it (the
// production build: minified) and the time activate() takes. The extension logs its own activation time ("activated in X ms");
// we read that line from its log channel while running the bundle in plain node under a
// fake `vscode` module (bench/programs/activate.cjs), one fresh process per run. The peer
// is a minimal extension (bench/programs/hello-extension.js) activated the same way.
import * as esbuild from "esbuild";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { extensionBundle } from "../scripts/lib/extension-bundle.mjs";
import { cacheDir, root } from "./lib/build.mjs";
import { check, interleave, lastJson, median, round, run as runProcess } from "./lib/measure.mjs";

export const name = "extension.activation";
const BUDGET_KB = 300;

async function activate(file) {
  const r = check(await runProcess(process.execPath, [join(root, "bench", "programs", "activate.cjs"), file], { timeoutMs: 30_000 }), `activate ${file}`);
  const out = lastJson(r.stdout, "activate.cjs");
  if (out.selfMs === null) throw new Error(`${file}: no "activated in X ms" line in its log`);
  return out;
}

/**
 * The production bundle, built into the bench cache with the build's own options. `__dirname`
 * stays the dist folder, as for the bundle in a VSIX (it finds the runner and the viewer there).
 */
async function shippedBundle() {
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, "extension.production.js");
  await esbuild.build({ ...extensionBundle(true), outfile, absWorkingDir: root, sourcemap: false, define: { __dirname: JSON.stringify(join(root, "dist")) } });
  return outfile;
}

export async function run(ctx) {
  const bundle = await shippedBundle();
  const kb = statSync(bundle).size / 1024;
  const devKb = statSync(join(root, "dist", "extension.js")).size / 1024;
  const hello = join(root, "bench", "programs", "hello-extension.js");
  const s = await interleave({ ...ctx.reps, log: ctx.log, ours: () => activate(bundle), peer: () => activate(hello) });
  const ours = median(s.ours.map((r) => r.selfMs));
  const peer = median(s.peer.map((r) => r.selfMs));
  return [
    {
      name: "extension.activation", ours: round(ours), peer: round(peer), peerName: "minimal extension (1 command, 1 channel)", unit: "ms",
      ratio: round(ours / peer), goal: "< 50 ms", met: ours < 50, runs: s.ours.length,
      method: "the extension's own log line 'activated in X ms', bundle run in node under a fake vscode module",
      measuredOutsideMs: round(median(s.ours.map((r) => r.activateMs))),
      // Cold require() of the bundle in a fresh node process (in VS Code most node builtins are already loaded).
      requireMs: round(median(s.ours.map((r) => r.requireMs))),
    },
    {
      name: "extension.bundle", ours: round(kb), peer: BUDGET_KB, peerName: "issue 7 budget", unit: "KB",
      ratio: round(kb / BUDGET_KB), goal: `< ${BUDGET_KB} KB`, met: kb < BUDGET_KB, runs: 1,
      file: "the production build (minified, as in the VSIX)", developmentBuildKB: round(devKb),
    },
  ];
}
