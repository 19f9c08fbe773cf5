// `scene-runner snapshot` under faults (docs/process-contract.md): a crashed viewer page, a
// program whose child holds stdout, Ctrl-C while the program busy-loops, a message still in
// flight at --at, absurd --at. Real CLI, real Chromium, real signals; nothing may survive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, root, runCli } from "../helpers/cli.mjs";
import { alive } from "../helpers/processes.mjs";

const contract = (name) => fixture("contract", name);
const tmp = mkdtempSync(join(tmpdir(), "sr-snapshot-contract-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const hasChrome = existsSync(process.env.CHROME_PATH ?? "/usr/bin/chromium");

/** Live processes whose environment carries SR_TEST_MARK=<mark>: everything one CLI run started. */
function marked(mark) {
  const needle = Buffer.from(`\0SR_TEST_MARK=${mark}\0`);
  const out = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${name}/environ`), Buffer.from([0])]);
      if (env.includes(needle) && alive(Number(name))) out.push(Number(name));
    } catch {}
  }
  return out;
}

function snapshot(args, options = {}) {
  const mark = randomBytes(6).toString("hex");
  const run = runCli(["snapshot", ...args], { ...options, env: { ...options.env, SR_TEST_MARK: mark } });
  return run.then((r) => ({ ...r, survivors: marked(mark) }));
}

const opts = { skip: !hasChrome && "no Chromium (set CHROME_PATH)" };

test("a crashed viewer page: a clear error, exit 1, no PNG, Chromium and the program gone", opts, async () => {
  const out = join(tmp, "crash.png");
  const r = await snapshot([join(root, "examples", "spinning-box.ts"), "--out", out], {
    env: { NODE_OPTIONS: `--require ${contract("crash-viewer.cjs")}` },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^scene-runner: the viewer page crashed .*; no snapshot written$/m);
  assert.ok(!existsSync(out));
  assert.deepEqual(r.survivors, []);
});

test("a program whose child holds stdout: the PNG is written and the CLI exits; nothing survives", opts, async () => {
  const out = join(tmp, "inherit.png");
  const r = await snapshot([contract("inherit-child.ts"), "--out", out, "--at", "500"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(readFileSync(out).length > 1000);
  assert.deepEqual(r.survivors, []);
});

test("Ctrl-C while the program busy-loops: exit 130, no PNG, runner and Chromium gone", opts, async () => {
  const out = join(tmp, "busy.png");
  let sent = false;
  const r = await snapshot([fixture("ts", "busy.ts"), "--out", out, "--at", "60000"], {
    onStdout: (s, child) => {
      if (!sent && s.includes("spinning")) {
        sent = true;
        child.kill("SIGINT");
      }
    },
  });
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted; stopping/);
  assert.ok(!existsSync(out));
  assert.deepEqual(r.survivors, []);
});

test("a message still in flight at --at is waited for, then named; the PNG is still written", opts, async () => {
  const out = join(tmp, "inflight.png");
  const r = await snapshot([contract("partial-frame.ts"), "--out", out, "--at", "1500"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "started a message\n");
  assert.match(r.stderr, /a scene message from the program was still arriving \(\d+ bytes so far\)/);
  assert.ok(readFileSync(out).length > 1000);
  assert.deepEqual(r.survivors, []);
});

test("--at past a day is a usage error before anything runs", async () => {
  const r = await runCli(["snapshot", join(root, "examples", "spinning-box.ts"), "--out", join(tmp, "x.png"), "--at", "3000000000"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--at 3000000000 is more than a day/);
});
