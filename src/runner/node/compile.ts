/**
 * Turns a user's TypeScript/JavaScript scene file into one ES module the runner
 * can import: imports between the user's own files are bundled, and
 * `import ... from "scene-runner"` resolves to the runtime that runs it (the
 * file may live in a folder with no node_modules at all). Source maps keep
 * errors pointing at the user's lines.
 */
import * as esbuild from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const RUNTIME_GLOBAL = "__sceneRunnerRuntime";

export interface Compiled {
  entry: string;
  dispose(): void;
}

export class CompileError extends Error {
  override name = "CompileError";
}

export async function compileScene(file: string, runtimeExports: string[]): Promise<Compiled> {
  const dir = mkdtempSync(join(tmpdir(), "scene-runner-"));
  const entry = join(dir, "scene.mjs");
  const shim = `const rt = globalThis[${JSON.stringify(RUNTIME_GLOBAL)}];\nexport const { ${runtimeExports.join(", ")} } = rt;\nexport default rt;\n`;
  try {
    await esbuild.build({
      entryPoints: [file],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "linked",
      sourcesContent: false,
      logLevel: "silent",
      // Packages with native parts cannot be bundled; they still load from the user's node_modules.
      external: ["*.node"],
      banner: { js: 'import { createRequire as __srCreateRequire } from "node:module"; const require = __srCreateRequire(import.meta.url);' },
      plugins: [
        {
          name: "scene-runner-runtime",
          setup(build) {
            build.onResolve({ filter: /^scene-runner$/ }, () => ({ path: "scene-runner", namespace: "scene-runner-runtime" }));
            build.onLoad({ filter: /.*/, namespace: "scene-runner-runtime" }, () => ({ contents: shim, loader: "js" }));
          },
        },
      ],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const errors = (e as esbuild.BuildFailure).errors;
    if (errors?.length) {
      const first = errors[0];
      const where = first.location ? `${resolve(first.location.file)}:${first.location.line}:${first.location.column + 1}: ` : "";
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
      throw new CompileError(`${where}${first.text}${more}`);
    }
    throw e;
  }
  return { entry, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
