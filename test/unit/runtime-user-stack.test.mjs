// Stacks as users see them: their own frames, not the runtime's or Node's internals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { userStack, errorInfo } = await loadTs("src/runtime/locations.ts");

const stack = [
  "Error: could not load mesh.obj",
  "    at loadMesh (/home/me/scene/loader.ts:7:9)",
  "    at async runBody (/opt/ext/src/runtime/task.ts:51:13)",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  "    at async main (file:///home/me/scene/main.ts:12:3)",
].join("\n");

test("runtime and Node frames are left out; the message and the user's frames stay, in order", () => {
  assert.equal(userStack(stack), ["Error: could not load mesh.obj", "    at loadMesh (/home/me/scene/loader.ts:7:9)", "    at async main (file:///home/me/scene/main.ts:12:3)"].join("\n"));
});

test("SCENE_RUNNER_DEBUG keeps every frame", () => {
  process.env.SCENE_RUNNER_DEBUG = "1";
  try {
    assert.equal(userStack(stack), stack);
  } finally {
    delete process.env.SCENE_RUNNER_DEBUG;
  }
});

test("errorInfo reports the user's stack and the user's line", () => {
  const e = new Error("could not load mesh.obj");
  e.stack = stack;
  const info = errorInfo(e);
  assert.doesNotMatch(info.stack, /runtime\/task\.ts|node:internal/);
  assert.deepEqual(info.location, { file: "/home/me/scene/loader.ts", line: 7, column: 9 });
});
