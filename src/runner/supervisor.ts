/**
 * Starts and supervises the process that runs one scene program, whatever its
 * language: wires the runner pipe, passes the program's own output through
 * untouched, and stops it in two steps — a STOP request (every task cancelled,
 * finally blocks run), then a kill of its whole process group if it has not
 * exited after the grace period (a busy loop, a blocking call).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { extname, resolve } from "node:path";
import type { Duplex } from "node:stream";
import { validateRunnerToHost, type HostToRunner, type RunnerToHost, type SessionEndMessage } from "../protocol/runner.js";
import { Channel } from "./channel.js";
import { CHANNEL_ENV, CHANNEL_FD, COALESCE_ENV, LaunchError, type Launcher, type RunOptions } from "./launch.js";
import { nodeLauncher } from "./node/launcher.js";
import { pythonLauncher } from "./python/launcher.js";

export const SCENE_EXTENSIONS: Record<string, Launcher> = {
  ".ts": nodeLauncher,
  ".mts": nodeLauncher,
  ".cts": nodeLauncher,
  ".js": nodeLauncher,
  ".mjs": nodeLauncher,
  ".cjs": nodeLauncher,
  ".tsx": nodeLauncher,
  ".py": pythonLauncher,
};

export interface SessionOptions extends RunOptions {
  file: string;
  cwd?: string;
  onMessage(message: RunnerToHost): void;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
  /** A message from the child that failed validation (reported, not fatal). */
  onProtocolError?(error: Error): void;
  /** How long a stopped child may take to exit before it is killed. */
  graceMs?: number;
}

export interface SessionExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The child's SESSION_END, if it managed to send one. */
  end?: SessionEndMessage;
  /** True when the supervisor had to kill the child. */
  killed: boolean;
}

export interface RunningSession {
  readonly pid: number;
  readonly file: string;
  send(message: HostToRunner): boolean;
  /** Asks the program to stop; kills it after the grace period. Resolves when it has exited. */
  stop(): Promise<SessionExit>;
  /** Ends the process at once. */
  kill(): void;
  readonly exited: Promise<SessionExit>;
}

export function launcherFor(file: string): Launcher {
  const launcher = SCENE_EXTENSIONS[extname(file).toLowerCase()];
  if (!launcher) {
    throw new LaunchError(`${file}: not a scene file (expected one of ${Object.keys(SCENE_EXTENSIONS).join(", ")})`);
  }
  return launcher;
}

export async function startSession(options: SessionOptions): Promise<RunningSession> {
  const file = resolve(options.file);
  const spec = await launcherFor(file)(file, options);
  const child: ChildProcess = spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? options.cwd,
    env: { ...process.env, ...spec.env, [CHANNEL_ENV]: String(CHANNEL_FD), [COALESCE_ENV]: options.coalesce ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    // Its own process group: Ctrl-C reaches the supervisor only, and a kill takes its children too.
    detached: true,
  });
  const spawned = new Promise<void>((res, rej) => {
    child.once("spawn", res);
    child.once("error", (e) => rej(new LaunchError(`cannot start ${spec.command}: ${e.message}`)));
  });
  await spawned;
  let end: SessionEndMessage | undefined;
  let killed = false;
  const channel = new Channel<RunnerToHost, HostToRunner>(child.stdio[CHANNEL_FD] as Duplex, validateRunnerToHost, {
    message: (m) => {
      // SESSION_END is held until the child's output pipes are drained too: it is always the last message.
      if (m.etype === "SESSION_END") end = m;
      else options.onMessage(m);
    },
    invalid: (e) => options.onProtocolError?.(e),
  });
  child.stdout!.on("data", (c: Buffer) => options.onStdout?.(c));
  child.stderr!.on("data", (c: Buffer) => options.onStderr?.(c));
  const exited = new Promise<SessionExit>((res) => {
    child.once("close", (code, signal) => {
      if (end) options.onMessage(end);
      res({ code, signal, end, killed });
    });
  });
  const pid = child.pid!;
  const killGroup = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  };
  let stopping: Promise<SessionExit> | undefined;
  return {
    pid,
    file,
    exited,
    send: (m) => channel.send(m),
    kill: killGroup,
    stop() {
      stopping ??= (async () => {
        channel.send({ etype: "STOP", ts: Date.now() });
        const timer = setTimeout(killGroup, options.graceMs ?? 1500);
        const result = await exited;
        clearTimeout(timer);
        return result;
      })();
      return stopping;
    },
  };
}
