/**
 * The Node runner's parent watchdog: a worker thread (it runs while the program keeps
 * the main thread in a busy loop) that checks every 200 ms whether the process that
 * started the runner is still its parent. When the supervisor dies (SIGKILL, a closed
 * terminal's SIGHUP, a crash) the runner is re-parented; the watchdog then kills what
 * the session started (its process group, and the processes carrying the session's
 * marker that left it) and the runner itself. Nobody is left at 100 % CPU.
 */
import { Worker } from "node:worker_threads";
import { SESSION_MARKER_ENV } from "../process-tree.js";

const POLL_MS = 200;

// Plain JavaScript for the worker (it shares no modules with this bundle).
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { parent, marker, markerEnv, pollMs } = workerData;
function killMarked() {
  if (!marker) return;
  const needle = Buffer.from("\\0" + markerEnv + "=" + marker + "\\0");
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = Buffer.concat([Buffer.from([0]), fs.readFileSync("/proc/" + name + "/environ"), Buffer.from([0])]);
      if (env.includes(needle)) process.kill(Number(name), "SIGKILL");
    } catch {}
  }
}
setInterval(() => {
  if (process.ppid === parent) return;
  try { killMarked(); } catch {}
  try { process.kill(-process.pid, "SIGKILL"); } catch {}
  process.kill(process.pid, "SIGKILL");
}, pollMs);
`;

export function startParentWatchdog(): void {
  const parent = process.ppid;
  if (parent <= 1) return; // started by hand from init: nothing to watch
  try {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { parent, marker: process.env[SESSION_MARKER_ENV] ?? "", markerEnv: SESSION_MARKER_ENV, pollMs: POLL_MS },
      // The worker needs little: keep its heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on("error", () => {}); // a watchdog that failed must not take the program down
  } catch {
    // No worker threads here: the channel closing still stops the runner when its loop is free.
  }
}
