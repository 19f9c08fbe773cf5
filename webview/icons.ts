/**
 * VS Code's codicons for the toolbar, from the @vscode/codicons package. The stylesheet and the
 * font are bundled into the viewer script (as the Text3D fonts are): the page's strict CSP then
 * needs no new source, nothing is fetched, and the same bundle works in the VS Code webview, the
 * headless snapshot page and a plain page. The stylesheet goes in with the nonce of the script
 * that loaded us; the font is handed to the page as bytes (FontFace), so its `url(...)` rule is
 * dropped.
 */
import css from "@vscode/codicons/dist/codicon.css";
import ttf from "@vscode/codicons/dist/codicon.ttf";

// Read while the bundle's own <script> runs: document.currentScript is null afterwards.
const scriptNonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? "";
let installed = false;

/** Adds the codicon rules and font to the page once. */
export function installCodicons(): void {
  if (installed) return;
  installed = true;
  const style = document.createElement("style");
  if (scriptNonce) style.nonce = scriptNonce;
  style.textContent = css.replace(/@font-face\s*{[^}]*}/g, "");
  document.head.appendChild(style);
  const face = new FontFace("codicon", ttf.slice().buffer as ArrayBuffer);
  document.fonts.add(face);
  // Bytes parse at once; a broken font only costs the glyphs (the buttons keep their labels).
  void face.load().catch(() => undefined);
}

/** A codicon element for a button: `<span class="codicon codicon-NAME" aria-hidden>`. */
export function codicon(name: string): HTMLElement {
  installCodicons();
  const span = document.createElement("span");
  span.className = `codicon codicon-${name}`;
  span.setAttribute("aria-hidden", "true");
  return span;
}
