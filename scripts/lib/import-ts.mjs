// Imports TypeScript sources of this repo without writing anything: esbuild bundles them (and
// what they import) in memory, and the result is imported from a data: URL. Used by the build's
// contract generator and by the unit tests' loadTs.
import * as esbuild from "esbuild";

/** `build`: esbuild options naming what to bundle (entryPoints or stdin) plus any extras. */
export async function importTs(build) {
  const out = await esbuild.build({ bundle: true, format: "esm", platform: "node", target: "node20", write: false, logLevel: "silent", ...build });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}
