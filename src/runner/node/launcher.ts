/** Launches TypeScript/JavaScript scene files in a Node child running dist/runner-node.js. */
import { join } from "node:path";
import type { Launcher } from "../launch.js";

/** The runner bundle sits next to whichever bundle imported this (all live in dist/). */
export function nodeRunnerScript(): string {
  return join(__dirname, "runner-node.js");
}

/**
 * A `.js` scene with `import`/`export` in a folder whose package.json does not say
 * "type": "module" loads as ESM only with module-syntax detection: on by default from
 * Node 20.19 and 22.7, behind a flag from 20.10.
 */
export function detectModuleFlag(version: string = process.versions.node): string[] {
  const [major, minor] = version.split(".").map(Number);
  const byDefault = (major === 20 && minor >= 19) || (major === 22 && minor >= 7) || major >= 23;
  const flagged = (major === 20 && minor >= 10) || major === 21 || major === 22;
  return !byDefault && flagged ? ["--experimental-detect-module"] : [];
}

/**
 * AsyncLocalStorage on AsyncContextFrame: the context rides on each promise continuation
 * instead of promise hooks that give every promise async ids, which is a third of what a task
 * costs V8 (docs/performance.md, "Node 22 and 24"). Node 24 does this by default; Node 22 and
 * 23 have it behind this flag (since 22.7). Asked for from 22.14, the oldest we ran the
 * runtime's and the asyncio conformance tests on with it (VS Code's Electron 35+ has 22.14 or
 * later); before that the runner keeps the hooks.
 */
export function asyncContextFrameFlag(version: string = process.versions.node): string[] {
  const [major, minor] = version.split(".").map(Number);
  return (major === 22 && minor >= 14) || major === 23 ? ["--experimental-async-context-frame"] : [];
}

export const nodeLauncher: Launcher = async (file) => ({
  // In VS Code, execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
  command: process.execPath,
  args: ["--enable-source-maps", "--no-warnings=ExperimentalWarning", ...detectModuleFlag(), ...asyncContextFrameFlag(), nodeRunnerScript(), file],
  env: { ELECTRON_RUN_AS_NODE: "1" },
});
