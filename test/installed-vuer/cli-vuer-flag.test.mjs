// `scene-runner run --vuer`, without any real vuer (runs everywhere): `installed` where none can be
// used fails before the program starts, with one line saying why and what to do; `auto` then runs
// on the bundled vuer, and so does `bundled` even where a vuer-shaped package is importable. The
// stand-in packages (fixtures/README.md) go first on PYTHONPATH, so whatever this machine has
// installed does not change the answers.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fixture, readEvents, root, runCli } from "../helpers/cli.mjs";

const stand = (name) => join(root, "test", "installed-vuer", "fixtures", name);
const program = fixture("python", "animated_box.py");
const dir = mkdtempSync(join(tmpdir(), "cli-vuer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("--vuer installed without a usable vuer: status 2, one line with the reason, the program never starts", async () => {
  const events = join(dir, "installed.jsonl");
  const r = await runCli(["run", program, "--vuer", "installed", "--events", events], { env: { PYTHONPATH: stand("broken-vuer") } });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /^scene-runner: the installed vuer was asked for, but \S*python\S* cannot use one: vuer at .*broken-vuer\/vuer does not import: ModuleNotFoundError: No module named 'aiohttp_that_is_not_installed'; install vuer for that interpreter .*pip install vuer.*bundled or auto\)$/,
  );
  assert.equal(readFileSync(events, "utf8"), "", "no SESSION_START: nothing ran");
});

test("--vuer auto without a usable vuer runs the program on the bundled vuer", async () => {
  const events = join(dir, "auto.jsonl");
  const r = await runCli(["run", program, "--vuer", "auto", "--events", events], { env: { PYTHONPATH: stand("broken-vuer") } });
  assert.equal(r.code, 0, r.stderr);
  const messages = readEvents(events);
  assert.ok(messages.filter((m) => m.etype === "UPSERT").length >= 100, "the bundled vuer sends the scene over the runner pipe");
  assert.equal(messages.some((m) => m.etype === "VUER_SERVING"), false);
  assert.equal(messages.at(-1).etype, "SESSION_END");
});

test("--vuer bundled uses ours even where a vuer-shaped package is importable; a bad --vuer is a usage error", async () => {
  const events = join(dir, "bundled.jsonl");
  const r = await runCli(["run", program, "--vuer", "bundled", "--events", events], { env: { PYTHONPATH: stand("fake-vuer") } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(readEvents(events).some((m) => m.etype === "UPSERT"));
  const bad = await runCli(["run", program, "--vuer", "mine"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^scene-runner: --vuer takes bundled, installed, auto, got "mine"\n/);
});
