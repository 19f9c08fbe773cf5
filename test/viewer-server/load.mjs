// The viewer server, the scene pipeline and the frame codec for these tests, in one in-memory
// bundle (scripts/lib/import-ts.mjs), with a `require` in scope for the bundled `ws` library's
// Node built-ins (an ES module imported from a data: URL has none). Anything importing vscode fails.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "../../scripts/lib/import-ts.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function loadServer() {
  return importTs({
    stdin: {
      contents: ["viewer-server/viewer-server.ts", "scene/pipeline.ts", "protocol/frame-body.ts"].map((f) => `export * from "./src/${f}";`).join("\n"),
      resolveDir: ROOT,
      loader: "ts",
    },
    banner: { js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(${JSON.stringify(join(ROOT, "package.json"))});` },
    plugins: [{ name: "no-vscode", setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ errors: [{ text: "the viewer server imports vscode" }] })) }],
  });
}
