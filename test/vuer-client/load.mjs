// Loads src/vuer-client modules for these tests, bundled in memory like test/helpers/load-ts.mjs,
// with a `require` in scope: the bundled `ws` library requires Node's built-ins (http, net...),
// which an ES module imported from a data: URL cannot otherwise reach.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "../../scripts/lib/import-ts.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function loadClient(relPath) {
  return importTs({
    entryPoints: [join(ROOT, relPath)],
    banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(${JSON.stringify(join(ROOT, "package.json"))});` },
    plugins: [{ name: "no-vscode", setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ errors: [{ text: `${relPath} imports vscode` }] })) }],
  });
}
