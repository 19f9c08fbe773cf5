/**
 * The TypeScript server plugin the extension contributes (`contributes.typescriptServerPlugins`):
 * in any folder, `import … from "scene-runner"` resolves to the declarations shipped with the
 * extension (dist/types/scene-runner.d.ts), the API of the runtime that actually runs the file
 * (the runner resolves "scene-runner" to its own runtime, whatever the folder has installed).
 *
 * The build bundles this file to node_modules/scene-runner-ts-plugin/index.js inside the
 * extension, where VS Code's TypeScript server looks for contributed plugins; the
 * declarations are found relative to that folder (or at `declarations` in the plugin's config).
 * Nothing else about the project changes: every other module name resolves as before.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type * as TS from "typescript";

const MODULE_NAME = "scene-runner";

/** Where the declarations sit in the extension, from this plugin's own folder. */
function shippedDeclarations(pluginDir: string): string {
  return join(pluginDir, "..", "..", "dist", "types", "scene-runner.d.ts");
}

type ResolveLiterals = NonNullable<TS.LanguageServiceHost["resolveModuleNameLiterals"]>;

/**
 * Wraps a host's module resolution so that "scene-runner" names `declarations`. Returns false
 * (and changes nothing) when this TypeScript cannot be hooked this way (older than 5.0).
 */
function redirectSceneRunner(ts: typeof TS, host: TS.LanguageServiceHost, declarations: string): boolean {
  if (Number(ts.versionMajorMinor.split(".")[0]) < 5) return false;
  const original: ResolveLiterals | undefined = host.resolveModuleNameLiterals?.bind(host);
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => (host.useCaseSensitiveFileNames?.() ? f : f.toLowerCase()));
  const ours: TS.ResolvedModuleWithFailedLookupLocations = {
    resolvedModule: { resolvedFileName: declarations, extension: ts.Extension.Dts, isExternalLibraryImport: true, resolvedUsingTsExtension: false },
  };
  const resolveModuleNameLiterals: ResolveLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames) => {
    const resolved = original
      ? original(literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames)
      : literals.map((l) =>
          ts.resolveModuleName(l.text, containingFile, options, host as TS.ModuleResolutionHost, cache, redirectedReference, ts.getModeForUsageLocation(containingSourceFile, l, options)),
        );
    // A package in node_modules that has its own "scene-runner" dependency keeps it.
    if (/[\\/]node_modules[\\/]/.test(containingFile)) return resolved;
    return literals.map((l, i) => (l.text === MODULE_NAME && existsSync(declarations) ? ours : resolved[i]!));
  };
  host.resolveModuleNameLiterals = resolveModuleNameLiterals;
  return true;
}

interface PluginConfig {
  /** Overrides where the declarations are (an absolute path). */
  declarations?: string;
}

function init(modules: { typescript: typeof TS }): TS.server.PluginModule {
  const ts = modules.typescript;
  return {
    create(info) {
      const config = (info.config ?? {}) as PluginConfig;
      const declarations = config.declarations ?? shippedDeclarations(__dirname);
      const log = (m: string) => info.project?.projectService?.logger?.info(`scene-runner-ts-plugin: ${m}`);
      if (!existsSync(declarations)) log(`no declarations at ${declarations}; "scene-runner" resolves as it would without the plugin`);
      if (redirectSceneRunner(ts, info.languageServiceHost, declarations)) log(`"scene-runner" resolves to ${declarations}`);
      else log(`TypeScript ${ts.version} is older than 5.0: not enabled`);
      return info.languageService;
    },
  };
}

// tsserver loads plugins with require() and calls module.exports as the factory; the helpers
// ride along for tests and other hosts of the language service.
module.exports = Object.assign(init, { MODULE_NAME, shippedDeclarations, redirectSceneRunner });
