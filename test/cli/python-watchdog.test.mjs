// The Python runner's parent watchdog (python/scene_runner/watchdog.py): when the process that
// started the runner dies, the runner ends within a bound even while its main thread busy-loops,
// and takes the processes of its session with it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../helpers/cli.mjs";
import { alive } from "../helpers/processes.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function eventually(pred, ms, what) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`${what}: still not true after ${ms} ms`);
    await sleep(50);
  }
}

// The stand-in supervisor: starts python (own group, the session marker set) and prints its pid.
const SUPERVISOR = `
const { spawn } = require("node:child_process");
const py = spawn(process.argv[1], ["-c", process.argv[2]], {
  detached: true, stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, PYTHONPATH: process.argv[3], SCENE_RUNNER_SESSION: "watchdog-test-" + process.pid },
});
setInterval(() => {}, 1000);
`;
const PROGRAM = `
import subprocess, sys
from scene_runner import watchdog
watchdog.start()
child = subprocess.Popen(["sleep", "604"], start_new_session=True)
print("pids %d %d" % (__import__("os").getpid(), child.pid), flush=True)
while True:
    pass
`;

test("python runner: parent killed while the program busy-loops; the runner and its new-session child end", async () => {
  const sup = spawn(process.execPath, ["-e", SUPERVISOR, "python3", PROGRAM, join(root, "python")], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  sup.stdout.on("data", (c) => (out += c));
  await eventually(() => /pids \d+ \d+\n/.test(out), 20_000, "the program started");
  const [runner, child] = /pids (\d+) (\d+)/.exec(out).slice(1).map(Number);
  try {
    sup.kill("SIGKILL");
    await eventually(() => !alive(runner) && !alive(child), 10_000, "runner and child after the parent's death");
  } finally {
    for (const pid of [runner, child]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  }
});

const mainStartsWatchdog = readFileSync(join(root, "python", "scene_runner", "__main__.py"), "utf8").includes("watchdog");

test(
  "python runner through the CLI: the CLI is SIGKILLed while the program busy-loops; the runner ends",
  { skip: !mainStartsWatchdog && "python/scene_runner/__main__.py does not start the watchdog yet (see docs/process-contract.md)" },
  async () => {
    const cli = spawn(process.execPath, [join(root, "bin", "scene-runner.js"), "run", join(root, "test", "fixtures", "contract", "busy.py")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    cli.stdout.on("data", (c) => (out += c));
    await eventually(() => out.includes("spinning"), 20_000, "the program started");
    const children = readFileSync(`/proc/${cli.pid}/task/${cli.pid}/children`, "utf8").trim().split(/\s+/).map(Number);
    const runner = children[0];
    try {
      cli.kill("SIGKILL");
      await eventually(() => !alive(runner), 10_000, "runner after its CLI was killed");
    } finally {
      try {
        process.kill(runner, "SIGKILL");
      } catch {}
    }
  },
);
