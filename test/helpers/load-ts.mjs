// Loads one of the extension's vscode-free TypeScript modules for a unit test, bundled in memory
// (scripts/lib/import-ts.mjs).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "../../scripts/lib/import-ts.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function loadTs(relPath) {
  return importTs({
    entryPoints: [join(ROOT, relPath)],
    // Modules written for the CommonJS bundles (the runtime) name their own file.
    banner: { js: `var __filename = ${JSON.stringify(join(ROOT, relPath))};` },
    // Anything reaching for vscode is not pure logic: fail the test instead of stubbing it.
    plugins: [{ name: "no-vscode", setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ errors: [{ text: `${relPath} imports vscode` }] })) }],
  });
}
