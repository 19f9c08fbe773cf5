// Property tests of the Python frame codec (python/scene_runner/frames.py), run from node
// against real CPython: frames encoded here decode there in any chunking and come back
// identical; damaged, forged and deep frames are FrameErrors there, never an exception that
// would end the runner's reader thread. Seeded and time-bounded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root } from "../helpers/cli.mjs";
import { loadTs } from "../helpers/load-ts.mjs";
import { BUDGET_MS, forCases, payload, SEED } from "./gen.mjs";

const frames = await loadTs("src/protocol/frames.ts");
const script = join(root, "test", "fuzz", "py_frames_fuzz.py");
const python = process.env.SCENE_RUNNER_TEST_PYTHON ?? "python3";
const env = { ...process.env, PYTHONPATH: join(root, "python") };

test("TypeScript -> Python -> TypeScript: random messages with typed arrays come back identical", (t) => {
  const sent = [];
  forCases(SEED + 11, (r) => sent.push({ etype: "UPSERT", ts: r.int(1e6), data: payload(r) }), { ms: BUDGET_MS / 3, max: 3000 });
  const input = Buffer.concat(sent.flatMap((m) => frames.encodeFrame(m)));
  const p = spawnSync(python, [script, "echo", String(SEED + 11)], { input, env, maxBuffer: 1 << 28, timeout: 60_000 });
  assert.equal(p.status, 0, String(p.stderr));
  const got = [];
  const errors = [];
  new frames.FrameReader((m) => got.push(m), (e) => errors.push(e)).push(p.stdout);
  assert.deepEqual(errors, []);
  assert.equal(got.length, sent.length);
  for (let i = 0; i < sent.length; i++) assert.deepEqual(got[i], sent[i], `message ${i}`);
  t.diagnostic(`seed ${SEED + 11}: ${sent.length} messages (${input.length} bytes) through CPython and back`);
});

test("Python reader: damaged, forged and deep frames are FrameErrors; nothing escapes push()", (t) => {
  const p = spawnSync(python, [script, "mutate", String(SEED + 12), String(BUDGET_MS)], { env, encoding: "utf8", timeout: 60_000 });
  assert.equal(p.status, 0, p.stderr);
  const counts = JSON.parse(p.stdout);
  assert.equal(counts.escaped, 0, `escaped: ${counts.examples.join("; ")}`);
  assert.equal(counts.deep_accepted_past_limit, 0);
  assert.ok(counts.cases > 0);
  t.diagnostic(`seed ${SEED + 12}: ${counts.cases} cases (${counts.decoded} decoded, ${counts.refused} refused with FrameError), 0 escaped`);
});
