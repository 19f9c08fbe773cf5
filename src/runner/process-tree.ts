/**
 * Everything a session started, found and ended without cgroups (Linux /proc):
 *
 *  - the runner's own process group (it is started with `detached`, so it leads a new
 *    session and group: pgid = its pid);
 *  - its descendants by parentage, walked while the runner is still alive (an orphan is
 *    re-parented to init and that link is lost, so the walk is done before a kill);
 *  - every process whose environment carries the session's marker variable
 *    (SCENE_RUNNER_SESSION=<random id>): descendants inherit it, so this finds the ones
 *    that left the group (`setsid`, `detached`, `start_new_session=True`) even after the
 *    runner has died and they were re-parented.
 *
 * Each pid is remembered with its start time, so a pid reused by an unrelated process
 * is never signalled. On macOS (no /proc) only the process group is killed. Windows has
 * neither process groups nor POSIX signals: there the tree is ended by the system's
 * `taskkill /T /F /PID <runner>` (the runner and its descendants by parentage, while the
 * runner lives), see `platformProcesses` and `SessionProcesses.killAll`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { win32 } from "node:path";

export const SESSION_MARKER_ENV = "SCENE_RUNNER_SESSION";

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  state: string;
  /** The kernel's per-process flags (PF_EXITING: the process has begun to exit). */
  flags: number;
  /** Start time in clock ticks since boot: with the pid, a process's identity. */
  start: number;
}

/** Parses /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseStat(text: string): ProcInfo | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).split(" ");
  // After the name: state(0) ppid(1) pgrp(2) session(3) tty(4) tpgid(5) flags(6) ... starttime(19).
  const info = { pid: Number(text.slice(0, open)), state: f[0], ppid: Number(f[1]), pgid: Number(f[2]), sid: Number(f[3]), flags: Number(f[6]), start: Number(f[19]) };
  return Number.isInteger(info.pid) && Number.isInteger(info.ppid) ? info : undefined;
}

export function procInfo(pid: number): ProcInfo | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc (empty off Linux). */
export function processTable(): Map<number, ProcInfo> {
  const table = new Map<number, ProcInfo>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return table;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const info = procInfo(Number(name));
    if (info) table.set(info.pid, info);
  }
  return table;
}

/** The process and all its descendants by parentage, from one table. */
export function descendants(root: number, table: Map<number, ProcInfo> = processTable()): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of table.values()) {
    let list = children.get(p.ppid);
    if (!list) children.set(p.ppid, (list = []));
    list.push(p);
  }
  const out: ProcInfo[] = [];
  const first = table.get(root);
  if (first) out.push(first);
  const queue = [root];
  const seen = new Set<number>([root]);
  while (queue.length) {
    for (const c of children.get(queue.pop()!) ?? []) {
      if (seen.has(c.pid)) continue;
      seen.add(c.pid);
      out.push(c);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Processes (of any parent) whose environment holds `NAME=value` exactly. */
export function markedProcesses(name: string, value: string, table: Map<number, ProcInfo> = processTable()): ProcInfo[] {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const out: ProcInfo[] = [];
  for (const p of table.values()) {
    if (p.pid === process.pid) continue;
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${p.pid}/environ`);
    } catch {
      continue; // another user's process, or gone
    }
    // The first variable has no leading NUL: compare with one prepended.
    if (Buffer.concat([Buffer.from([0]), env, Buffer.from([0])]).includes(needle)) out.push(p);
  }
  return out;
}

/** PF_EXITING: set when a process starts to exit, before its files are closed. */
const PF_EXITING = 0x4;

/** True while the process runs and has not begun to exit (false when unknown). */
export function runningNotExiting(pid: number): boolean {
  const p = procInfo(pid);
  return !!p && p.state !== "Z" && p.state !== "X" && !(p.flags & PF_EXITING);
}

/** What a process's file descriptor refers to ("socket:[1234]"), or undefined (closed, gone, no /proc). */
export function fdTarget(pid: number, fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

const isLive = (p: ProcInfo | undefined): p is ProcInfo => p !== undefined && p.state !== "Z" && p.state !== "X";

/** How the runner is started and asked to stop, by platform (injectable, so tested anywhere). */
export interface PlatformProcesses {
  /**
   * POSIX: `detached` makes the runner lead a new session and process group (Ctrl-C reaches
   * the supervisor only; a kill of the group takes its children). Windows: `detached` would
   * give it a console window of its own and keep it running after the host exits, so not.
   */
  spawn: { detached: boolean; windowsHide: boolean };
  /**
   * The signal that asks a runner to stop when STOP cannot be sent over the channel (the Node
   * runner takes SIGINT as STOP: tasks cancelled, finally blocks run). Undefined on Windows,
   * where every signal is TerminateProcess on the runner alone: the whole tree is killed instead.
   */
  interrupt?: NodeJS.Signals;
}

export function platformProcesses(platform: NodeJS.Platform = process.platform): PlatformProcesses {
  if (platform === "win32") return { spawn: { detached: false, windowsHide: true } };
  return { spawn: { detached: true, windowsHide: false }, interrupt: "SIGINT" };
}

/**
 * The command that ends a process and all its descendants on Windows. The system's own
 * taskkill.exe by full path: not whatever a workspace's PATH offers under that name.
 */
export function taskkillCommand(pid: number, env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } {
  const systemRoot = env.SystemRoot ?? env.SYSTEMROOT ?? "C:\\Windows";
  return { command: win32.join(systemRoot, "System32", "taskkill.exe"), args: ["/T", "/F", "/PID", String(pid)] };
}

/** Runs a command to its end (synchronously: killAll runs in exit handlers too). */
export type SyncExec = (command: string, args: string[]) => { status: number | null };
const execSync: SyncExec = (command, args) => spawnSync(command, args, { stdio: "ignore", windowsHide: true, timeout: 10_000 });

export interface SessionProcessesOptions {
  platform?: NodeJS.Platform;
  /** Runs taskkill on Windows. */
  exec?: SyncExec;
  env?: NodeJS.ProcessEnv;
}

/**
 * What one session's processes are: remembered by pid and start time, so the set can be
 * signalled long after it was found without hitting a reused pid.
 */
export class SessionProcesses {
  private readonly known = new Map<number, number>();
  private readonly platform: NodeJS.Platform;
  private readonly exec: SyncExec;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    /** The runner: its process group's id too (POSIX). */
    readonly leader: number,
    readonly marker: string,
    options: SessionProcessesOptions = {},
  ) {
    this.platform = options.platform ?? process.platform;
    this.exec = options.exec ?? execSync;
    this.env = options.env ?? process.env;
  }

  /** Adds the runner's descendants (by parentage, group and marker) to the known set. */
  track(table: Map<number, ProcInfo> = processTable()): void {
    const found = [...descendants(this.leader, table), ...markedProcesses(SESSION_MARKER_ENV, this.marker, table)];
    for (const p of table.values()) if (p.pgid === this.leader) found.push(p);
    for (const p of found) if (isLive(p) && p.pid !== process.pid) this.known.set(p.pid, p.start);
  }

  /** The known processes still alive (same pid, same start time, not a zombie). */
  alive(table: Map<number, ProcInfo> = processTable()): ProcInfo[] {
    const out: ProcInfo[] = [];
    for (const [pid, start] of this.known) {
      const p = table.get(pid);
      if (isLive(p) && p.start === start) out.push(p);
      else this.known.delete(pid);
    }
    return out;
  }

  /**
   * SIGKILLs the group and every process of the session, again until none is left (a
   * program may fork while it is being killed). Synchronous: safe in an exit handler.
   * Returns how many processes were signalled. On Windows: one `taskkill /T /F` of the
   * runner's tree (1 when it ended something; its status is 128 once the runner is gone).
   */
  killAll(rounds = 5): number {
    if (this.platform === "win32") {
      const { command, args } = taskkillCommand(this.leader, this.env);
      return this.exec(command, args).status === 0 ? 1 : 0;
    }
    let signalled = 0;
    for (let round = 0; round < rounds; round++) {
      try {
        process.kill(-this.leader, "SIGKILL");
      } catch {
        // no such group (already gone), or not ours
      }
      const table = processTable();
      this.track(table);
      const left = this.alive(table);
      if (!left.length) break;
      for (const p of left) {
        try {
          process.kill(p.pid, "SIGKILL");
          signalled++;
        } catch {
          // gone meanwhile
        }
      }
    }
    return signalled;
  }
}
