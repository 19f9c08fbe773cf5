// Types in every workspace, in a real VS Code: the VSIX (as a user installs it) is installed into
// code-server, a folder outside the repo with nothing installed and no tsconfig is opened, and the
// editor's own TypeScript (the one VS Code bundles) types `import … from "scene-runner"` through
// the extension's TS server plugin: the Problems panel shows the one real mistake in the file,
// at its line, and nothing about the module or `Session`.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { packageVsix } from "../../scripts/package.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";

const SCENE = `import { sleep, gather, Box, type Session } from "scene-runner";

export async function main(sess: Session) {
  const t = sess.spawnTask(async () => 2, { name: "two" });
  const [r] = await gather(t, { returnExceptions: true });
  sess.upsert(Box({ key: "box", position: [0, 0.5, 0], color: r instanceof Error ? "red" : "green" }));
  await sleep("one second");
}
`;

describe("editor types for scene-runner in a folder of the user's", { timeout: 300_000 }, () => {
  let vs;
  let scratch;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), "scene-runner-types-vscode-"));
    const workspace = join(scratch, "my-scenes");
    mkdirSync(workspace);
    writeFileSync(join(workspace, "scene.ts"), SCENE);
    const { file } = await packageVsix({ out: join(scratch, "scene-runner.vsix"), build: false, log: () => {} });
    vs = await launchVSCode({ name: "types", vsixPath: file, workspace });
  });
  after(async () => {
    await vs?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test("Problems: the wrong argument on line 7, no unresolved module, no 'refers to a value'", async () => {
    try {
      await vs.openFile("scene.ts");
      await vs.runCommand("Problems: Focus on Problems View", { allowErrors: true });
      const rows = vs.page.locator(".part.panel .markers-panel .monaco-list-row");
      // The TS server starts, loads the plugin and checks the file: wait for its verdict.
      const wrongArg = rows.filter({ hasText: /not assignable to parameter of type 'number'/ }).first();
      await wrongArg.waitFor({ state: "visible", timeout: 120_000 });
      const texts = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, " "));
      await vs.screenshot("types-problems");
      assert.match(await wrongArg.textContent(), /ts\(?2345\)?\s*\[Ln 7, Col 15\]/);
      assert.ok(!texts.some((t) => /Cannot find module|refers to a value|ts\(?2358\b/.test(t)), `unexpected problems:\n${texts.join("\n")}`);
      // One file with one problem: nothing else reported against it.
      assert.equal(texts.filter((t) => /ts\(?\d+\)?\s*\[Ln/.test(t)).length, 1, texts.join("\n"));
    } catch (e) {
      await saveArtifacts(vs, "types-FAILED").catch(() => {});
      throw e;
    }
  });
});
