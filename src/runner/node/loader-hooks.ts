/**
 * Node module loader hooks (`module.register`) that let the runner import a user's
 * TypeScript directly, with nothing written to disk:
 *
 *  - the user's `.ts/.tsx/.mts/.cts` files are transpiled one by one with esbuild's
 *    `transform` (inline source maps: stack traces point at the user's lines);
 *  - everything else, `node_modules` included, loads natively (a CommonJS package
 *    using `__dirname`, an ESM-only package, a native addon all work as under node);
 *  - `"scene-runner"` resolves to the runtime that runs the program, from any folder;
 *  - relative imports written the TypeScript way (`./lib/format`, `./lib/format.js`
 *    for `format.ts`, a folder's `index.ts`) resolve to the file that exists.
 *
 * The hooks run on Node's loader thread, which shares nothing with this bundle: the
 * factory below is sent there as source text (see hooksModuleSource), so it must be
 * self-contained and get every module it uses through `deps` or a dynamic import.
 */

export const RUNTIME_URL = "scene-runner:runtime";
/** The `code` of an error thrown for a file that does not compile. */
export const COMPILE_ERROR_CODE = "SCENE_RUNNER_COMPILE";

export interface HooksData {
  /** file: URL of esbuild's main module. */
  esbuild: string;
  /** Names the runtime exports (the shim re-exports them). */
  runtimeExports: string[];
  /** Global under which the runner put the runtime object. */
  runtimeGlobal: string;
}

interface Deps {
  fs: typeof import("node:fs");
  url: typeof import("node:url");
  path: typeof import("node:path");
}

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
type Loaded = { format: string; source?: string | Buffer | null; shortCircuit?: boolean };
type NextResolve = (specifier: string, context: ResolveContext) => Promise<Resolved>;
type NextLoad = (url: string, context: LoadContext) => Promise<Loaded>;
interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
}
interface LoadContext {
  format?: string | null;
  conditions?: string[];
}

/** Self-contained: runs on the loader thread from its source text. */
export function sceneHooks(deps: Deps) {
  const { fs, url, path } = deps;
  const RUNTIME = "scene-runner:runtime"; // RUNTIME_URL (this function cannot see module constants)
  const TS = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx" } as Record<string, "ts" | "tsx">;
  const TRY_EXT = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"];
  const JS_TO_TS: Record<string, string[]> = { ".js": [".ts", ".tsx"], ".mjs": [".mts"], ".cjs": [".cts"], ".jsx": [".tsx"] };
  let esbuild: { transform(code: string, options: Record<string, unknown>): Promise<{ code: string }> };
  let shim = "";
  const tsconfigs = new Map<string, string | undefined>();

  const isFile = (p: string) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const userFile = (u: string | undefined) => !!u && u.startsWith("file:") && !u.includes("/node_modules/");
  const isPathSpecifier = (s: string) => s.startsWith("./") || s.startsWith("../") || s.startsWith("/") || s.startsWith("file:") || s === "." || s === "..";

  /** The nearest tsconfig.json's text (esbuild reads its compilerOptions; `extends` is not followed). */
  function tsconfigFor(dir: string): string | undefined {
    const seen: string[] = [];
    let found: string | undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      if (tsconfigs.has(d)) {
        found = tsconfigs.get(d);
        break;
      }
      seen.push(d);
      const candidate = path.join(d, "tsconfig.json");
      if (isFile(candidate)) {
        try {
          found = fs.readFileSync(candidate, "utf8");
        } catch {
          found = undefined;
        }
        break;
      }
      if (path.dirname(d) === d || path.basename(d) === "node_modules") break;
    }
    for (const d of seen) tsconfigs.set(d, found);
    return found;
  }

  /** Node's CommonJS globals for a user's ESM-compiled file that uses them (and does not declare them). */
  function cjsGlobals(code: string): string {
    const uses = (id: string) => new RegExp(`\\b${id}\\b`).test(code) && !new RegExp(`\\b(?:const|let|var|function|class)\\s+${id}\\b`).test(code);
    let banner = "";
    if (uses("require")) banner += 'import { createRequire as __srCreateRequire } from "node:module"; const require = __srCreateRequire(import.meta.url); ';
    const file = uses("__filename");
    const dir = uses("__dirname");
    if (file || dir) banner += 'import { fileURLToPath as __srFileURLToPath } from "node:url"; ';
    if (file) banner += "const __filename = __srFileURLToPath(import.meta.url); ";
    if (dir) banner += 'const __dirname = __srFileURLToPath(new URL(".", import.meta.url)).replace(/\\/$/, ""); ';
    return banner;
  }

  return {
    async initialize(data: HooksData) {
      esbuild = await import(data.esbuild);
      const names = data.runtimeExports.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
      shim = `const rt = globalThis[${JSON.stringify(data.runtimeGlobal)}];\nexport const { ${names.join(", ")} } = rt;\nexport default rt;\n`;
    },

    async resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<Resolved> {
      if (specifier === "scene-runner") return { url: RUNTIME, shortCircuit: true };
      try {
        return await next(specifier, context);
      } catch (e) {
        if (!userFile(context.parentURL) || !isPathSpecifier(specifier)) throw e;
        const target = new URL(specifier, context.parentURL);
        const p = url.fileURLToPath(target);
        const ext = path.extname(p);
        const candidates = [
          ...(JS_TO_TS[ext] ?? []).map((x) => p.slice(0, -ext.length) + x),
          ...TRY_EXT.map((x) => p + x),
          ...TRY_EXT.map((x) => path.join(p, "index" + x)),
        ];
        const hit = candidates.find(isFile);
        if (!hit) throw e;
        return { url: url.pathToFileURL(hit).href + target.search, shortCircuit: true };
      }
    },

    async load(u: string, context: LoadContext, next: NextLoad): Promise<Loaded> {
      if (u === RUNTIME) return { format: "module", source: shim, shortCircuit: true };
      if (!u.startsWith("file:")) return next(u, context);
      const file = url.fileURLToPath(u);
      const loader = TS[path.extname(file).toLowerCase()];
      if (!loader) return next(u, context);
      const text = fs.readFileSync(file, "utf8");
      const options: Record<string, unknown> = {
        loader,
        format: "esm",
        target: "node20",
        sourcemap: "inline",
        sourcesContent: false,
        sourcefile: file,
        banner: cjsGlobals(text),
        logLevel: "silent",
      };
      const tsconfigRaw = tsconfigFor(path.dirname(file));
      let out: { code: string };
      try {
        out = await esbuild.transform(text, tsconfigRaw ? { ...options, tsconfigRaw } : options);
      } catch (first) {
        let e = first as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> };
        // A tsconfig.json esbuild cannot read must not stop the program: retry without it.
        if (tsconfigRaw) {
          try {
            out = await esbuild.transform(text, options);
            return { format: "module", source: out.code, shortCircuit: true };
          } catch (again) {
            e = again as typeof e;
          }
        }
        const errors = e.errors ?? [];
        const head = errors[0];
        const where = head?.location ? `${file}:${head.location.line}:${head.location.column + 1}: ` : `${file}: `;
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
        const err = new SyntaxError(`${where}${head?.text ?? String((e as Error).message ?? e)}${more}`);
        (err as Error & { code?: string }).code = "SCENE_RUNNER_COMPILE";
        throw err;
      }
      return { format: "module", source: out.code, shortCircuit: true };
    },
  };
}

/** The ES module source the loader thread runs: the factory above, given node's modules. */
export function hooksModuleSource(): string {
  return [
    'import * as fs from "node:fs";',
    'import * as url from "node:url";',
    'import * as path from "node:path";',
    `const hooks = (${sceneHooks.toString()})({ fs, url, path });`,
    "export const initialize = hooks.initialize;",
    "export const resolve = hooks.resolve;",
    "export const load = hooks.load;",
  ].join("\n");
}
