// Opens the real viewer bundle (dist/webview.js) in headless Chromium through
// src/viewer/headless.ts (bundled here on the fly, as the CLI bundles it).
import * as esbuild from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bundlePath = join(root, "dist", "webview.js");

let modPromise;
export function headless() {
  modPromise ??= (async () => {
    const outdir = join(root, "node_modules", ".cache", "scene-runner-tests");
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, "headless.mjs");
    await esbuild.build({
      entryPoints: [join(root, "src", "viewer", "headless.ts")],
      outfile, bundle: true, platform: "node", format: "esm", target: "node20",
      external: ["playwright-core"], logLevel: "warning", absWorkingDir: root,
    });
    return import(pathToFileURL(outfile).href + `?t=${Date.now()}`);
  })();
  return modPromise;
}

export async function openViewer(opts = {}) {
  const { openHeadlessViewer } = await headless();
  const errors = [];
  const v = await openHeadlessViewer({ bundlePath, width: 640, height: 480, onPageError: (t) => errors.push(t), ...opts });
  let seq = 0;
  return Object.assign(v, {
    errors,
    /** Posts scene messages as one batch and waits until the viewer has drawn it. */
    async send(...messages) {
      const s = ++seq;
      await v.post({ t: "scene", seq: s, messages });
      await v.waitFor((m) => m.t === "applied" && m.seq >= s);
      await v.idle();
    },
    node: (key) => v.page.evaluate((k) => window.__sceneViewer.getNode(k), key),
    stats: () => v.page.evaluate(() => window.__sceneViewer.stats()),
    /** RGBA of one viewport pixel, read from a PNG of the page. */
    async pixel(x, y) {
      return v.page.evaluate(async ([x, y]) => {
        const png = await window.__sceneViewer.png();
        const bm = await createImageBitmap(new Blob([png], { type: "image/png" }));
        const c = new OffscreenCanvas(bm.width, bm.height);
        const g = c.getContext("2d");
        g.drawImage(bm, 0, 0);
        return Array.from(g.getImageData(x, y, 1, 1).data);
      }, [x, y]);
    },
    warnings: () => v.received.filter((m) => m.t === "warning"),
  });
}

export const SET = (children = [], extra = {}) => ({ etype: "SET", ts: Date.now(), data: { tag: "Scene", key: "scene", children, ...extra } });
export const UPSERT = (nodes, to = null) => ({ etype: "UPSERT", ts: Date.now(), data: { nodes: [].concat(nodes), to } });
export const UPDATE = (nodes) => ({ etype: "UPDATE", ts: Date.now(), data: { nodes: [].concat(nodes) } });
export const ADD = (nodes, to = null) => ({ etype: "ADD", ts: Date.now(), data: { nodes: [].concat(nodes), to } });
export const REMOVE = (keys) => ({ etype: "REMOVE", ts: Date.now(), data: { keys: [].concat(keys) } });
