// VUER_SERVING, the runner's report of where a program's own vuer server listens (installed
// vuer): what the host accepts, and what it refuses with the field named.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { validateRunnerToHost, RUNNER_TO_HOST } = await loadTs("src/protocol/runner.ts");
const noDrop = () => assert.fail("nothing to drop");
const good = { etype: "VUER_SERVING", ts: 1, host: "127.0.0.1", port: 8012, tls: false, path: "/site-packages/vuer", version: "0.1.6" };

test("a VUER_SERVING report is taken as sent; version is optional, tls is true only when said", () => {
  assert.deepEqual(validateRunnerToHost(good, noDrop), good);
  const { version, ...bare } = good;
  assert.deepEqual(validateRunnerToHost({ ...bare, tls: "yes" }, noDrop), { ...bare, tls: false });
  assert.equal(RUNNER_TO_HOST.VUER_SERVING.binary, false);
});

test("a VUER_SERVING report without a usable port, host or path is refused, naming the field", () => {
  for (const [bad, field] of [
    [{ port: 0 }, /message\.port: not a TCP port \(0\)/],
    [{ port: 70000 }, /message\.port/],
    [{ port: 80.5 }, /message\.port/],
    [{ port: "8012" }, /message\.port/],
    [{ host: 7 }, /message\.host/],
    [{ path: undefined }, /message\.path/],
    [{ version: 1 }, /message\.version/],
  ]) {
    assert.throws(() => validateRunnerToHost({ ...good, ...bad }, noDrop), field, JSON.stringify(bad));
  }
});
