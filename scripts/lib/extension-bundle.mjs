// The extension host bundle's esbuild options, in one place: scripts/build.mjs builds it into
// dist/, and the extension.bundle benchmark builds the production form (the one a VSIX ships)
// to measure what users load.

/** esbuild options for dist/extension.js; `production` minifies as `npm run package` does. */
export function extensionBundle(production) {
  return {
    bundle: true, platform: "node", target: "node20", format: "cjs", sourcemap: true, minify: production, logLevel: "warning",
    // VS Code glue. three.js must never end up here (it belongs to the webview bundle).
    entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.js", external: ["vscode", "esbuild"],
  };
}
