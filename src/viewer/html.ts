/**
 * The viewer page: used by the VS Code panel and by `scene-runner snapshot`.
 * Pure (no vscode import). Strict CSP: nothing runs but the nonce'd bundle, no eval.
 */
import { ASSETS_META, type AssetScope } from "./assets.js";
import { VIEWER_CSS } from "./styles.js";
import { LINK_META, type PageLink } from "../viewer-server/page-link.js";

export interface ViewerHtmlOptions {
  /** URL of dist/webview.js as the page can load it (a webview URI in VS Code). */
  scriptUri: string;
  /** The origin(s) allowed to serve resources (webview.cspSource in VS Code). */
  cspSource: string;
  /** A fresh random value per page load. */
  nonce: string;
  title: string;
  /** Extra origins models and images may be fetched from by URL (default: https:). */
  connectSrc?: string;
  /** Show the status line, the toolbar and the warnings (default). Off: the scene alone (snapshots). */
  hud?: boolean;
  /** Where the program's own files load from (src/viewer/assets.ts); absent: remote URLs only. */
  assets?: AssetScope;
  /** Served by the viewer server: the page talks to its host over this WebSocket (webview/host-link.ts). */
  link?: PageLink;
}

/** With the HUD off, the page draws only the scene (widgets such as sliders stay: they are scene nodes). */
const NO_HUD_CSS = ".sr-hud, .sr-toolbar, .sr-warnings { display: none !important; }";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's Content-Security-Policy (a server may also send it as a header). */
export function viewerCsp(o: Pick<ViewerHtmlOptions, "nonce" | "cspSource" | "connectSrc">): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(o.nonce)) throw new Error("viewerHtml: the nonce must be at least 16 base64/alphanumeric characters");
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval' compiles WebAssembly only (no JS eval): the splat renderer sorts with it.
    `script-src 'nonce-${o.nonce}' 'wasm-unsafe-eval'`,
    // The splat renderer's sorting worker is a blob: script it makes itself.
    "worker-src blob:",
    `style-src 'nonce-${o.nonce}' ${o.cspSource}`,
    `img-src ${o.cspSource} blob: data:`,
    `connect-src ${o.cspSource} ${o.connectSrc ?? "https:"} blob: data:`,
    `font-src ${o.cspSource}`,
    // VideoPlane / VideoMaterial: the program's own video files (and https ones, as for models).
    `media-src ${o.cspSource} ${o.connectSrc ?? "https:"} blob:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export function viewerHtml(o: ViewerHtmlOptions): string {
  const csp = viewerCsp(o);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.assets ? `<meta name="${ASSETS_META}" content="${escapeHtml(JSON.stringify(o.assets))}">\n` : ""}${o.link ? `<meta name="${LINK_META}" content="${escapeHtml(JSON.stringify(o.link))}">\n` : ""}<title>${escapeHtml(o.title)}</title>
<style nonce="${o.nonce}">${VIEWER_CSS}${o.hud === false ? NO_HUD_CSS : ""}</style>
</head>
<body>
<div id="scene-viewer"></div>
<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
