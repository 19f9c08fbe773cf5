// Which vuer and which interpreter a Python run gets: the decisions (pure, with the probe and the
// Python extension's API injected), and the probe itself against real CPython with stand-in vuer
// packages first on PYTHONPATH (fixtures/README.md), so the answers do not depend on this machine.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const fixtures = join(ROOT, "test", "installed-vuer", "fixtures");
const { chooseVuer, probeVuer, servingUrl, describeInstalled, isVuerMode, NoInstalledVuer } = await loadTs("src/runner/python/vuer-choice.ts");
const { chooseInterpreter } = await loadTs("src/runner/python/interpreter-choice.ts");

const yes = { ok: true, path: "/venv/lib/python3.11/site-packages/vuer", version: "0.1.6" };
const no = { ok: false, reason: "no vuer package is importable" };
const never = () => assert.fail("the probe must not run for bundled");

test("bundled never probes; auto takes the installed vuer when there is one, else the bundled one, saying why", async () => {
  assert.deepEqual(await chooseVuer("bundled", "python3", never), { use: "bundled", why: "bundled (asked for)" });
  assert.deepEqual(await chooseVuer("auto", "python3", async () => yes), {
    use: "installed",
    path: yes.path,
    version: "0.1.6",
    why: "vuer 0.1.6 installed at /venv/lib/python3.11/site-packages/vuer (auto: importable)",
  });
  assert.deepEqual(await chooseVuer("auto", "/usr/bin/python3", async () => no), { use: "bundled", why: "bundled (auto: /usr/bin/python3: no vuer package is importable)" });
});

test("installed without a real vuer: one line that says what was asked, why not, and what to do", async () => {
  const e = await chooseVuer("installed", "/usr/bin/python3", async () => no).then(
    () => assert.fail("must throw"),
    (e) => e,
  );
  assert.ok(e instanceof NoInstalledVuer);
  assert.equal(e.name, "NoInstalledVuer");
  assert.equal(e.message.includes("\n"), false);
  assert.match(e.message, /^the installed vuer was asked for, but \/usr\/bin\/python3 cannot use one: no vuer package is importable; install vuer .*\/usr\/bin\/python3 -m pip install vuer.*bundled or auto\)$/);
  const ok = await chooseVuer("installed", "python3", async () => ({ ok: true, path: "/src/vuer" }));
  assert.equal(ok.why, "vuer installed at /src/vuer (asked for)");
  assert.equal(describeInstalled({ path: "/p/vuer", version: "1.2" }), "vuer 1.2 installed at /p/vuer");
  assert.deepEqual(["auto", "installed", "bundled", "Installed", "", undefined].map(isVuerMode), [true, true, true, false, false, false]);
});

test("the address a VUER_SERVING report is reached at", () => {
  assert.equal(servingUrl({ host: "127.0.0.1", port: 8012, tls: false }), "ws://127.0.0.1:8012");
  assert.equal(servingUrl({ host: "0.0.0.0", port: 8012, tls: false }), "ws://127.0.0.1:8012");
  assert.equal(servingUrl({ host: "::", port: 9000, tls: true }), "wss://[::1]:9000");
  assert.equal(servingUrl({ host: "fe80::1", port: 1, tls: false }), "ws://[fe80::1]:1");
  assert.equal(servingUrl({ host: "robot.local", port: 8012, tls: false }), "ws://robot.local:8012");
});

test("the interpreter: the Python extension's for the file first, then the setting, then PATH", async () => {
  const asked = [];
  const ext = (answer) => ({
    activeFor: async (file) => {
      asked.push(file);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  assert.deepEqual(await chooseInterpreter("/w/a.py", { pythonExtension: ext("/w/.venv/bin/python"), setting: "/opt/py" }), {
    python: "/w/.venv/bin/python",
    why: "the Python extension's interpreter for this file",
  });
  assert.deepEqual(asked, ["/w/a.py"]);
  assert.deepEqual(await chooseInterpreter("/w/a.py", { pythonExtension: ext(undefined), setting: "/opt/py" }), {
    python: "/opt/py",
    why: "the Python extension has no interpreter selected for this file; sceneRunner.pythonPath",
  });
  assert.deepEqual(await chooseInterpreter("/w/a.py", { pythonExtension: ext(new Error("its API has no environments")) }), {
    why: "the Python extension failed (its API has no environments); sceneRunner.pythonPath is empty: python3 from PATH",
  });
  assert.deepEqual(await chooseInterpreter("/w/a.py", { setting: "/opt/py" }), { python: "/opt/py", why: "sceneRunner.pythonPath" });
  assert.deepEqual(await chooseInterpreter("/w/a.py", {}), { why: "no Python extension, sceneRunner.pythonPath is empty: python3 from PATH" });
  // An extension that never answers (stuck activating) does not hold the run.
  const stuck = { activeFor: () => new Promise(() => {}) };
  assert.deepEqual(await chooseInterpreter("/w/a.py", { pythonExtension: stuck, setting: "/opt/py", timeoutMs: 20 }), {
    python: "/opt/py",
    why: "the Python extension did not answer within 0.02 s; sceneRunner.pythonPath",
  });
  assert.equal((await chooseInterpreter("/w/a.py", { pythonExtension: ext("   ") })).python, undefined, "a blank answer is none");
});

/** The probe as the launcher runs it: our python/ on the path, then the given folders. */
const probeWith = (...dirs) =>
  probeVuer({
    python: process.env.SCENE_RUNNER_TEST_PYTHON ?? "python3",
    cwd: ROOT,
    programDir: fixtures,
    pythonPath: [join(ROOT, "python"), ...dirs].join(delimiter),
    bundledRoot: join(ROOT, "python", "bundled"),
  });

test("the probe, in real CPython: a vuer-shaped package, a broken one, another package called vuer, our bundled one", async () => {
  const fake = await probeWith(join(fixtures, "fake-vuer"));
  assert.deepEqual(fake, { ok: true, path: join(fixtures, "fake-vuer", "vuer"), version: "9.9.9" });
  assert.equal(await probeWith(join(fixtures, "fake-vuer")), fake, "a yes is cached");
  const broken = await probeWith(join(fixtures, "broken-vuer"));
  assert.deepEqual(broken, { ok: false, reason: `vuer at ${join(fixtures, "broken-vuer", "vuer")} does not import: ModuleNotFoundError: No module named 'aiohttp_that_is_not_installed'` });
  const other = await probeWith(join(fixtures, "not-vuer"));
  assert.equal(other.ok, false);
  assert.match(other.reason, /has no vuer\.server\.Vuer/);
  const bundled = await probeWith(join(ROOT, "python", "bundled"));
  assert.deepEqual(bundled, { ok: false, reason: "the only vuer importable is Scene Runner's bundled one" });
});

test("the probe's answer is kept until a folder it searched changes: a pip install into site-packages is seen next run", async () => {
  const site = mkdtempSync(join(tmpdir(), "probe-site-"));
  try {
    const before = await probeWith(site);
    assert.notEqual(before.path, join(site, "vuer")); // none there yet (a vuer this machine has elsewhere may answer)
    assert.equal(await probeWith(site), before, "kept: nothing changed");
    cpSync(join(fixtures, "fake-vuer", "vuer"), join(site, "vuer"), { recursive: true }); // as pip would
    assert.deepEqual(await probeWith(site), { ok: true, path: join(site, "vuer"), version: "9.9.9" });
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
});

test("the probe: an interpreter that does not run is a reason, not a crash", async () => {
  const r = await probeVuer({ python: join(fixtures, "no-such-python"), cwd: ROOT, programDir: ROOT, pythonPath: "", bundledRoot: "/nowhere" });
  assert.equal(r.ok, false);
  assert.match(r.reason, /^the vuer check did not run \(.*ENOENT/);
});
