/**
 * How a viewer page served by the viewer server (src/viewer-server/) learns to talk to its host
 * over a WebSocket instead of VS Code's postMessage: a meta tag the server writes into the page
 * (data, not script: the CSP stays nonce-only). Pure, shared by the server and webview/host-link.ts.
 */

/** The meta tag's name. */
export const LINK_META = "scene-runner-link";

export interface PageLink {
  /** The WebSocket's URL relative to the page (resolved against it, http → ws), e.g. "ws". */
  ws: string;
}

/** The page link a meta tag's content names, or null for anything else. */
export function parsePageLink(content: string | null | undefined): PageLink | null {
  if (!content) return null;
  try {
    const x = JSON.parse(content) as { ws?: unknown };
    return typeof x.ws === "string" && x.ws !== "" ? { ws: x.ws } : null;
  } catch {
    return null;
  }
}

/** The absolute WebSocket URL of a link, from the page's own URL (https pages get wss). */
export function socketUrl(link: PageLink, pageUrl: string): string {
  const u = new URL(link.ws, pageUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.hash = "";
  return u.href;
}
