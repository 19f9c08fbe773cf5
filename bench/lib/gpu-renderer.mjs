#!/usr/bin/env node
// Which GL renderer headless Chromium draws WebGL with, under the arguments the benchmarks use
// (src/viewer/headless.ts chromeArgs(), so SCENE_RUNNER_CHROME_GL counts): read from
// WEBGL_debug_renderer_info in a blank page. bench/run.mjs records it beside the results, so a
// figure drawn on a GPU is never taken for a SwiftShader (CPU) one.
//
//   node bench/lib/gpu-renderer.mjs                  one line of JSON for the current environment
//   node bench/lib/gpu-renderer.mjs --probe a,b,c [--out f.json]
//        tries each SCENE_RUNNER_CHROME_GL mode in its own process (a GPU process that hangs
//        or crashes in one mode cannot spoil the next), prints what each drew with, and picks
//        the first whose renderer names NVIDIA (bench/gpu.sh runs the benchmarks with it).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadHost } from "./host.mjs";

// Chromium starts in a second or two; a GL mode that hangs its GPU process must not eat the
// benches' time on the device (three modes at most 3 × 45 s).
const LAUNCH_MS = 30_000;

/** { vendor, renderer, version } of WebGL in a blank page, with this process's Chromium arguments. */
export async function webglRenderer() {
  const host = await loadHost();
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: host.findChrome(), args: host.chromeArgs(), timeout: LAUNCH_MS });
  try {
    const page = await browser.newPage();
    await page.setContent("<!DOCTYPE html><canvas></canvas>");
    return await page.evaluate(() => {
      const gl = document.querySelector("canvas").getContext("webgl2") ?? document.querySelector("canvas").getContext("webgl");
      if (!gl) return { vendor: "", renderer: "no WebGL context", version: "" };
      const info = gl.getExtension("WEBGL_debug_renderer_info");
      return {
        vendor: info ? gl.getParameter(info.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR),
        renderer: info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
        version: gl.getParameter(gl.VERSION),
      };
    });
  } finally {
    await browser.close();
  }
}

/** The renderer as one string for a results file; never throws (no Chromium is a string too). */
export async function rendererLabel() {
  try {
    const r = await webglRenderer();
    return { glMode: process.env.SCENE_RUNNER_CHROME_GL || "swiftshader", webglRenderer: r.renderer, webglVendor: r.vendor };
  } catch (e) {
    return { glMode: process.env.SCENE_RUNNER_CHROME_GL || "swiftshader", webglRenderer: `unavailable: ${String(e?.message ?? e).split("\n")[0]}` };
  }
}

export const namesGpu = (renderer) => /nvidia/i.test(renderer ?? "");

function probeOne(mode) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, SCENE_RUNNER_CHROME_GL: mode }, stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    const killer = setTimeout(() => child.kill("SIGKILL"), LAUNCH_MS + 15_000);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      const ms = Date.now() - t0;
      try {
        resolve({ mode, ...JSON.parse(out.trim().split("\n").pop()), ms });
      } catch {
        resolve({ mode, error: (err.trim().split("\n").find((l) => /error/i.test(l)) ?? err.trim().split("\n").pop() ?? `exit ${code ?? signal}`).slice(0, 400), ms });
      }
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  if (!argv.includes("--probe")) {
    process.stdout.write(`${JSON.stringify(await webglRenderer())}\n`);
    return;
  }
  const modes = (argv[argv.indexOf("--probe") + 1] ?? "").split(",").filter(Boolean);
  if (!modes.length) throw new Error("--probe needs a comma-separated list of SCENE_RUNNER_CHROME_GL modes, e.g. --probe vulkan,angle-egl,egl");
  await loadHost(); // bundle the host once here, not in each probe at the same time
  const results = [];
  for (const mode of modes) {
    const r = await probeOne(mode);
    results.push(r);
    console.log(`probe ${mode}: ${r.error ? `FAILED: ${r.error}` : `${r.renderer} (${r.vendor}; ${r.version})`} [${(r.ms / 1000).toFixed(1)} s]`);
  }
  const chosen = results.find((r) => !r.error && namesGpu(r.renderer))?.mode ?? null;
  console.log(chosen ? `GL mode: ${chosen}` : "GL mode: none names NVIDIA");
  const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1] : undefined;
  if (out) writeFileSync(out, `${JSON.stringify({ chosen, results }, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(() => process.exit(0), (e) => {
    console.error(`gpu-renderer: ${e?.message ?? e}`);
    process.exit(1);
  });
}
