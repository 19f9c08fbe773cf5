// A plain page in headless Chromium (same browser and flags as the viewer tests) running
// one of bench/pages/*.ts, bundled with three.js by esbuild.
import { bundlePage } from "./build.mjs";
import { loadHost } from "./host.mjs";

export async function openPlainPage(file, { width = 640, height = 480 } = {}) {
  const host = await loadHost();
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: host.findChrome(), args: host.chromeArgs() });
  try {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => route.abort("blockedbyclient")); // loopback only: nothing leaves the page
    await page.setContent("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>");
    await page.addScriptTag({ content: await bundlePage(file) });
    return { page, browser, errors, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
