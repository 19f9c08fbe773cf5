// The runner's process contract (docs/process-contract.md), row by row, against the real CLI,
// real runner processes and real signals. Every test kills what it starts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, fixture, readEvents, runCli } from "../helpers/cli.mjs";
import { alive } from "../helpers/processes.mjs";

const contract = (name) => fixture("contract", name);
const tmp = mkdtempSync(join(tmpdir(), "sr-contract-"));
const started = new Set(); // pids a test may leave behind if it fails: killed at the end
test.after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function childrenOf(pid) {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(name));
    } catch {}
  }
  return out;
}

/** Waits until `pred()` holds, polling; fails after `ms` (a hang guard, not a performance bound). */
async function eventually(pred, ms, what) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`${what}: still not true after ${ms} ms`);
    await sleep(50);
  }
}

const pidsIn = (stdout) => {
  const m = /pids ([\d ]+)\n/.exec(stdout);
  const pids = m ? m[1].trim().split(" ").map(Number) : [];
  for (const p of pids) started.add(p);
  return pids;
};

/** Runs the CLI and sends `signal` once stdout contains `marker`. */
function signalWhen(args, marker, signal, options = {}) {
  let sent = false;
  return runCli(args, {
    ...options,
    onStdout: (out, child) => {
      if (!sent && out.includes(marker)) {
        sent = true;
        child.kill(signal);
      }
    },
  });
}

for (const [lang, file] of [
  ["TypeScript", "inherit-child.ts"],
  ["Python", "inherit_child.py"],
]) {
  test(`${lang}: children holding stdout, or in their own session, do not survive Ctrl-C; the CLI exits 130`, async () => {
    const r = await signalWhen(["run", contract(file)], "pids ", "SIGINT");
    const pids = pidsIn(r.stdout);
    assert.equal(pids.length, 3, r.stdout + r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(pids.filter(alive), [], "every process the program started is gone");
  });

  test(`${lang}: --timeout ends a session whose child holds stdout (exit 124, nothing left)`, async () => {
    const r = await runCli(["run", contract(file), "--timeout", "1"]);
    const pids = pidsIn(r.stdout);
    assert.equal(r.code, 124, r.stderr);
    assert.equal(pids.length, 3);
    assert.deepEqual(pids.filter(alive), []);
  });

  test(`${lang}: when main returns, what it left running is killed and said so`, async () => {
    const r = await runCli(["run", contract(file)], { env: { SR_FIXTURE_RETURN: "1" } });
    const pids = pidsIn(r.stdout);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /3 processes it left running were killed/);
    assert.deepEqual(pids.filter(alive), []);
  });
}

test("a daemon started with setsid by a shell that already exited is found and killed (SIGTERM to the CLI)", async () => {
  const r = await signalWhen(["run", contract("double-fork.ts")], "pids ", "SIGTERM");
  const pids = pidsIn(r.stdout);
  assert.equal(pids.length, 1);
  assert.equal(r.code, 130);
  assert.deepEqual(pids.filter(alive), []);
});

for (const [how, signal] of [
  ["SIGKILL", "SIGKILL"],
  ["SIGHUP (terminal closed)", "SIGHUP"],
]) {
  test(`the CLI dies by ${how} while the program busy-loops: the runner ends too`, async () => {
    let runner;
    const r = await runCli(["run", fixture("ts", "busy.ts")], {
      onStdout: (out, child) => {
        if (runner === undefined && out.includes("spinning")) {
          runner = childrenOf(child.pid)[0] ?? 0;
          started.add(runner);
          child.kill(signal);
        }
      },
    });
    assert.ok(runner > 0, "found the runner process");
    if (signal === "SIGKILL") assert.equal(r.signal, "SIGKILL");
    else assert.equal(r.code, 130);
    // The watchdog polls every 200 ms; the bound guards against "never", not a speed.
    await eventually(() => !alive(runner), 10_000, `runner ${runner} after the CLI's ${signal}`);
  });
}

for (const [lang, file] of [
  ["TypeScript", "big-output.ts"],
  ["Python", "big_output.py"],
]) {
  test(`${lang}: 4 MiB on stdout and 1 MiB on stderr all arrive when main returns`, async () => {
    for (let i = 0; i < 3; i++) {
      const r = await runCli(["run", contract(file)]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout.length, 4 << 20, `run ${i}: stdout`);
      assert.equal(r.stderr.length, 1 << 20, `run ${i}: stderr`);
    }
  });
}

for (const [lang, file] of [
  ["TypeScript", "close-channel.ts"],
  ["Python", "close_channel.py"],
]) {
  test(`${lang}: a program that closes fd 3 is stopped with a one-line reason and status 1`, async () => {
    const r = await runCli(["run", contract(file)]);
    assert.equal(r.stdout, "closed\n");
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^scene-runner: the program closed the runner's channel \(fd 3\), so it was stopped$/m);
  });
}

test("exit statuses: the program's own, and one line saying how it ended", async () => {
  const cases = [
    ["exits.ts", "exit3", 3, /the program exited with status 3/],
    ["exits.ts", "segv", 139, /the program was killed by SIGSEGV/],
    ["exits.py", "exit3", 3, /the program exited with status 3/],
    ["exits.py", "os_exit5", 5, /the program exited with status 5/],
    ["exits.py", "segv", 139, /the program was killed by SIGSEGV/],
  ];
  for (const [file, how, code, line] of cases) {
    const r = await runCli(["run", contract(file)], { env: { SR_FIXTURE_EXIT: how } });
    assert.equal(r.stdout, "before\n", `${file} ${how}`);
    assert.equal(r.code, code, `${file} ${how}: ${r.stderr}`);
    assert.match(r.stderr, line, `${file} ${how}`);
  }
});

test("a killed TypeScript session leaves no folder behind", async () => {
  const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith("scene-runner-")).sort();
  const before = mine();
  const r = await signalWhen(["run", fixture("ts", "busy.ts")], "spinning", "SIGINT");
  assert.equal(r.code, 130);
  const killedHard = await runCli(["run", fixture("ts", "ticking.ts"), "--timeout", "1"]);
  assert.equal(killedHard.code, 124);
  // Only folders that appeared count: another process may remove its own meanwhile.
  assert.deepEqual(mine().filter((n) => !before.includes(n)), []);
});

test("node_modules load natively: a CommonJS package using __dirname and an ESM-only package; the stack points at the user's line", async () => {
  const ws = join(tmp, "workspace");
  mkdirSync(join(ws, "node_modules", "cjs-dirname"), { recursive: true });
  mkdirSync(join(ws, "node_modules", "esm-only"), { recursive: true });
  cpSync(contract("deps.ts"), join(ws, "deps.ts"));
  cpSync(contract("helper.ts"), join(ws, "helper.ts"));
  writeFileSync(join(ws, "node_modules", "cjs-dirname", "package.json"), JSON.stringify({ name: "cjs-dirname", version: "1.0.0", main: "index.js" }));
  writeFileSync(
    join(ws, "node_modules", "cjs-dirname", "index.js"),
    'const text = require("fs").readFileSync(require("path").join(__dirname, "greeting.txt"), "utf8").trim();\n' +
      'module.exports = { greeting: () => text + " (" + typeof require("scene-runner").sleep + ")" };\n',
  );
  writeFileSync(join(ws, "node_modules", "cjs-dirname", "greeting.txt"), "hello from cjs\n");
  writeFileSync(
    join(ws, "node_modules", "esm-only", "package.json"),
    JSON.stringify({ name: "esm-only", version: "1.0.0", type: "module", exports: { import: "./index.js" } }),
  );
  writeFileSync(join(ws, "node_modules", "esm-only", "index.js"), 'export const shout = (s) => s.toUpperCase() + "!";\n');
  const r = await runCli(["run", join(ws, "deps.ts")]);
  assert.equal(r.stdout, "hello from cjs (function)\nESM!\nhelper in workspace\n");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Error: deps line 12\n\s+at main \(.*workspace\/deps\.ts:12:9\)/);
});

test("--timeout: weeks work (timers are chained), absurd values are a usage error", async () => {
  const long = await runCli(["run", fixture("ts", "counter.ts"), "--timeout", "3000000"]);
  assert.equal(long.code, 0, long.stderr);
  assert.equal(long.stderr, "");
  assert.match(long.stdout, /counted 4\n$/);
  for (const bad of ["1e12", "Infinity", "-1", "0", "soon"]) {
    const r = await runCli(["run", fixture("ts", "counter.ts"), "--timeout", bad]);
    assert.equal(r.code, 2, bad);
    assert.equal(r.stdout, "", `${bad}: the program did not run`);
  }
});

test("nested nodes sharing a key: one line for that message, the session goes on", async () => {
  const events = join(tmp, "same-key.jsonl");
  const r = await runCli(["run", contract("same-key.ts"), "--events", events]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "still running\n");
  assert.match(r.stderr, /UPSERT dropped: nodes nested in "p" share the key "p"/);
  const upserts = readEvents(events).filter((m) => m.etype === "UPSERT");
  assert.deepEqual(upserts.map((m) => m.data.nodes[0].key), ["fine"]);
});

test("a forged message nesting 200,000 arrays is dropped with a reason; the good one after it arrives", async () => {
  const events = join(tmp, "forged.jsonl");
  const r = await runCli(["run", contract("forged.ts"), "--events", events]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "after\n");
  assert.match(r.stderr, /ignored a malformed message from the program: frame JSON is nested deeper than 512 levels/);
  const keys = readEvents(events).filter((m) => m.etype === "UPSERT").map((m) => m.data.nodes[0].key);
  assert.deepEqual(keys, ["good"]);
  assert.equal(readEvents(events).at(-1).etype, "SESSION_END");
});

test("the CLI itself, started and killed by SIGKILL before the program printed anything, leaves no runner", async () => {
  // The runner is killed by its watchdog even when it never got to the user's code.
  const cli = spawn(process.execPath, [bin, "run", fixture("ts", "ticking.ts")], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  cli.stdout.on("data", (c) => (out += c));
  await eventually(() => out.includes("ready"), 20_000, "the program started");
  const runner = childrenOf(cli.pid)[0];
  started.add(runner);
  cli.kill("SIGKILL");
  await eventually(() => !alive(runner), 10_000, "runner after its CLI was killed");
  assert.ok(existsSync(bin));
});

test("a program that ignores SIGINT/SIGTERM and busy-loops, with a child trapping every signal: gone after the grace period", async () => {
  const r = await signalWhen(["run", contract("stubborn.ts")], "pids ", "SIGINT");
  const pids = pidsIn(r.stdout);
  assert.equal(r.code, 130);
  assert.equal(pids.length, 1);
  assert.deepEqual(pids.filter(alive), []);
});

test("a program that keeps starting children while it is stopped leaves none behind", async () => {
  const before = new Set(sleepers("605"));
  const r = await signalWhen(["run", contract("storm.ts")], "storming", "SIGINT");
  assert.equal(r.code, 130, r.stderr);
  const left = sleepers("605").filter((p) => !before.has(p));
  for (const p of left) started.add(p);
  assert.deepEqual(left, []);
});

/** Live `sleep <arg>` processes. */
function sleepers(arg) {
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8") === `sleep\0${arg}\0` && alive(Number(name))) out.push(Number(name));
    } catch {}
  }
  return out;
}
