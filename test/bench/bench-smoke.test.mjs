// Benchmarks are not tests (nothing here looks at timings), but a benchmark that crashes is a
// failing test: run every benchmark of bench/run.mjs at tiny sizes and check that each entry
// of issue 7 is produced with finite numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXPECTED = [
  "scheduler.spawn", "scheduler.spawn.floor", "runner.overhead", "scheduler.cancel",
  "python.overhead.spawn", "python.overhead.cancel",
  "host.block.cloud", "host.block.boxes", "host.block.tasks", "host.stop",
  "pipeline.updates.delay_p95", "pipeline.updates.freshness", "pipeline.updates", "pipeline.updates.delay_p50", "pipeline.updates.backlog",
  "points.million", "points.million.bytes",
  "render.boxes",
  "extension.activation", "extension.bundle",
  "recording.overhead", "recording.seek", "recording.seek.memory",
];

test("every benchmark runs at smoke size and reports finite numbers", { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "scene-runner-bench-smoke-"));
  try {
    const out = join(dir, "results.json");
    const r = spawnSync(process.execPath, [join(root, "bench", "run.mjs"), "--smoke", "--out", out], { cwd: root, encoding: "utf8", timeout: 540_000 });
    assert.equal(r.status, 0, `bench/run.mjs --smoke failed:\n${r.stderr.slice(-4000)}`);
    const results = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(results.map((e) => e.name), EXPECTED);
    for (const e of results) {
      for (const k of ["ours", "peer", "ratio"]) assert.ok(Number.isFinite(e[k]), `${e.name}.${k} is ${e[k]}`);
      assert.ok(e.peer > 0, `${e.name}: peer is ${e.peer}`);
      for (const k of ["peerName", "unit"]) assert.equal(typeof e[k], "string", `${e.name}.${k}`);
      assert.ok(Math.abs(e.ratio - e.ours / e.peer) <= 0.01 * Math.abs(e.ours / e.peer) + 1e-9, `${e.name}: ratio ${e.ratio} is not ours/peer`);
    }
    // The pipeline run must not lose structural messages, even at smoke size.
    const pipe = results.find((e) => e.name === "pipeline.updates");
    assert.deepEqual(pipe.lost, { ours: 0, peer: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
