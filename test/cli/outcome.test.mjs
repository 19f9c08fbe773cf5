// The exit-status rules of src/runner/outcome.ts, case by case (the CLI tests run them end to end).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTs } from "../helpers/load-ts.mjs";

const { exitStatus } = await loadTs("src/runner/outcome.ts");
const base = { code: 0, signal: null, killed: false, stopRequested: false, channelClosed: false, leftovers: 0, outputCut: false };
const end = (status, error) => ({ etype: "SESSION_END", ts: 0, status, ...(error ? { error } : {}) });

test("exit statuses, in the order the rules apply", () => {
  const cases = [
    [{ ...base, code: 3, end: end("stopped") }, "interrupted", 130, undefined],
    [{ ...base, code: null, signal: "SIGKILL", killed: true }, "interrupted", 130, undefined],
    [{ ...base, code: 3, end: end("stopped"), leftovers: 2 }, "timeout", 124, /stopped \(2 processes it left running were killed\)/],
    [{ ...base, code: 3, channelClosed: true }, undefined, 1, /closed the runner's channel/],
    [{ ...base, code: null, signal: "SIGSEGV" }, undefined, 139, /killed by SIGSEGV/],
    [{ ...base, code: null, signal: "SIGKILL" }, undefined, 137, /killed by SIGKILL/],
    [{ ...base, code: null, signal: "SIGINT" }, undefined, 1, /killed by SIGINT/],
    [{ ...base, code: 0, end: end("done") }, undefined, 0, undefined],
    [{ ...base, code: 0, end: end("done"), leftovers: 1 }, undefined, 0, /1 process it left running was killed/],
    [{ ...base, code: 1, end: end("failed", { name: "Error", message: "x" }) }, undefined, 1, undefined],
    [{ ...base, code: 2, end: end("failed", { name: "NoMainError", message: "x" }) }, undefined, 2, undefined],
    [{ ...base, code: 3, end: end("failed", { name: "SystemExit", message: "3" }) }, undefined, 3, /exited with status 3/],
    [{ ...base, code: 3, end: end("stopped") }, undefined, 1, /stopped itself/],
    [{ ...base, code: 5 }, undefined, 5, /exited with status 5/],
    [{ ...base, code: 0 }, undefined, 0, undefined],
  ];
  for (const [exit, reason, status, line] of cases) {
    const got = exitStatus(exit, reason);
    assert.equal(got.status, status, JSON.stringify([exit, reason]));
    if (line) assert.match(got.line ?? "", line);
    else assert.equal(got.line, undefined, JSON.stringify([exit, reason]));
  }
});
