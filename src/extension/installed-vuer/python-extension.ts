/**
 * The Python extension (ms-python.python) as an interpreter source: its public API, the
 * `environments` object of its exports (what the @vscode/python-extension package wraps):
 * `getActiveEnvironmentPath(resource)` is the interpreter the user picked for that file's
 * folder, `resolveEnvironment` turns it into an executable. Typed here by the part we read;
 * an extension without that API (too old) or one that throws is reported, not trusted.
 */
import * as vscode from "vscode";
import type { ActiveInterpreterSource } from "../../runner/python/interpreter-choice.js";

export const PYTHON_EXTENSION_ID = "ms-python.python";

interface EnvironmentPath {
  id?: string;
  path?: string;
}
interface ResolvedEnvironment {
  executable?: { uri?: vscode.Uri };
}
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath | undefined;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
}

/** Undefined when the Python extension is not installed. */
export function pythonExtensionSource(): ActiveInterpreterSource | undefined {
  const ext = vscode.extensions.getExtension<{ environments?: Partial<PythonEnvironmentsApi> } | undefined>(PYTHON_EXTENSION_ID);
  if (!ext) return undefined;
  return {
    async activeFor(file) {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const envs = api?.environments;
      if (typeof envs?.getActiveEnvironmentPath !== "function" || typeof envs.resolveEnvironment !== "function") {
        throw new Error("its API has no environments.getActiveEnvironmentPath / resolveEnvironment (too old a version?)");
      }
      const active = envs.getActiveEnvironmentPath(vscode.Uri.file(file));
      if (!active?.path) return undefined;
      const resolved = await envs.resolveEnvironment(active);
      // An environment the extension cannot resolve (deleted since) is not run blindly.
      return resolved?.executable?.uri?.fsPath;
    },
  };
}
