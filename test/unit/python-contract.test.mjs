// The Python side's constants are generated from the TypeScript contract and checked in:
// the checked-in file must be what the generator writes now (a stale one fails here, in CI).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { contractPy, CONTRACT_PY } from "../../scripts/gen-python-contract.mjs";

test("python/scene_runner/contract.py is generated from the TypeScript contract and up to date", async () => {
  const fresh = await contractPy();
  assert.equal(readFileSync(CONTRACT_PY, "utf8"), fresh, "stale: run npm run build");
  // The generated values are the contract's, not copies: spot-check a few against their sources.
  assert.match(fresh, /^EXIT_STOPPED = 3$/m);
  assert.match(fresh, /^TASK_STATES = \("running", "cancelling", "done", "cancelled", "failed"\)$/m);
  assert.match(fresh, /^BARRIERS = \("GRAB_RENDER", "SESSION_END"\)$/m);
  assert.match(fresh, /"int16": \("h", 2\)/);
});
