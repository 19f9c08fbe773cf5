// `scene-runner run` end to end: the real CLI, the real Node runner child, the user's TypeScript files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, readEvents, runCli } from "../helpers/cli.mjs";

const tmp = mkdtempSync(join(tmpdir(), "scene-runner-cli-test-"));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test("stdout carries exactly what the program prints, from a folder with no node_modules", async () => {
  // Copy the scene (and its own helper module) somewhere with no node_modules anywhere above.
  const dir = join(tmp, "workspace");
  cpSync(fixture("ts"), dir, { recursive: true });
  const events = join(tmp, "counter.jsonl");
  const r = await runCli(["run", join(dir, "counter.ts"), "--events", events]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "Main: 0\nBackground: 0\nMain: 1\nMain: 2\nBackground: 1\nBackground: 2\nBackground: 3\ncounted 4\n");

  const lines = readEvents(events);
  assert.equal(lines[0].etype, "SESSION_START");
  assert.equal(lines.at(-1).etype, "SESSION_END");
  assert.equal(lines.at(-1).status, "done");
  const spawns = lines.filter((m) => m.etype === "TASK_SPAWN").map((m) => m.task);
  assert.deepEqual(spawns.map((t) => t.name), ["main", "backgroundCounter"]);
  assert.equal(spawns[1].parent, spawns[0].id);
  // Where tasks were created, in the user's TypeScript (source-mapped), 1-based.
  assert.equal(spawns[0].file, join(dir, "counter.ts"));
  assert.equal(spawns[0].line, 15);
  assert.equal(spawns[1].file, join(dir, "counter.ts"));
  assert.equal(spawns[1].line, 16);
  const ends = Object.fromEntries(lines.filter((m) => m.etype === "TASK_STATE").map((m) => [m.task.id, m.task.state]));
  assert.deepEqual(ends, { [spawns[0].id]: "done", [spawns[1].id]: "done" });
  const upserts = lines.filter((m) => m.etype === "UPSERT");
  assert.equal(upserts.length, 4);
  assert.deepEqual(upserts.map((m) => m.data.nodes[0].position[0]), [0, 1, 2, 3]);
  assert.ok(upserts.every((m) => m.data.nodes[0].key === "counter-box"));
  const logged = lines.filter((m) => m.etype === "LOG").map((m) => m.text).join("");
  assert.equal(logged, r.stdout);
});

test("bulk arrays travel as binary and come out typed in --events", async () => {
  const events = join(tmp, "points.jsonl");
  const r = await runCli(["run", fixture("ts", "points.ts"), "--events", events]);
  assert.equal(r.code, 0);
  // Headless: a render request is refused with a reason, not left to time out.
  assert.match(r.stdout, /grabRender: no viewer is attached/);
  const upsert = readEvents(events).find((m) => m.etype === "UPSERT");
  const pc = upsert.data.nodes[0];
  assert.ok(pc.vertices instanceof Float32Array);
  assert.deepEqual([...pc.vertices], [0, 0, 0, 1, 0, 0, 0, 1, 0]);
  assert.ok(pc.colors instanceof Uint8Array);
  assert.equal(pc.colors[0], 255);
});

test("a failing main exits 1 with the stack pointing at the user's TypeScript line", async () => {
  const r = await runCli(["run", fixture("ts", "throws.ts")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /RangeError: the scene is out of range/);
  assert.match(r.stderr, /throws\.ts:4:9/);
});

test("a syntax error exits 1 naming the file and line", async () => {
  const r = await runCli(["run", fixture("ts", "syntax-error.ts")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /syntax-error\.ts:2:\d+: Unexpected ";"/);
});

test("bad invocations and files without main exit 2 with a one-line reason", async () => {
  const noMain = await runCli(["run", fixture("ts", "no-main.ts")]);
  assert.equal(noMain.code, 2);
  assert.match(noMain.stderr, /no-main\.ts has no main function/);
  const missing = await runCli(["run", "does-not-exist.ts"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does-not-exist\.ts: no such file/);
  const flag = await runCli(["run", fixture("ts", "counter.ts"), "--bogus"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /Unknown option '--bogus'/);
  const kind = await runCli(["run", fixture("ts", "lib")]);
  assert.equal(kind.code, 2);
  const unwritable = await runCli(["run", fixture("ts", "counter.ts"), "--events", join(tmp, "no-such-dir", "x.jsonl")]);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /--events .*no-such-dir.*: ENOENT/);
  assert.equal(unwritable.stdout, "", "the program did not run");
  const unknown = await runCli(["frobnicate"]);
  assert.equal(unknown.code, 2);
});

test("Ctrl-C cancels every task so finally blocks run, then exits 130", async () => {
  const r = await runCli(["run", fixture("ts", "ticking.ts")], {
    onStdout: (out, child) => out === "ready\n" && child.kill("SIGINT"),
  });
  assert.equal(r.code, 130);
  assert.equal(r.stdout, "ready\nticker finally\nmain finally\n");
});

test("stopping 1,000 sleeping tasks cancels them all and runs every finally", async () => {
  const events = join(tmp, "sleepers.jsonl");
  const r = await runCli(["run", fixture("ts", "many-sleepers.ts"), "--events", events], {
    onStdout: (out, child) => out === "sleeping\n" && child.kill("SIGINT"),
  });
  assert.equal(r.code, 130);
  assert.equal(r.stdout, "sleeping\nall 1000 cleaned up\n");
  const states = readEvents(events).filter((m) => m.etype === "TASK_STATE").map((m) => m.task.state);
  assert.equal(states.length, 1001);
  assert.ok(states.every((s) => s === "cancelled"));
  assert.equal(readEvents(events).at(-1).status, "stopped");
});

test("a busy loop that never awaits is killed after the grace period", async () => {
  let interruptedAt;
  const events = join(tmp, "busy.jsonl");
  const r = await runCli(["run", fixture("ts", "busy.ts"), "--events", events], {
    onStdout: (out, child) => {
      if (out === "spinning\n" && !interruptedAt) {
        interruptedAt = performance.now();
        child.kill("SIGINT");
      }
    },
  });
  assert.equal(r.code, 130);
  assert.equal(r.stdout, "spinning\n");
  // Guard against a hang, not a performance threshold (the grace period is 1.5 s).
  assert.ok(performance.now() - interruptedAt < 15_000);
  // Sent just before the loop: not stuck in a batch that the loop never lets go.
  const sent = readEvents(events);
  assert.ok(sent.some((m) => m.etype === "UPSERT" && m.data.nodes[0].key === "before-the-loop"));
  assert.ok(sent.some((m) => m.etype === "TASK_SPAWN" && m.task.name === "main"));
});

test("--timeout stops the session gracefully and exits 124", async () => {
  const r = await runCli(["run", fixture("ts", "ticking.ts"), "--timeout", "2"]);
  assert.equal(r.code, 124);
  assert.equal(r.stdout, "ready\nticker finally\nmain finally\n");
  assert.match(r.stderr, /--timeout 2s elapsed; stopping/);
});

test("an exception in a task nobody awaits is reported with its stack", async () => {
  const r = await runCli(["run", fixture("ts", "unretrieved.ts")]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "main finished\n");
  assert.match(r.stderr, /Task exception was never retrieved: failsAlone \(.*unretrieved\.ts:6\)/);
  assert.match(r.stderr, /Error: nobody awaited me/);
});

test("a malformed node from a vuer program is left out with its key and reason; the rest of its message arrives", async () => {
  const events = join(tmp, "bad-node.jsonl");
  const r = await runCli(["run", fixture("python", "bad_node.py"), "--events", events]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "upserted\n");
  assert.match(r.stderr, /^scene-runner: left out node "broken" \(the rest of its message was drawn\): message\.data\.nodes\[1\]\.tag: expected a string, got 42$/m);
  const upsert = readEvents(events).find((m) => m.etype === "UPSERT");
  assert.deepEqual(upsert.data.nodes.map((n) => n.key), ["good", "label"]);
  assert.equal(upsert.data.nodes[1].text, "hello", "vuer's string child is the Text's text");
});
