// Loads one of the extension's vscode-free TypeScript modules for a unit test: esbuild bundles it
// (and what it imports) in memory, and the result is imported from a data: URL.
import * as esbuild from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function loadTs(relPath) {
  const out = await esbuild.build({
    entryPoints: [join(ROOT, relPath)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    logLevel: "silent",
    // Modules written for the CommonJS bundles (the runtime) name their own file.
    banner: { js: `var __filename = ${JSON.stringify(join(ROOT, relPath))};` },
    // Anything reaching for vscode is not pure logic: fail the test instead of stubbing it.
    plugins: [{ name: "no-vscode", setup: (b) => b.onResolve({ filter: /^vscode$/ }, () => ({ errors: [{ text: `${relPath} imports vscode` }] })) }],
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}
