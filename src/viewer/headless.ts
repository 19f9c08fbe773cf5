/**
 * The real viewer bundle in headless Chromium, for `scene-runner snapshot` and
 * the viewer tests. The page is served from an intercepted origin under a
 * random secret path (no socket is opened; every other request is refused),
 * with the same HTML and CSP as the VS Code panel. Messages cross the
 * Node/page boundary with typed arrays encoded as base64.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { DTYPES } from "../protocol/dtypes.js";
import { typedArraysFromText, typedArraysToText } from "../protocol/typed-arrays.js";
import type { FromViewerMessage, ToViewerMessage } from "../protocol/viewer.js";
import { descendants, processTable } from "../runner/process-tree.js";
import { mimeOf, pathOfFileUrl, type AssetScope } from "./assets.js";
import { readAssetFile, type AssetFolders } from "./asset-files.js";
import { viewerHtml } from "./html.js";

const BASE_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-gpu-sandbox"];

/**
 * How Chromium draws WebGL. SwiftShader (software) is the default: it needs no GPU and draws
 * the same pixels on every machine, which the viewer tests rely on. The others are for timing
 * on a GPU machine with no display (bench/gpu.sh probes which one reaches the GPU there).
 */
export const CHROME_GL_MODES: Readonly<Record<string, readonly string[]>> = {
  swiftshader: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  // ANGLE on Vulkan, no window surface (headless): the usual way to a GPU with no X server.
  vulkan: ["--use-angle=vulkan", "--enable-features=Vulkan", "--disable-vulkan-surface", "--ignore-gpu-blocklist", "--enable-gpu"],
  // ANGLE on the system's EGL (glvnd's libEGL.so.1 picks the vendor library).
  "angle-egl": ["--use-gl=angle", "--use-angle=gl-egl", "--ignore-gpu-blocklist", "--enable-gpu"],
  // ANGLE on the system's desktop OpenGL (through EGL in headless mode; glvnd again).
  "angle-gl": ["--use-gl=angle", "--use-angle=gl", "--ignore-gpu-blocklist", "--enable-gpu"],
  // Chromium's own EGL path, without ANGLE in between.
  egl: ["--use-gl=egl", "--ignore-gpu-blocklist", "--enable-gpu"],
};

/**
 * Chromium's arguments: SCENE_RUNNER_CHROME_GL picks a mode of CHROME_GL_MODES (default
 * swiftshader), SCENE_RUNNER_CHROME_ARGS adds arguments (split on spaces) for experiments.
 */
export function chromeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const mode = env.SCENE_RUNNER_CHROME_GL?.trim() || "swiftshader";
  const gl = Object.hasOwn(CHROME_GL_MODES, mode) ? CHROME_GL_MODES[mode] : undefined;
  if (!gl) throw new Error(`SCENE_RUNNER_CHROME_GL=${mode} is not a GL mode: use one of ${Object.keys(CHROME_GL_MODES).join(", ")} (or unset it for swiftshader)`);
  const extra = (env.SCENE_RUNNER_CHROME_ARGS ?? "").split(/\s+/).filter(Boolean);
  return [...BASE_ARGS, ...gl, ...extra];
}

/** The arguments every launch here uses, read from the environment once. */

/** The viewer's lazily loaded scripts (scripts/build.mjs builds them next to dist/webview.js). */
const CHUNKS = ["webview-splats.js", "webview-loaders.js"];

export class ChromeNotFoundError extends Error {
  override name = "ChromeNotFoundError";
}

/** The viewer page crashed (a renderer out of memory, typically with a huge message) or its browser went away. */
export class ViewerCrashedError extends Error {
  override name = "ViewerCrashedError";
}

/** How long close() waits for the browser to shut down before killing its processes. */
const CLOSE_MS = 5000;

/** CHROME_PATH, else /usr/bin/chromium (Debian's package), else a clear error. */
export function findChrome(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.CHROME_PATH ? [env.CHROME_PATH] : ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new ChromeNotFoundError(
    env.CHROME_PATH
      ? `CHROME_PATH is set to ${env.CHROME_PATH}, but no file is there`
      : "no Chromium found: install it (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to a Chrome/Chromium executable",
  );
}

export interface HeadlessViewerOptions {
  /** Path of dist/webview.js. */
  bundlePath: string;
  width?: number;
  height?: number;
  chromePath?: string;
  /** Viewer options set before the bundle runs. */
  viewerOptions?: { instancing?: boolean };
  /** Every message the viewer sends (ready, event, warning, stats, applied...). */
  onMessage?(m: FromViewerMessage): void;
  /** Page console errors and crashes. */
  onPageError?(text: string): void;
  /** Let Playwright close the browser on Ctrl-C/SIGTERM/SIGHUP (default). Off when the caller handles signals itself. */
  handleSignals?: boolean;
  /** Draw the status line and toolbar (default true; snapshots leave them out unless asked). */
  hud?: boolean;
  /** The program's folders (src/viewer/asset-files.ts): its files load as they would in VS Code; absent, none do. */
  assets?: AssetFolders;
}

export interface HeadlessViewer {
  readonly page: Page;
  readonly browser: Browser;
  /** Messages received from the viewer so far. */
  readonly received: FromViewerMessage[];
  post(m: ToViewerMessage): Promise<void>;
  /** Waits until every posted message is drawn and every model/image load finished. */
  idle(): Promise<void>;
  waitFor(pred: (m: FromViewerMessage) => boolean, timeoutMs?: number): Promise<FromViewerMessage>;
  /** The page as shown (HUD and widget panel included). */
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

// ---- typed arrays across the boundary ---------------------------------------------------------
// Messages cross page.evaluate / exposeFunction as JSON: typed arrays travel in their text form
// (src/protocol/typed-arrays.ts). pageBridge below is the page's half of the same codec; it runs
// before any bundle, so it cannot import: it is handed the dtype names with their constructors' names.

const DTYPE_CONSTRUCTOR_NAMES = Object.fromEntries(Object.entries(DTYPES).map(([name, ctor]) => [name, ctor.name]));

export const encodeForPage = typedArraysToText;
export const decodeFromPage = typedArraysFromText;

/** Runs in the page before the bundle: the VS Code API stand-in and the codec. */
function pageBridge({ options, dtypes }: { options: unknown; dtypes: Record<string, string> }): void {
  const w = globalThis as unknown as Record<string, unknown>;
  const toB64 = (u8: Uint8Array) => {
    let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, Array.from(u8.subarray(i, i + 0x8000)));
    return btoa(s);
  };
  // Our dtype names (src/protocol/dtypes.ts), sent in as constructor names: this function runs
  // in the page before any bundle, so it cannot import them.
  const DTYPES: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = Object.fromEntries(
    Object.entries(dtypes).map(([name, ctor]) => [name, w[ctor] as new (b: ArrayBuffer) => ArrayBufferView]),
  );
  const dtypeOf = (x: ArrayBufferView) => {
    if (x instanceof Uint8ClampedArray) return "uint8";
    for (const [name, Ctor] of Object.entries(DTYPES)) if (x instanceof Ctor) return name;
    return "uint8";
  };
  const enc = (x: unknown): unknown => {
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
      return { $typed: dtypeOf(x), base64: toB64(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) };
    }
    if (Array.isArray(x)) return x.map(enc);
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, enc(v)]));
    return x;
  };
  const dec = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(dec);
    if (x && typeof x === "object") {
      const r = x as { $typed?: string; base64?: string };
      if (typeof r.$typed === "string" && typeof r.base64 === "string" && Object.prototype.hasOwnProperty.call(DTYPES, r.$typed)) {
        const bin = atob(r.base64);
        const u8 = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
        return r.$typed === "uint8" ? u8 : new DTYPES[r.$typed](u8.buffer);
      }
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, dec(v)]));
    }
    return x;
  };
  w.__srDecode = dec;
  w.__sceneViewerOptions = options;
  w.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => (w.__sceneRunnerHost as (m: unknown) => void)(enc(m)),
    getState: () => undefined,
    setState: () => undefined,
  });
}

/** Direct children of this process (the browser a launch starts is one of them). */
function ownChildren(): Set<number> {
  const out = new Set<number>();
  for (const p of processTable().values()) if (p.ppid === process.pid) out.add(p.pid);
  return out;
}

/** Kills a browser's processes: its own and its descendants (walked before the kill). */
function killBrowserProcesses(pids: number[]): void {
  const table = processTable();
  for (const pid of pids) {
    for (const p of descendants(pid, table)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
  }
}

export async function openHeadlessViewer(o: HeadlessViewerOptions): Promise<HeadlessViewer> {
  const { chromium } = await import("playwright-core");
  const bundle = readFileSync(o.bundlePath);
  // Scripts the page adds only when a scene needs them (webview/nodes/chunks.ts), next to the bundle; absent ones are a 404.
  const chunks = new Map(CHUNKS.map((f) => [f, join(dirname(o.bundlePath), f)]));
  const before = ownChildren();
  const signals = o.handleSignals ?? true;
  const browser = await chromium.launch({
    executablePath: o.chromePath ?? findChrome(),
    args: chromeArgs(), // read at launch: a mistyped SCENE_RUNNER_CHROME_GL fails the viewer, not every command
    handleSIGINT: signals,
    handleSIGTERM: signals,
    handleSIGHUP: signals,
  });
  // The browser's pid (Playwright does not say it): the child this launch added.
  const browserPids = [...ownChildren()].filter((p) => !before.has(p));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([browser.close().catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, CLOSE_MS)))]);
    clearTimeout(timer);
    // A browser whose page crashed may not shut down by itself: nothing of it survives close().
    killBrowserProcesses(browserPids);
  };
  try {
    const page = await browser.newPage({ viewport: { width: o.width ?? 960, height: o.height ?? 540 }, deviceScaleFactor: 1 });
    const origin = "http://scene-runner.localhost";
    const secret = randomBytes(16).toString("hex");
    const base = `${origin}/${secret}/`;
    const nonce = randomBytes(18).toString("base64url");
    // The program's files live under files/ of the same secret origin (as VS Code's resource URIs share the webview's cspSource).
    const scope: AssetScope | undefined = o.assets && { base: `${base}files`, workspace: o.assets.workspace };
    const html = viewerHtml({ scriptUri: `${base}webview.js`, cspSource: origin, nonce, title: "Scene Runner", connectSrc: "", hud: o.hud, assets: scope });
    // Last registered route wins: refuse everything, then serve our two files and the program's own.
    await page.route("**/*", (route) => route.abort("blockedbyclient"));
    await page.route(`${origin}/**`, async (route) => {
      const url = route.request().url();
      if (url === base) return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
      if (url === `${base}webview.js`) return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: bundle });
      const chunk = url.startsWith(base) ? chunks.get(url.slice(base.length)) : undefined;
      if (chunk && existsSync(chunk)) return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: readFileSync(chunk) });
      if (scope && o.assets && url.startsWith(`${scope.base}/`)) {
        const path = pathOfFileUrl(scope.base, url);
        const read = path === null ? { ok: false as const, status: 403, reason: "outside the program's folder" } : await readAssetFile(o.assets.root, path);
        if (read.ok) return route.fulfill({ status: 200, contentType: mimeOf(path!), body: read.bytes });
        return route.fulfill({ status: read.status, contentType: "text/plain; charset=utf-8", body: read.reason });
      }
      return route.fulfill({ status: 404, body: "not found" });
    });
    const received: FromViewerMessage[] = [];
    const waiters = new Set<{ pred: (m: FromViewerMessage) => boolean; resolve: (m: FromViewerMessage) => void; reject: (e: Error) => void }>();
    await page.exposeFunction("__sceneRunnerHost", (encoded: unknown) => {
      const m = decodeFromPage(encoded) as FromViewerMessage;
      received.push(m);
      o.onMessage?.(m);
      for (const w of [...waiters]) if (w.pred(m)) {
        waiters.delete(w);
        w.resolve(m);
      }
    });
    await page.addInitScript(pageBridge, { options: o.viewerOptions ?? {}, dtypes: DTYPE_CONSTRUCTOR_NAMES });
    // A crashed page (or a browser gone) fails every pending and later call at once, with a clear error.
    let crash: ViewerCrashedError | undefined;
    let onCrash: (e: ViewerCrashedError) => void = () => {};
    const crashed = new Promise<never>((_, reject) => (onCrash = reject));
    crashed.catch(() => undefined);
    const fail = (why: string) => {
      if (crash) return;
      crash = new ViewerCrashedError(why); // reported by whoever called: every call rejects with it
      onCrash(crash);
      for (const w of [...waiters]) w.reject(crash);
    };
    page.on("crash", () => fail("the viewer page crashed (its renderer died; a message too large to draw can do that)"));
    browser.on("disconnected", () => {
      if (!closed) fail("the viewer's browser went away");
    });
    const guard = async <T>(what: () => Promise<T>): Promise<T> => {
      if (crash) throw crash;
      try {
        return await Promise.race([what(), crashed]);
      } catch (e) {
        throw crash ?? e;
      }
    };
    page.on("pageerror", (e) => o.onPageError?.(`page error: ${e.message}`));
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      // A program's missing or refused file is already one viewer warning naming it; Chromium's own line about the 404 would be a second.
      if (scope && msg.location().url.startsWith(`${scope.base}/`) && /^Failed to load resource/.test(msg.text())) return;
      o.onPageError?.(`console: ${msg.text()}`);
    });
    const waitFor = (pred: (m: FromViewerMessage) => boolean, timeoutMs = 15_000) => {
      const seen = received.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise<FromViewerMessage>((resolve, reject) => {
        const w = { pred, resolve: (m: FromViewerMessage) => (clearTimeout(timer), resolve(m)), reject: (e: Error) => (clearTimeout(timer), reject(e)) };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for a viewer message`));
        }, timeoutMs);
        waiters.add(w);
      });
    };
    await page.goto(base);
    await waitFor((m) => m.t === "ready");
    return {
      page,
      browser,
      received,
      waitFor,
      post: (m) =>
        guard(async () => {
          // One JSON string crosses CDP much faster than a structured object of 50,000 nodes.
          await page.evaluate((json) => {
            const w = globalThis as unknown as { __srDecode(x: unknown): unknown; postMessage(m: unknown, origin: string): void };
            w.postMessage(w.__srDecode(JSON.parse(json)), "*");
          }, JSON.stringify(encodeForPage(m)));
        }),
      idle: () => guard(() => page.evaluate(() => (globalThis as unknown as { __sceneViewer: { idle(): Promise<void> } }).__sceneViewer.idle())),
      screenshot: () => guard(() => page.screenshot({ type: "png" })),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
