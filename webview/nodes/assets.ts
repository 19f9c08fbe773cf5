/**
 * Every file a node loads by URL goes through here: the program's own files
 * (`http://localhost:8012/workspace/...`, relative paths) are mapped to the program's folder
 * as the page reaches it (src/viewer/assets.ts), remote URLs load as they are, and a failure
 * is one line naming the file as the program wrote it.
 */
import { ASSETS_META, mapAssetUrl, type AssetScope, type AssetTarget } from "../../src/viewer/assets.js";

let scope: AssetScope | null | undefined;

/** The page's AssetScope (read once from the meta tag the host wrote), or null when it has none. */
export function assetScope(): AssetScope | null {
  if (scope !== undefined) return scope;
  scope = null;
  const meta = typeof document === "undefined" ? null : document.querySelector(`meta[name="${ASSETS_META}"]`);
  const content = meta?.getAttribute("content");
  if (content) {
    try {
      const s = JSON.parse(content) as AssetScope;
      if (typeof s.base === "string" && typeof s.workspace === "string") scope = s;
    } catch {
      // a page without a readable scope loads remote URLs only
    }
  }
  return scope;
}

export function resolveAsset(src: string): AssetTarget {
  return mapAssetUrl(src, assetScope());
}

/** The URL the page loads for `src`; throws the refusal as a one-line error. */
export function assetUrl(src: string): string {
  const t = resolveAsset(src);
  if (t.kind === "refused") throw new Error(t.reason);
  return t.url;
}

/** Fetches `src` as the program named it; the error names the file (and, for the program's files, why it could not be read). */
export async function fetchAsset(src: string): Promise<Response> {
  const t = resolveAsset(src);
  if (t.kind === "refused") throw new Error(t.reason);
  const shown = t.kind === "file" ? t.path : t.url.length > 120 ? `${t.url.slice(0, 117)}...` : t.url;
  let res: Response;
  try {
    res = await fetch(t.url);
  } catch (e) {
    throw new Error(t.kind === "file" ? `${shown}: could not be read from the program's folder (missing?)` : `${shown}: ${(e as Error).message} (offline, or not allowed by the viewer's content policy)`);
  }
  if (!res.ok) {
    if (t.kind === "file") {
      // The headless host answers with the reason ("no such file in the program's folder"); VS Code with its status.
      const body = res.headers.get("content-type")?.startsWith("text/plain") ? (await res.text()).split("\n")[0].slice(0, 200) : "";
      throw new Error(body || `${shown}: not found in the program's folder (${res.status})`);
    }
    throw new Error(`${res.status} ${res.statusText} for ${shown}`);
  }
  return res;
}

export async function fetchAssetBytes(src: string): Promise<ArrayBuffer> {
  return (await fetchAsset(src)).arrayBuffer();
}
