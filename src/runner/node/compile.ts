/**
 * How the runner loads a user's TypeScript/JavaScript scene file: no bundle and no
 * temp folder. Node's module loader gets hooks (loader-hooks.ts) that transpile the
 * user's TypeScript files as they are imported; node_modules load natively; and
 * `"scene-runner"` resolves to the runtime that runs the program, from `import` (the
 * hooks) and from `require` (a CommonJS package of the user's) alike.
 */
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";
import { COMPILE_ERROR_CODE, hooksModuleSource, type HooksData } from "./loader-hooks.js";

export const RUNTIME_GLOBAL = "__sceneRunnerRuntime";

export class CompileError extends Error {
  override name = "CompileError";
}

let installed = false;

/** Installs the hooks once; later imports of TypeScript files go through them. */
export function installSceneLoader(runtime: Record<string, unknown>): void {
  if (installed) return;
  installed = true;
  (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] = runtime;
  const data: HooksData = {
    esbuild: pathToFileURL(require.resolve("esbuild")).href,
    runtimeExports: Object.keys(runtime),
    runtimeGlobal: RUNTIME_GLOBAL,
  };
  register(`data:text/javascript,${encodeURIComponent(hooksModuleSource())}`, { data });
  // require("scene-runner") from CommonJS code gets the same runtime object.
  const mod = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === "scene-runner") return runtime;
    return load.call(this, request, parent, isMain);
  };
}

/** Imports the user's scene module; a file that does not compile throws CompileError (one line). */
export async function importScene(file: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    if ((e as { code?: unknown })?.code === COMPILE_ERROR_CODE) throw new CompileError((e as Error).message);
    throw e;
  }
}
