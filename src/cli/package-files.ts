/**
 * Files the CLI finds beside itself: the viewer bundle and our package.json. The CLI runs as
 * dist/cli.js (the package), or from a build folder one level deeper in development.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** dist/webview.js next to the CLI bundle (dist/cli.js), or in the package's dist/. */
export function viewerBundlePath(): string {
  const candidates = [join(__dirname, "webview.js"), join(__dirname, "..", "dist", "webview.js"), join(__dirname, "..", "..", "dist", "webview.js")];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the viewer bundle (dist/webview.js) is missing; run npm run build (looked in ${candidates.join(", ")})`);
  return found;
}

/** Our package's version ("0.0.0" when no package.json is beside the CLI). */
export function packageVersion(): string {
  for (const p of [join(__dirname, "..", "package.json"), join(__dirname, "..", "..", "package.json")]) {
    try {
      return String(JSON.parse(readFileSync(p, "utf8")).version);
    } catch {
      // next candidate
    }
  }
  return "0.0.0";
}
