// The Python-level unit tests (test/python/py, run with `python3 -m unittest`), and the
// seed programs on every other installed CPython: 3.9+ must behave the same, older is refused.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { root } from "../helpers/cli.mjs";
import { otherPythons, runCli, py } from "./helpers.mjs";

function unittest(python) {
  const r = spawnSync(python, ["-m", "unittest", "discover", "-s", join(root, "test", "python", "py")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /\nOK( \(skipped=\d+\))?\n$/);
}

test("python unit tests (codec, schemas, child against a test host)", () => unittest("python3"));

const others = otherPythons();
const supported = others.filter((p) => p.version[1] >= 9);
const tooOld = others.filter((p) => p.version[1] < 9);

test("the same seed output on every other installed Python 3.9+", { skip: !supported.length && "no other CPython installed" }, async (t) => {
  for (const { exe, version } of supported) {
    await t.test(`Python ${version.join(".")}`, async () => {
      const counter = await runCli(["run", py("counter.py"), "--python", exe]);
      assert.equal(counter.code, 0, counter.stderr);
      assert.equal(counter.stdout, "Main: 0\nBackground: 0\nBackground: 1\nBackground: 2\nMain: 1\nBackground: 3\nBackground: 4\nMain: 2\nDone!\n");
      const ticker = await runCli(["run", py("ticker.py"), "--python", exe]);
      assert.equal(ticker.stdout, "Tick 0\nTick 1\nTick 2\nticker stopped after 3 ticks\ncancelled: True\n");
      // The unit tests take seconds: run them on the oldest supported version only.
      if (exe === supported[0].exe) unittest(exe);
    });
  }
});

test("installed Pythons older than 3.9 are refused", { skip: !tooOld.length && "no CPython older than 3.9 installed" }, async () => {
  for (const { exe, version } of tooOld) {
    const r = await runCli(["run", py("ticker.py"), "--python", exe]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`is Python ${version.join("\\.")}\\.\\d+, but Scene Runner needs Python 3\\.9 or newer`));
  }
});
