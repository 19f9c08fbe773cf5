/**
 * Scripts the viewer adds to its page only when a scene needs them (dist/webview-*.js, built
 * next to dist/webview.js): each leaves its exports in a global. They load from where this
 * bundle came from, with its nonce, so the page's CSP needs no new source.
 */
import type { LoadersChunk } from "./loaders-chunk.js";
import type { SplatChunk } from "./splat-chunk.js";
import { THREE_FOR_CHUNKS, THREE_GLOBAL } from "./three-for-chunks.js";

// Read while the bundle runs (document.currentScript is ours only then).
const script = typeof document === "undefined" ? null : (document.currentScript as HTMLScriptElement | null);
const bundle = { src: script?.src, nonce: script?.nonce };
/** The globals the chunk entries (./splat-chunk.ts, ./loaders-chunk.ts) leave their exports in. */
export const SPLATS_GLOBAL = "__sceneRunnerSplats";
export const LOADERS_GLOBAL = "__sceneRunnerLoaders";

const loads = new Map<string, Promise<unknown>>();

/** Adds `file` (a sibling of the viewer bundle) once; later calls share the load; a failed load is tried again next time. */
export function loadChunk<T>(file: string, global: string, what: string): Promise<T> {
  let load = loads.get(file) as Promise<T> | undefined;
  if (load) return load;
  load = new Promise<T>((resolve, reject) => {
    const g = globalThis as unknown as Record<string, unknown>;
    if (!bundle.src) return reject(new Error(`the viewer's own script URL is unknown, so ${what} (${file}) cannot be found`));
    g[THREE_GLOBAL] = THREE_FOR_CHUNKS;
    const el = document.createElement("script");
    if (bundle.nonce) el.nonce = bundle.nonce;
    el.src = new URL(file, bundle.src).href;
    el.onload = () => (g[global] ? resolve(g[global] as T) : reject(new Error(`${file} loaded but defined nothing`)));
    el.onerror = () => reject(new Error(`could not load ${what} (dist/${file})`));
    document.head.append(el);
  });
  load.catch(() => loads.delete(file));
  loads.set(file, load);
  return load;
}

/** The FBX / COLLADA / BVH loaders and the PNG decoder (dist/webview-loaders.js). */
export const loadLoaders = () => loadChunk<LoadersChunk>("webview-loaders.js", LOADERS_GLOBAL, "the FBX/COLLADA/BVH/depth-image loaders");
/** Spark's splat renderer (dist/webview-splats.js). */
export const loadSplats = () => loadChunk<SplatChunk>("webview-splats.js", SPLATS_GLOBAL, "the splat renderer");
