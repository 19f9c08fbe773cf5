// Failures a Python user meets: syntax/import errors, a missing or too old interpreter,
// an app with nothing to run. Each gives the documented exit status and a usable message.
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { lineOf, py, runCli, runWithEvents, tmp } from "./helpers.mjs";

/** What `python3 <file>` itself prints on stderr: our traceback must be the same. */
function plainPythonStderr(file) {
  try {
    execFileSync("python3", [file], { cwd: dirname(file), stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    return "";
  } catch (e) {
    return e.stderr;
  }
}

test("syntax error: exit 1, Python's own message at the user's line", async () => {
  const r = await runWithEvents("syntax_error.py");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, plainPythonStderr(py("syntax_error.py")));
  assert.match(r.stderr, new RegExp(`File "${py("syntax_error.py")}", line ${lineOf("syntax_error.py", 'print("never runs"')}\\n`));
  const end = r.events.at(-1);
  assert.deepEqual([end.status, end.error.name, end.error.location], ["failed", "SyntaxError", { file: py("syntax_error.py"), line: lineOf("syntax_error.py", 'print("never runs"') }]);
  assert.equal(r.events.filter((m) => m.etype === "TASK_SPAWN").length, 0);
});

test("sibling modules import; an error raised there has the same traceback as python3 gives", async () => {
  const r = await runWithEvents("uses_sibling.py");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "hello from a sibling module\n");
  assert.equal(r.stderr, plainPythonStderr(py("uses_sibling.py")));
  const end = r.events.at(-1);
  assert.deepEqual(end.error.location, { file: py("sibling_helper.py"), line: 6 });
  assert.equal(end.error.name, "KeyError");
});

test("--python naming a missing interpreter: exit 2 and one actionable line", async () => {
  const r = await runCli(["run", py("ticker.py"), "--python", "/nonexistent/bin/python3"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    'scene-runner: the Python interpreter "/nonexistent/bin/python3" does not run (/nonexistent/bin/python3 not found): install Python 3.9 or newer, or point --python / the sceneRunner.pythonPath setting at one\n',
  );
});

test("no python3 and no python on PATH: exit 2 and one actionable line", async () => {
  const empty = tmp();
  const r = await runCli(["run", py("ticker.py")], { env: { PATH: empty } });
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "scene-runner: no Python interpreter found (python3 not found, python not found): install Python 3.9 or newer, or point --python / the sceneRunner.pythonPath setting at one\n",
  );
});

test("an interpreter older than 3.9 is refused with its version", async () => {
  const dir = tmp();
  const fake = join(dir, "python3");
  writeFileSync(fake, "#!/bin/sh\necho 3.8.18\n"); // answers the version probe like a Python 3.8
  chmodSync(fake, 0o755);
  const r = await runCli(["run", py("ticker.py")], { env: { PATH: dir } });
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "scene-runner: python3 is Python 3.8.18, but Scene Runner needs Python 3.9 or newer: install Python 3.9 or newer, or point --python / the sceneRunner.pythonPath setting at one\n",
  );
});

test("a vuer app with nothing to run: exit 2 and one line at the app.run() call", async () => {
  const r = await runWithEvents("host/no_main.py");
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `${py("host/no_main.py")}:4: app.run(): nothing to run; decorate \`async def main(session)\` with @app.spawn\n`);
  assert.equal(r.events.at(-1).status, "failed");
});
