/**
 * How a supervisor starts the process that runs a user's program. Each language
 * has a Launcher; the supervisor (src/runner/supervisor.ts) does the rest the same
 * way for all of them:
 *
 *  - the child gets fd 3 as a duplex channel (a Unix socket pair) carrying frames
 *    (src/protocol/frames.ts) of RunnerToHost messages out and HostToRunner in;
 *    the env var SCENE_RUNNER_CHANNEL_FD names it;
 *  - the child's stdout and stderr are the program's own output, untouched;
 *  - the child runs in its own process group (Ctrl-C reaches the supervisor only,
 *    which then sends STOP; Windows has no groups: the supervisor ends the tree with
 *    taskkill, see src/runner/process-tree.ts); it must treat the channel closing as STOP too;
 *  - on STOP the child cancels every task, lets finally blocks run, sends
 *    SESSION_END and exits; the supervisor kills it if it has not exited after a
 *    grace period.
 */
export interface LaunchSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface RunOptions {
  /** Interpreter for Python programs (`--python`, `sceneRunner.pythonPath`). */
  python?: string;
  /** Which vuer a Python program gets (`--vuer`, `sceneRunner.vuer`; src/runner/python/vuer-choice.ts). Default auto. */
  vuer?: "bundled" | "installed" | "auto";
  /**
   * Let the runner coalesce scene updates while its pipe is backed up (a viewer
   * is attached and only the latest state matters). Off for `run --events`,
   * which must record every message exactly as the program produced it.
   */
  coalesce?: boolean;
}

/** A problem the user can act on, stated in one line (missing interpreter, unsupported file...). */
export class LaunchError extends Error {
  override name = "LaunchError";
}

export type Launcher = (file: string, options: RunOptions) => Promise<LaunchSpec>;

export const CHANNEL_FD = 3;
export const CHANNEL_ENV = "SCENE_RUNNER_CHANNEL_FD";
export const COALESCE_ENV = "SCENE_RUNNER_COALESCE";
