/**
 * Starts and supervises the process that runs one scene program, whatever its
 * language: wires the runner pipe, passes the program's own output through
 * untouched, and stops it in two steps — a STOP request (every task cancelled,
 * finally blocks run), then a kill of its whole process group if it has not
 * exited after the grace period (a busy loop, a blocking call). On Windows the kill
 * is `taskkill /T /F` of the runner's tree (no process groups or signals there).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { extname, resolve } from "node:path";
import type { Duplex } from "node:stream";
import { type HostToRunner, type RunnerToHost, type SessionEndMessage } from "../protocol/runner.js";
import { expandTaskBatch, validateRunnerPipe, type RunnerPipeMessage } from "../protocol/task-batch.js";
import type { DroppedNode } from "../protocol/scene.js";
import { ProtocolError } from "../protocol/validate.js";
import { Channel } from "./channel.js";
import { CHANNEL_ENV, CHANNEL_FD, COALESCE_ENV, LaunchError, type Launcher, type RunOptions } from "./launch.js";
import { nodeLauncher } from "./node/launcher.js";
import { fdTarget, platformProcesses, runningNotExiting, SESSION_MARKER_ENV, SessionProcesses } from "./process-tree.js";
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
  /**
   * `frame`: the frame body it came in, when validation took it whole (nothing dropped), so a
   * recording can keep those bytes instead of encoding the message again. Valid only during the call.
   */
  onMessage(message: RunnerToHost, frame?: Buffer): void;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
  /** A message from the child that failed validation (reported, not fatal). */
  onProtocolError?(error: Error): void;
  /** A malformed node the runner left out of its message (the rest applied); onProtocolError hears of it when this is absent. */
  onDroppedNode?(dropped: DroppedNode): void;
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
  /** True when the host asked for the stop (stop() or kill()). */
  stopRequested: boolean;
  /** The program closed the runner's channel (fd 3) while it ran: the supervisor stopped it. */
  channelClosed: boolean;
  /** Processes the program left running after the runner ended, killed by the supervisor. */
  leftovers: number;
  /** Output pipes were still held open (by a process that could not be killed) past the drain bound. */
  outputCut: boolean;
}

export interface RunningSession {
  readonly pid: number;
  readonly file: string;
  send(message: HostToRunner): boolean;
  /** Asks the program to stop; kills it after the grace period. Resolves when it has exited. */
  stop(): Promise<SessionExit>;
  /** Ends the process, its group and every process it started, at once. */
  kill(): void;
  /** Bytes of a message from the program that has started to arrive and is not whole yet. */
  inFlightBytes(): number;
  readonly exited: Promise<SessionExit>;
}

/**
 * After the runner exits, how long its output pipes may go without a byte read before they are
 * cut (a process that could not be killed holds them open). A host still reading a backlog is
 * making progress and is not cut: what the runner wrote before it ended is all delivered.
 */
export const DRAIN_MS = 2000;
/** How often the runner's fd 3 is checked (one readlink). */
const CHANNEL_WATCH_MS = 500;

// Sessions still running: if this process exits first, they are killed with it (synchronously).
const live = new Set<SessionProcesses>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const procs of live) {
      procs.track();
      procs.killAll();
    }
  });
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
  const platform = platformProcesses();
  const spec = await launcherFor(file)(file, options);
  const marker = randomBytes(12).toString("hex");
  const child: ChildProcess = spawn(spec.command, spec.args, {
    cwd: spec.cwd ?? options.cwd,
    env: {
      ...process.env,
      ...spec.env,
      [CHANNEL_ENV]: String(CHANNEL_FD),
      [COALESCE_ENV]: options.coalesce ? "1" : "0",
      // Inherited by everything the program starts: how its processes are found at the end.
      [SESSION_MARKER_ENV]: marker,
    },
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    // POSIX: its own session and process group (Ctrl-C reaches the supervisor only, and a kill
    // takes its children too). Windows: no console window of its own (platformProcesses).
    ...platform.spawn,
  });
  const spawned = new Promise<void>((res, rej) => {
    child.once("spawn", res);
    child.once("error", (e) => rej(new LaunchError(`cannot start ${spec.command}: ${e.message}`)));
  });
  await spawned;
  const pid = child.pid!;
  const procs = new SessionProcesses(pid, marker);
  installExitHook();
  live.add(procs);
  let end: SessionEndMessage | undefined;
  let killed = false;
  let stopRequested = false;
  let channelClosed = false;
  let runnerExited = false;
  let runtime: string | undefined;
  // A malformed node is left out of its message and reported; the rest of the message applies.
  let dropped = 0;
  const reportDropped = (d: DroppedNode) => {
    dropped++;
    if (options.onDroppedNode) options.onDroppedNode(d);
    else options.onProtocolError?.(new ProtocolError(`left out node ${d.key === undefined ? "without a key" : JSON.stringify(d.key)}: ${d.reason}`));
  };
  let droppedBefore = 0;
  const validate = (x: unknown) => {
    droppedBefore = dropped;
    return validateRunnerPipe(x, reportDropped);
  };
  const channel = new Channel<RunnerPipeMessage, HostToRunner>(child.stdio[CHANNEL_FD] as Duplex, validate, {
    message: (m, frame) => {
      if (m.etype === "SESSION_START") {
        runtime = m.runtime;
        // The runner paces its scene by our acks (src/runner/node/scene-sink.ts); one that did not ask gets none.
        if (m.acks) channel.sendAcks();
      }
      // SESSION_END is held until the child's output pipes are drained too: it is always the last message.
      // A batch of task reports (the Node runner's) is handed on as the reports it stands for.
      if (m.etype === "TASK_BATCH") {
        // Each report on its own, as unbatched frames would be: one that a receiver chokes on loses only itself.
        for (const r of expandTaskBatch(m)) {
          try {
            options.onMessage(r);
          } catch (e) {
            options.onProtocolError?.(e as Error);
          }
        }
      }
      else if (m.etype === "SESSION_END") end = m;
      else options.onMessage(m, dropped === droppedBefore ? frame : undefined);
    },
    invalid: (e) => options.onProtocolError?.(e),
    // Seen as end of stream when the program's close was the socket's last reference; a
    // Python reader thread blocked in recv() keeps it open, so the descriptor is watched too.
    close: () => checkChannel(),
  });
  // Bytes read from the runner's three pipes: after it exits, progress here keeps them being read.
  let bytesRead = 0;
  child.stdio[CHANNEL_FD]!.on("data", (c: Buffer) => (bytesRead += c.length));
  child.stdout!.on("data", (c: Buffer) => {
    bytesRead += c.length;
    options.onStdout?.(c);
  });
  child.stderr!.on("data", (c: Buffer) => {
    bytesRead += c.length;
    options.onStderr?.(c);
  });

  // The program closed fd 3 (the runner's channel) while running: it can no longer be told
  // to stop. The Node runner takes SIGINT as a stop request (cancel, finally), then the
  // ladder goes on; the Python runner leaves SIGINT to the program, so it is killed.
  const channelTarget = fdTarget(pid, CHANNEL_FD);
  const checkChannel = () => {
    if (end || runnerExited || stopRequested || channelClosed || !channelTarget) return;
    // A runner that is exiting closes its files too: that is not the program closing fd 3.
    if (!runningNotExiting(pid) || fdTarget(pid, CHANNEL_FD) === channelTarget) return;
    channelClosed = true;
    clearInterval(channelWatch);
    if (runtime !== "node" || !platform.interrupt) return killTree();
    try {
      process.kill(pid, platform.interrupt);
    } catch {
      // already gone
    }
    graceKill();
  };
  const channelWatch = setInterval(checkChannel, CHANNEL_WATCH_MS);
  channelWatch.unref();
  const killTree = () => {
    // Walk parentage while the runner is alive: descendants that left its group are found too.
    procs.track();
    if (!runnerExited) killed = true;
    procs.killAll();
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const graceKill = () => {
    graceTimer ??= setTimeout(killTree, options.graceMs ?? 1500);
  };

  const exited = new Promise<SessionExit>((res) => {
    child.once("exit", (code, signal) => {
      runnerExited = true;
      clearTimeout(graceTimer);
      clearInterval(channelWatch);
      // The session is over: whatever the program started and left running goes with it.
      procs.track();
      const leftovers = procs.alive().length;
      if (leftovers) procs.killAll();
      live.delete(procs);
      // Every byte the runner wrote is still read to the end of its pipes; a process that
      // could not be killed and still holds them open does not hold the session open.
      let outputCut = false;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(bound);
        // Frames a reading slice left for later are the runner's last ones, SESSION_END often among them.
        channel.drainLeftovers();
        if (end) options.onMessage(end);
        res({ code, signal, end, killed, stopRequested, channelClosed, leftovers, outputCut });
      };
      let readAtCheck = bytesRead;
      const check = () => {
        if (bytesRead !== readAtCheck) {
          readAtCheck = bytesRead;
          bound = setTimeout(check, DRAIN_MS);
          return;
        }
        outputCut = true;
        for (const s of [child.stdout, child.stderr, child.stdio[CHANNEL_FD]]) (s as Duplex | null)?.destroy();
        finish();
      };
      let bound = setTimeout(check, DRAIN_MS);
      child.once("close", finish);
    });
  });
  let stopping: Promise<SessionExit> | undefined;
  return {
    pid,
    file,
    exited,
    send: (m) => channel.send(m),
    inFlightBytes: () => channel.inboundBytes,
    kill: () => {
      stopRequested = true;
      if (!runnerExited) killTree();
    },
    stop() {
      stopRequested = true;
      stopping ??= (async () => {
        if (!channel.send({ etype: "STOP", ts: Date.now() })) {
          // STOP cannot reach the runner: ask by signal where one asks (POSIX); on Windows a
          // signal would only terminate the runner and strand its children, so the tree goes now.
          if (!platform.interrupt) {
            killTree();
            return exited;
          }
          try {
            process.kill(pid, platform.interrupt);
          } catch {
            // already gone
          }
        }
        graceKill();
        return exited;
      })();
      return stopping;
    },
  };
}
