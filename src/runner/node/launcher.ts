/** Launches TypeScript/JavaScript scene files in a Node child running dist/runner-node.js. */
import { join } from "node:path";
import type { Launcher } from "../launch.js";

/** The runner bundle sits next to whichever bundle imported this (all live in dist/). */
export function nodeRunnerScript(): string {
  return join(__dirname, "runner-node.js");
}

export const nodeLauncher: Launcher = async (file) => ({
  // In VS Code, execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
  command: process.execPath,
  args: ["--enable-source-maps", "--no-warnings=ExperimentalWarning", nodeRunnerScript(), file],
  env: { ELECTRON_RUN_AS_NODE: "1" },
});
