// Workspace trust in a real VS Code: in a workspace the user has not trusted (restricted mode),
// Scene Runner must not run code — no Run lens, no Run command — while a trusted workspace
// (the other e2e tests) gets both. If VS Code asks "do you trust the authors?", we answer "No".
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { REPO } from "../harness/prepare.mjs";
import { launchVSCode, saveArtifacts } from "../harness/vscode.mjs";

describe("Scene Runner in an untrusted workspace", { timeout: 300_000 }, () => {
  let vs;
  let workspace;

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), "scene-runner-untrusted-"));
    cpSync(join(REPO, "test", "fixtures", "workspace", "red_box.ts"), join(workspace, "red_box.ts"));
    vs = await launchVSCode({ name: "untrusted", extensionPath: REPO, workspace, trust: true });
  });
  after(async () => {
    await vs?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  test("restricted mode: no Run lens and no Run Scene command", async () => {
    try {
      const ask = vs.page.locator(".monaco-dialog-box", { hasText: /trust the authors/i });
      if (await ask.isVisible()) await ask.getByRole("button", { name: /^No/ }).click();
      await vs.page.locator(".part.statusbar").getByText(/Restricted Mode/i).first().waitFor({ state: "visible", timeout: 60_000 });

      await vs.page.locator(".explorer-folders-view .monaco-list-row", { hasText: "red_box.ts" }).first().click();
      await vs.page.locator(".monaco-editor .view-line", { hasText: "export async function main" }).first().waitFor({ state: "visible", timeout: 30_000 });
      // Give lenses the time they take in a trusted window (they show within a second or two there).
      await new Promise((r) => setTimeout(r, 5000));
      assert.equal(await vs.page.locator(".codelens-decoration a", { hasText: "Run Scene" }).count(), 0, "a Run lens in restricted mode");
      assert.equal(await vs.hasCommand("Scene: Run Scene", { timeout: 5000 }), false, "Scene: Run Scene offered in restricted mode");
    } catch (e) {
      await saveArtifacts(vs, "untrusted-FAILED").catch(() => {});
      throw e;
    }
  });
});
