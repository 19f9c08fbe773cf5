/**
 * Where a node's `src` (or a texture `map`, a URDF mesh...) points, as the viewer can load it.
 *
 * vuer programs name their own files by the URLs vuer's server would serve them at:
 * `http://localhost:8012/workspace/x.glb` (`app.localhost_prefix + "/x.glb"`), the older
 * `.../static/x.glb`, or a bare relative path. Nothing serves those here, so the viewer maps
 * them to a file of the program's folder (the *asset root*: the VS Code workspace folder of
 * the program, or its own folder) and loads it from `base`, the root as the page can reach it
 * (a webview resource URI in VS Code, an intercepted route in the headless viewer).
 *
 * Pure and shared: the viewer maps URLs with it, the hosts turn a requested URL back into a
 * root-relative path with it, and both refuse any path that leaves the root.
 */

/** The meta tag the page reads its AssetScope from (data, not script: the CSP stays nonce-only). */
export const ASSETS_META = "scene-runner-assets";

/** What the page is told about the program's files (no absolute paths: the page never sees them). */
export interface AssetScope {
  /** The asset root as the page loads it, without a trailing slash. */
  base: string;
  /** vuer's workspace (`static_root`, default "."): a folder inside the root, root-relative POSIX, "" for the root itself. */
  workspace: string;
}

export type AssetTarget =
  /** One of the program's files: `path` is root-relative, `url` is where the page loads it. */
  | { kind: "file"; path: string; url: string }
  /** Loaded as it is (https, data:, blob:); the page's CSP decides. */
  | { kind: "remote"; url: string }
  | { kind: "refused"; reason: string };

/** Host names vuer's own server answers on when the program runs on this machine. */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"]);
/** vuer's file routes: `/workspace/` (vuer ≥ 0.1) and `/static/` (older programs). */
const FILE_ROUTES = ["/workspace/", "/static/"];

const isLocalHost = (host: string) => LOCAL_HOSTS.has(host) || host.endsWith(".localhost");

/**
 * Joins and normalises POSIX path segments (already percent-decoded); null when `..` would
 * leave the first argument's folder, or a segment holds a character no file name here may
 * (NUL, a backslash: a Windows separator smuggled into a segment).
 */
export function normalizeUnder(dir: string, rel: string): string | null {
  const out = dir.split("/").filter((s) => s !== "" && s !== ".");
  const floor = out.length;
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg.includes("\0") || seg.includes("\\")) return null;
    if (seg === "..") {
      if (out.length === floor) return null;
      out.pop();
    } else out.push(seg);
  }
  return out.join("/");
}

/** Percent-decodes each segment of a URL path; null when the encoding is broken. */
function decodePath(path: string): string | null {
  try {
    return path.split("/").map((s) => decodeURIComponent(s)).join("/");
  } catch {
    return null;
  }
}

/** The page URL of a root-relative path (each segment percent-encoded). */
export function fileUrl(scope: AssetScope, path: string): string {
  return `${scope.base}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** The root-relative path a page URL under `base` names, or null (not under base, or escaping the root). */
export function pathOfFileUrl(base: string, url: string): string | null {
  const prefix = `${base}/`;
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length).replace(/[?#].*$/, "");
  const decoded = decodePath(rest);
  if (decoded === null) return null;
  const path = normalizeUnder("", decoded);
  return path === null || path === "" ? null : path;
}

/** A file of the workspace folder, or why not. */
function inWorkspace(scope: AssetScope, rel: string, shown: string): AssetTarget {
  const decoded = decodePath(rel);
  if (decoded === null) return { kind: "refused", reason: `${shown}: broken percent-encoding in the path` };
  const path = normalizeUnder(scope.workspace, decoded);
  if (path === null) return { kind: "refused", reason: `${shown}: the path leaves the program's folder (only its own files are served)` };
  if (path === "" || path === scope.workspace) return { kind: "refused", reason: `${shown}: names a folder, not a file` };
  return { kind: "file", path, url: fileUrl(scope, path) };
}

/**
 * Maps what a program wrote to what the page loads. `scope` null: the viewer was opened with
 * no program folder (a plain page), so only remote URLs load.
 */
export function mapAssetUrl(src: string, scope: AssetScope | null): AssetTarget {
  const s = src.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme === "data" || scheme === "blob") return { kind: "remote", url: s };
  if (scope && s.startsWith(`${scope.base}/`)) {
    // Already a page URL (a nested reference resolved against a mapped file).
    const path = pathOfFileUrl(scope.base, s);
    return path === null ? { kind: "refused", reason: `${s}: the path leaves the program's folder` } : { kind: "file", path, url: fileUrl(scope, path) };
  }
  if (scheme === "http" || scheme === "https") {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      return { kind: "refused", reason: `${s}: not a valid URL` };
    }
    // The page's own origin but not under the program's folder: a nested reference that climbed out of it.
    if (scope && sameOrigin(url, scope.base)) return { kind: "refused", reason: `${s}: the path leaves the program's folder (only its own files are served)` };
    if (!isLocalHost(url.hostname)) return { kind: "remote", url: s };
    // The path as written: the URL parser would fold `/workspace/../../etc` into `/etc`, hiding that it climbs out.
    const written = s.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "").replace(/[?#].*$/, "");
    const asWritten = FILE_ROUTES.find((r) => written.startsWith(r));
    if (asWritten && normalizeUnder("", decodePath(written.slice(asWritten.length)) ?? "") === null) {
      return { kind: "refused", reason: `${s}: the path leaves the program's folder (only its own files are served)` };
    }
    const route = FILE_ROUTES.find((r) => url.pathname.startsWith(r));
    if (!route) {
      return { kind: "refused", reason: `${s}: only vuer's /workspace/ and /static/ files are served here (routes the program adds itself are not)` };
    }
    if (!scope) return { kind: "refused", reason: `${s}: the viewer has no program folder to read it from` };
    // The URL parser already resolved `.` and `..` segments; encoded ones are checked after decoding.
    return inWorkspace(scope, url.pathname.slice(route.length), s);
  }
  if (scheme === "file") return { kind: "refused", reason: `${s}: file:// URLs are not read; use a path relative to the program's folder` };
  if (scheme !== undefined && scheme.length > 1) return { kind: "refused", reason: `${s}: the ${scheme}: scheme is not loaded here` };
  // A relative path (or a Windows drive letter, refused below by the backslash rule): vuer resolves it in its workspace.
  if (!scope) return { kind: "refused", reason: `${s}: a relative path, and the viewer has no program folder to read it from` };
  const path = s.replace(/[?#].*$/, "");
  const route = FILE_ROUTES.find((r) => path.startsWith(r));
  return inWorkspace(scope, route ? path.slice(route.length) : path, s);
}

function sameOrigin(url: URL, base: string): boolean {
  try {
    return new URL(base).origin === url.origin;
  } catch {
    return false;
  }
}

/** Resolves a reference found inside a loaded file (a URDF's mesh, a glTF's buffer) against that file's own URL. */
export function resolveNested(ref: string, parent: string): string {
  try {
    return new URL(ref, parent).href;
  } catch {
    return ref;
  }
}

const MIME: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", svg: "image/svg+xml",
  ktx2: "image/ktx2", hdr: "application/octet-stream", glb: "model/gltf-binary", gltf: "model/gltf+json", json: "application/json",
  obj: "text/plain", mtl: "text/plain", urdf: "application/xml", xml: "application/xml", dae: "model/vnd.collada+xml",
  bvh: "text/plain", txt: "text/plain", mp4: "video/mp4", webm: "video/webm",
};

/** The Content-Type a host serves a file with (octet-stream for model data it does not know). */
export function mimeOf(path: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  return MIME[ext] ?? "application/octet-stream";
}
