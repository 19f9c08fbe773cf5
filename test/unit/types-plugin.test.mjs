// Types in every workspace: the build ships dist/types/scene-runner.d.ts and the TypeScript
// server plugin; a real tsserver that loads the plugin as VS Code does (global plugin, probed
// from the extension's folder) types a scene file in a temporary folder outside the repo, with
// nothing installed there. Once with the repo's TypeScript, once with the one VS Code bundles.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DECLARATIONS, PLUGIN_DIR, PLUGIN_NAME } from "../../scripts/lib/types.mjs";
import { bundledTypeScript, show, TsServer, VSCODE_INFERRED_OPTIONS } from "../helpers/tsserver.mjs";

const root = join(import.meta.dirname, "..", "..");
const repoTs = join(root, "node_modules", "typescript");
const bundled = bundledTypeScript();
const skipBundled = bundled ? false : "VS Code's bundled TypeScript is not prepared here (node test/harness/prepare.mjs)";

// A scene as a user writes one: types only (Session), values, a gather with returnExceptions.
const GOOD = `import { sleep, gather, Box, TimeoutError, type Session, type Vec3 } from "scene-runner";

export async function main(sess: Session) {
  const at: Vec3 = [0, 0.5, 0];
  const t = sess.spawnTask(async () => { await sleep(10); return 2; }, { name: "two" });
  const [r] = await gather(t, { returnExceptions: true });
  sess.upsert(Box({ key: "box", position: at, color: r instanceof TimeoutError ? "red" : "green" }));
}
`;
// The declarations are real types, not any: misuse is reported where it is.
const BAD = `import { sleep, type Session } from "scene-runner";

export async function main(sess: Session) {
  await sleep("ten");
  sess.nope();
}
`;

const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ts"));
let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "scene-runner-types-"));
  writeFileSync(join(dir, "good.ts"), GOOD);
  writeFileSync(join(dir, "bad.ts"), BAD);
  // The shipped examples, opened from a user's folder with no tsconfig (VS Code's inferred project).
  for (const f of examples) copyFileSync(join(root, "examples", f), join(dir, f));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the build wrote one self-contained declaration file and the plugin package", () => {
  const dts = readFileSync(DECLARATIONS, "utf8");
  for (const name of ["class Session", "function sleep", "function gather", "const Box", "class CancelledError", "type Vec3"]) assert.ok(dts.includes(name), `${name} missing from ${DECLARATIONS}`);
  // Nothing a user's folder may lack (no @types/node there), nothing internal.
  assert.doesNotMatch(dts, /from "node:|<reference|AsyncLocalStorage/);
  const manifest = JSON.parse(readFileSync(join(PLUGIN_DIR, "package.json"), "utf8"));
  assert.equal(manifest.name, PLUGIN_NAME);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.deepEqual(pkg.contributes.typescriptServerPlugins.map((p) => p.name), [PLUGIN_NAME]);
  assert.equal(join(root, pkg.types), DECLARATIONS);
  assert.equal(join(root, pkg.exports["."].types), DECLARATIONS);
});

async function checkFolder(tsDir) {
  const withPlugin = new TsServer(tsDir, { plugins: [{ name: PLUGIN_NAME, probe: root }] });
  const without = new TsServer(tsDir);
  try {
    for (const s of [withPlugin, without]) await s.request("compilerOptionsForInferredProjects", { options: VSCODE_INFERRED_OPTIONS });
    const good = await withPlugin.diagnostics(join(dir, "good.ts"), dir);
    assert.deepEqual(good, [], `good.ts should typecheck:\n${show(good)}`);
    const bad = await withPlugin.diagnostics(join(dir, "bad.ts"), dir);
    assert.deepEqual(bad.map((d) => [d.line, d.code]).sort(), [[4, 2345], [5, 2339]], show(bad));
    for (const f of examples) {
      const ds = await withPlugin.diagnostics(join(dir, f), dir);
      assert.deepEqual(ds, [], `examples/${f} under the plugin:\n${show(ds)}`);
    }
    // The plugin is what makes it resolve: the same server without it cannot find the module.
    const bare = await without.diagnostics(join(dir, "good.ts"), dir);
    assert.ok(bare.some((d) => d.code === 2307 && /scene-runner/.test(d.text)), `expected "cannot find module" without the plugin:\n${show(bare)}`);
  } finally {
    await Promise.all([withPlugin.close(), without.close()]);
  }
}

test("a scene file in a folder outside the repo typechecks through the plugin (repo TypeScript)", async () => {
  await checkFolder(repoTs);
});

test("... and with the TypeScript VS Code bundles", { skip: skipBundled }, async () => {
  await checkFolder(bundled.dir);
});

// examples/tsconfig.json (what `tsc -p examples` and the repo's editor use), checked by each compiler.
function typecheckExamples(tsDir) {
  const ts = createRequire(import.meta.url)(join(tsDir, "lib", "typescript.js"));
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "examples", "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, " ")) });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const found = ts.getPreEmitDiagnostics(program).map((d) => {
    const at = d.file ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 };
    return `${d.file?.fileName}:${at.line + 1}:${at.character + 1} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
  assert.ok(config.fileNames.length >= 2, `examples/tsconfig.json names ${config.fileNames.length} files`);
  assert.deepEqual(found, [], `TypeScript ${ts.version}`);
}

test("examples/ typecheck with the repo's TypeScript", () => typecheckExamples(repoTs));
test("examples/ typecheck with the TypeScript VS Code bundles", { skip: skipBundled }, () => typecheckExamples(bundled.dir));
