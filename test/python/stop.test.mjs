// Stopping Python programs through the CLI: Ctrl-C cancels tasks (finally blocks run),
// and a program stuck in a blocking call still ends within two seconds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { py, readEvents, runCli, tmp } from "./helpers.mjs";
import { join } from "node:path";

function interruptWhenReady(file, marker, eventsPath) {
  let sentAt;
  const run = runCli(["run", file, "--events", eventsPath], {
    onStdout: (out, child) => {
      if (sentAt === undefined && out.includes(marker)) {
        sentAt = performance.now();
        child.kill("SIGINT");
      }
    },
  });
  return run.then((r) => ({ ...r, afterSignalMs: performance.now() - sentAt }));
}

test("Ctrl-C on a program stuck in time.sleep(60): ends within 2 s, finally runs, exit 130", async () => {
  const eventsPath = join(tmp(), "events.jsonl");
  const r = await interruptWhenReady(py("stuck.py"), "ready\n", eventsPath);
  assert.ok(r.afterSignalMs < 2000, `took ${Math.round(r.afterSignalMs)} ms after Ctrl-C`);
  assert.equal(r.code, 130);
  assert.equal(r.stdout, "ready\nfinally ran\n");
  assert.equal(r.stderr, "");
  const events = readEvents(eventsPath);
  assert.deepEqual([events.at(-1).etype, events.at(-1).status], ["SESSION_END", "stopped"]);
  const main = events.find((m) => m.etype === "TASK_SPAWN").task;
  // "cancelling" as soon as the stop arrives, though the loop is stuck and cannot act on it yet.
  assert.deepEqual(events.filter((m) => m.etype === "TASK_STATE").map((m) => m.task), [{ id: main.id, state: "cancelling" }, { id: main.id, state: "cancelled" }]);
});

test("Ctrl-C on a vuer app cancels main and its background task; their finally blocks run", async () => {
  const eventsPath = join(tmp(), "events.jsonl");
  const r = await interruptWhenReady(py("animated_box.py"), "Background task running: 1\n", eventsPath);
  assert.ok(r.afterSignalMs < 2000);
  assert.equal(r.code, 130);
  assert.equal(r.stdout, "Background task running: 0\nBackground task running: 1\nbackground task cancelled after 2 ticks\n");
  const states = readEvents(eventsPath).filter((m) => m.etype === "TASK_STATE").map((m) => m.task.state);
  assert.deepEqual(states, ["cancelling", "cancelling", "cancelled", "cancelled"]);
});

test("--timeout stops a Python program the same way (exit 124)", async () => {
  const r = await runCli(["run", py("stuck.py"), "--timeout", "2"]); // long enough to reach time.sleep even on a loaded machine
  assert.equal(r.code, 124);
  assert.equal(r.stdout, "ready\nfinally ran\n");
  assert.ok(r.ms < 2000 + 2000 + 1000, `took ${Math.round(r.ms)} ms`); // timeout + stop bound + startup
});
