// Runs inside the desktop VS Code's extension host (npm run test:electron). No test framework:
// each check throws on failure, and run() rejects, which @vscode/test-electron reports.
const assert = require("node:assert/strict");
const vscode = require("vscode");

const checks = [
  ["the extension is installed", async () => {
    assert.ok(vscode.extensions.getExtension(process.env.SCENE_RUNNER_EXTENSION_ID), "extension not found");
  }],
  ["it activates", async () => {
    const ext = vscode.extensions.getExtension(process.env.SCENE_RUNNER_EXTENSION_ID);
    await ext.activate();
    assert.equal(ext.isActive, true);
  }],
  ["every command it declares is registered", async () => {
    const ext = vscode.extensions.getExtension(process.env.SCENE_RUNNER_EXTENSION_ID);
    const declared = (ext.packageJSON.contributes?.commands || []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), [], "declared but not registered");
  }],
];

exports.run = async function run() {
  let failed = 0;
  for (const [name, fn] of checks) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.error(`not ok - ${name}: ${e.stack || e}`);
    }
  }
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} check(s) failed`);
};
