// The Node runner batches task reports into TASK_BATCH frames (src/runner/node/task-reports.ts)
// and the host expands them (src/protocol/task-batch.ts): what the host hands on must be
// exactly the messages the session said, in their order, whatever the mix of reports and
// other messages, batch sizes past the cap, and turns of the loop in between.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { TaskReportBatcher } = await loadTs("src/runner/node/task-reports.ts");
const { validateRunnerPipe, expandTaskBatch, TASK_BATCH_MAX } = await loadTs("src/protocol/task-batch.ts");
const { Session, sleep, gather } = await loadTs("src/runtime/index.ts");

const noDrop = () => assert.fail("no node is dropped here");

/** A batcher whose output goes through real JSON and the host's validator, expanded as the supervisor does. */
function pipe() {
  const received = [];
  let batches = 0;
  const arrive = (m) => {
    const v = validateRunnerPipe(JSON.parse(JSON.stringify(m)), noDrop);
    if (v.etype === "TASK_BATCH") {
      batches++;
      received.push(...expandTaskBatch(v));
    } else received.push(v);
  };
  const batcher = new TaskReportBatcher({ send: arrive }, arrive);
  return { batcher, received, batches: () => batches };
}

const turn = () => new Promise((r) => setImmediate(r));
const spawn = (i, extra = {}) => ({ etype: "TASK_SPAWN", ts: 1000 + i, task: { id: `t${i}`, name: i % 3 ? "worker" : `w${i}`, parent: i > 1 ? "t1" : null, ...extra } });
const state = (i, s, ts = 2000 + i) => ({ etype: "TASK_STATE", ts, task: { id: `t${i}`, state: s } });

test("reports and other messages arrive as sent, in order, through batches", async () => {
  const { batcher, received, batches } = pipe();
  const sent = [
    spawn(1, { file: "/w/main.ts", line: 3, column: 7 }),
    spawn(2, { file: "/w/é ü.ts", line: 10 }),
    spawn(3),
    state(2, "cancelling"),
    { etype: "LOG", ts: 1500, stream: "stdout", text: "between reports" },
    state(2, "cancelled"),
    state(3, "failed", 2100),
    spawn(4, { file: "/w/main.ts", line: 4, column: 1 }),
    state(4, "done"),
    { etype: "UPSERT", ts: 2500, data: { nodes: [{ tag: "Box", key: "b" }], to: null } },
    state(1, "done"),
  ];
  sent[6].task.error = { name: "Error", message: "boom", stack: "Error: boom" }; // a failure is never batched
  for (const m of sent) batcher.send(m);
  await turn();
  assert.deepEqual(received, sent);
  assert.ok(batches() >= 2, `${batches()} batches`);
});

test("the first report of a turn goes out at once; the rest wait for the turn's end or the cap", async () => {
  const { batcher, received, batches } = pipe();
  batcher.send(spawn(1));
  assert.equal(received.length, 1, "a program that now blocks in a busy loop has still reported its task");
  const sent = [spawn(1)];
  for (let i = 2; i <= 40_000; i++) {
    const m = i % 2 ? state(i - 1, "done") : spawn(i, { file: "/w/loop.ts", line: 9, column: 5 });
    sent.push(m);
    batcher.send(m);
  }
  assert.ok(received.length > 1 && received.length < sent.length, "full batches go before the turn ends");
  await turn();
  assert.deepEqual(received, sent);
  // The first report went alone; the other 39,999 fill batches of the cap, and the rest one more.
  assert.equal(batches(), Math.ceil(39_999 / TASK_BATCH_MAX), `40,000 reports: full batches of ${TASK_BATCH_MAX} and the rest`);
  // A later turn starts a burst of its own.
  batcher.send(state(2, "done"));
  assert.deepEqual(received.at(-1), state(2, "done"));
});

test("a session's reports through the batcher are the same as sent one by one", async () => {
  const program = async (sess) => {
    const work = async (k) => {
      await sleep(k % 2);
      if (k === 3) throw new Error("three");
      return k;
    };
    const tasks = [];
    for (let k = 0; k < 6; k++) tasks.push(sess.spawnTask(() => work(k), { name: `job-${k}` }));
    const sleeper = sess.spawnTask(() => sleep(60_000));
    await sleep(0);
    sleeper.cancel();
    await gather(...tasks, sleeper, { returnExceptions: true });
  };
  const plain = [];
  const direct = new Session({ sink: { send: (m) => plain.push(m) }, stderr: () => {} });
  direct.mainLocation = { file: "/w/main.ts", line: 1 }; // main's site is where run() is called, else
  assert.equal((await direct.run(program)).status, "done");
  const { batcher, received } = pipe();
  const batched = new Session({ sink: batcher, stderr: () => {} });
  batched.mainLocation = direct.mainLocation;
  assert.equal((await batched.run(program)).status, "done");
  await turn();
  // As JSON carries them (a field the session leaves undefined is not sent).
  const shape = (list) => JSON.parse(JSON.stringify(list.filter((m) => m.etype.startsWith("TASK_")).map(({ ts, ...m }) => m)));
  assert.ok(shape(plain).length >= 16);
  assert.deepEqual(shape(received), shape(plain));
});

test("a malformed batch is refused with the path of its first bad field", () => {
  const good = { etype: "TASK_BATCH", ts: 1, strings: ["w", "/f.ts"], kind: [0, 1], id: ["t1", "t1"], dt: [0, 2], name: [0], parent: [null], file: [1], line: [3], column: [0], state: [2] };
  assert.deepEqual(expandTaskBatch(validateRunnerPipe(good, noDrop)), [
    { etype: "TASK_SPAWN", ts: 1, task: { id: "t1", name: "w", parent: null, file: "/f.ts", line: 3 } },
    { etype: "TASK_STATE", ts: 3, task: { id: "t1", state: "done" } },
  ]);
  const bad = [
    [{ kind: [0, 2] }, /message\.kind\[1\]: expected 0 \(spawn\) or 1 \(state\), got 2/],
    [{ id: ["t1"] }, /message\.id: expected an array of 2, got array\(1\)/],
    [{ name: [2] }, /message\.name\[0\]: expected an index into strings, got 2/],
    [{ file: [-2] }, /message\.file\[0\]: expected an index into strings or -1/],
    [{ state: [9] }, /message\.state\[0\]: expected an index into running\|cancelling/],
    [{ parent: [7] }, /message\.parent\[0\]: expected a task id or null, got 7/],
    [{ strings: ["w", 5] }, /message\.strings\[1\]: expected a string, got 5/],
    [{ dt: [0, null] }, /message\.dt\[1\]: expected a finite number, got null/],
  ];
  for (const [change, message] of bad) assert.throws(() => validateRunnerPipe({ ...good, ...change }, noDrop), message, JSON.stringify(change));
  // Everything else is still validated as before.
  assert.throws(() => validateRunnerPipe({ etype: "TASK_SPAWN", ts: 1, task: { id: 3 } }, noDrop), /message\.task\.id/);
});

test("any damage to a batch is a ProtocolError or a batch that expands, never another failure", async () => {
  const good = { etype: "TASK_BATCH", ts: 5, strings: ["w", "/f.ts"], kind: [0, 0, 1, 1], id: ["t1", "t2", "t2", "t1"], dt: [0, 1, 2, 3], name: [0, 0], parent: [null, "t1"], file: [1, -1], line: [3, 0], column: [7, 0], state: [3, 2] };
  const odd = [undefined, null, -1, 0, 1, 2.5, 1e9, NaN, Infinity, "", "t1", [], {}, [0], [null], true];
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const m = JSON.parse(JSON.stringify(good));
    const keys = Object.keys(m).filter((k) => k !== "etype");
    for (let j = 0; j <= rand(3); j++) {
      const key = keys[rand(keys.length)];
      if (Array.isArray(m[key]) && m[key].length && rand(2)) m[key][rand(m[key].length)] = odd[rand(odd.length)];
      else m[key] = odd[rand(odd.length)];
    }
    try {
      const out = expandTaskBatch(validateRunnerPipe(m, noDrop));
      assert.equal(out.length, m.kind.length);
      for (const r of out) assert.ok(r.etype === "TASK_SPAWN" ? typeof r.task.name === "string" : typeof r.task.state === "string");
    } catch (e) {
      // (each loadTs bundle has its own copy of the class: compared by name)
      if (e?.name !== "ProtocolError") throw new Error(`${JSON.stringify(m)}: ${e?.name}: ${e?.message}`);
      assert.doesNotMatch(e.message, /\n/, "one line");
      refused++;
    }
  }
  assert.ok(refused > 2000, `${refused} of 3000 damaged batches refused`);
});

test("the real runner: every task is reported, in order, even when the program calls process.exit() mid-turn", async () => {
  const { runCli, readEvents } = await import("../helpers/cli.mjs");
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "sr-batch-"));
  try {
    const file = join(dir, "exit.ts");
    writeFileSync(file, [
      'import { sleep, type Session } from "scene-runner";',
      "export async function main(sess: Session) {",
      '  for (let i = 0; i < 3000; i++) sess.spawnTask(() => sleep(60_000), { name: `a${i}` });',
      "  await sleep(0);",
      '  for (let i = 0; i < 5; i++) sess.spawnTask(() => sleep(60_000), { name: `b${i}` });',
      "  process.exit(0);",
      "}",
    ].join("\n"));
    const events = join(dir, "events.jsonl");
    const r = await runCli(["run", file, "--events", events]);
    assert.equal(r.code, 0, r.stderr);
    const names = readEvents(events).filter((m) => m.etype === "TASK_SPAWN").map((m) => m.task.name);
    const want = ["main", ...Array.from({ length: 3000 }, (_, i) => `a${i}`), ...Array.from({ length: 5 }, (_, i) => `b${i}`)];
    assert.deepEqual(names, want);
    const b4 = readEvents(events).find((m) => m.etype === "TASK_SPAWN" && m.task.name === "b4");
    assert.deepEqual([b4.task.file, b4.task.line], [file, 5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
