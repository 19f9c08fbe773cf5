// The Node flags the runner is started with, by the version of the Node that runs it (in VS
// Code, Electron's): module-syntax detection where it is still behind a flag, and
// AsyncLocalStorage on AsyncContextFrame where Node has it behind a flag (default from 24).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { asyncContextFrameFlag, detectModuleFlag } = await loadTs("src/runner/node/launcher.ts");

test("AsyncContextFrame is asked for on Node 22.14+ and 23, left to the default on 24+, not asked for before 22.14", () => {
  for (const v of ["22.14.0", "22.20.0", "23.0.0", "23.11.1"]) assert.deepEqual(asyncContextFrameFlag(v), ["--experimental-async-context-frame"], v);
  for (const v of ["18.20.4", "20.18.0", "20.20.2", "21.7.3", "22.7.0", "22.13.1", "24.0.0", "26.1.0"]) assert.deepEqual(asyncContextFrameFlag(v), [], v);
});

test("module-syntax detection is flagged only where Node has it behind a flag", () => {
  for (const v of ["20.10.0", "20.18.0", "21.7.3", "22.6.0"]) assert.deepEqual(detectModuleFlag(v), ["--experimental-detect-module"], v);
  for (const v of ["18.20.4", "20.9.0", "20.19.0", "22.7.0", "22.14.0", "24.0.0"]) assert.deepEqual(detectModuleFlag(v), [], v);
});

test("every flag asked for on this Node is one this Node accepts", () => {
  const flags = [...detectModuleFlag(), ...asyncContextFrameFlag()];
  const r = spawnSync(process.execPath, [...flags, "-e", "0"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
