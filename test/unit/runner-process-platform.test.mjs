// The runner's process handling by platform, with the platform injected: how the runner is
// spawned, what asks it to stop when STOP cannot be sent, and how its tree is ended — on
// Windows by the system's taskkill (command built here, run through an injected exec, as
// there is no Windows here), on Linux by signals (a real process group, killed for real).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { platformProcesses, taskkillCommand, SessionProcesses } = await loadTs("src/runner/process-tree.ts");

test("Windows: no process group, no console window, no signal that asks; POSIX: a group and SIGINT", () => {
  assert.deepEqual(platformProcesses("win32"), { spawn: { detached: false, windowsHide: true } });
  for (const p of ["linux", "darwin", "freebsd"]) {
    assert.deepEqual(platformProcesses(p), { spawn: { detached: true, windowsHide: false }, interrupt: "SIGINT" }, p);
  }
});

test("taskkill: the system's own, by full path, the whole tree, forced", () => {
  assert.deepEqual(taskkillCommand(4242, { SystemRoot: "D:\\WINNT" }), { command: "D:\\WINNT\\System32\\taskkill.exe", args: ["/T", "/F", "/PID", "4242"] });
  // Without SystemRoot (a scrubbed environment) the default location, never a bare name off PATH.
  assert.equal(taskkillCommand(1, {}).command, "C:\\Windows\\System32\\taskkill.exe");
});

test("Windows: killAll runs one taskkill of the runner's tree and says whether it ended something", () => {
  const calls = [];
  const procs = new SessionProcesses(4242, "m", { platform: "win32", env: { SystemRoot: "C:\\Windows" }, exec: (command, args) => (calls.push([command, ...args]), { status: 0 }) });
  procs.track(); // no /proc walk there: nothing to find, nothing thrown
  assert.equal(procs.killAll(), 1);
  assert.deepEqual(calls, [["C:\\Windows\\System32\\taskkill.exe", "/T", "/F", "/PID", "4242"]]);
  // 128: no process with that pid any more (the runner already exited).
  const gone = new SessionProcesses(4242, "m", { platform: "win32", exec: () => ({ status: 128 }) });
  assert.equal(gone.killAll(), 0);
});

test("Linux: killAll signals the real process group and never reaches for taskkill", { skip: process.platform !== "linux" && "needs /proc" }, async () => {
  // A shell leading its own group, with a child of its own: both must go.
  const leader = spawn("sh", ["-c", "sleep 300 & wait"], { detached: true, stdio: "ignore" });
  await new Promise((r) => leader.once("spawn", r));
  const exited = new Promise((r) => leader.once("exit", (code, signal) => r(signal)));
  const calls = [];
  const procs = new SessionProcesses(leader.pid, "unused-marker", { platform: "linux", exec: (...a) => (calls.push(a), { status: 0 }) });
  // Wait (on a condition, no fixed sleep) until the shell's child is there.
  while (procs.track(), procs.alive().length < 2) await new Promise((r) => setTimeout(r, 20));
  const pids = procs.alive().map((p) => p.pid);
  procs.killAll();
  assert.equal(await exited, "SIGKILL");
  assert.deepEqual(calls, []);
  for (const pid of pids) while (procs.alive().some((p) => p.pid === pid)) await new Promise((r) => setTimeout(r, 20));
});
