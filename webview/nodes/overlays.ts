/**
 * HTML components as a 2D overlay over the canvas, as vuer shows its
 * htmlChildren: div, span, p, h1-h6, b, i, a, article (Page), Markdown, Img/img,
 * and Html (drei's: its children pinned to the node's place on screen).
 *
 * Safety: every element is built with createElement/textContent, never from
 * markup; program text is never parsed as HTML (Markdown is parsed by the small
 * reader below into DOM nodes). No attribute other than the ones set here is
 * copied (so no event handlers, no `style` attribute, no `srcdoc`). `style`
 * dicts go through CSSOM with a list of allowed properties; values holding
 * url(), expression() or "javascript:" are dropped, and positions are limited to
 * static/relative/absolute inside the overlay, which clips and contains its
 * content (it is a containing block even for `fixed`). Links open only
 * http(s)/mailto URLs, in a new browsing context without opener. The page's CSP
 * is untouched: images are data:/blob:/allowed URLs.
 */
import { Vector3 } from "three";
import type { Props } from "../props.js";
import { describe } from "../props.js";
import { servicesOf, type StageServices } from "./services.js";
import type { Content, NodeContext } from "./types.js";

const ELEMENTS: Record<string, string> = {
  div: "div", Div: "div", span: "span", Span: "span", p: "p", Paragraph: "p", article: "article", Page: "article",
  h1: "h1", h2: "h2", h3: "h3", h4: "h4", h5: "h5", h6: "h6", Header1: "h1", Header2: "h2", Header3: "h3",
  b: "b", Bold: "b", strong: "strong", i: "i", Italic: "i", em: "em", a: "a", Link: "a", code: "code", pre: "pre",
  ul: "ul", ol: "ol", li: "li", br: "br", hr: "hr", AutoScroll: "div", Html: "div",
};
export const OVERLAY_TAGS = new Set([...Object.keys(ELEMENTS), "Markdown", "Img", "img", "iframe", "Iframe"]);

const STYLE_ALLOWED = new Set([
  "color", "background", "backgroundColor", "opacity", "font", "fontSize", "fontWeight", "fontFamily", "fontStyle", "lineHeight", "letterSpacing",
  "textAlign", "textDecoration", "textTransform", "whiteSpace", "wordBreak", "overflowWrap", "verticalAlign",
  "padding", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "margin", "marginTop", "marginRight", "marginBottom", "marginLeft",
  "width", "height", "minWidth", "minHeight", "maxWidth", "maxHeight", "boxSizing", "overflow", "overflowX", "overflowY",
  "border", "borderTop", "borderRight", "borderBottom", "borderLeft", "borderColor", "borderWidth", "borderStyle", "borderRadius",
  "display", "flex", "flexDirection", "flexWrap", "flexGrow", "flexShrink", "flexBasis", "alignItems", "alignSelf", "justifyContent", "gap", "rowGap", "columnGap",
  "gridTemplateColumns", "gridTemplateRows", "gridColumn", "gridRow", "position", "top", "right", "bottom", "left", "transform", "boxShadow", "textShadow",
  "userSelect", "cursor", "listStyle",
]);
const BAD_VALUE = /url\s*\(|expression\s*\(|javascript:|@import|\\/i;

export function applyStyle(el: HTMLElement, style: unknown, warn: (reason: string) => void): void {
  if (style === undefined || style === null) return;
  if (typeof style !== "object" || Array.isArray(style)) return warn(`expected an object of CSS properties, got ${describe(style)}`);
  for (const [k, raw] of Object.entries(style as Record<string, unknown>)) {
    const name = k.includes("-") ? k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) : k;
    if (!STYLE_ALLOWED.has(name)) continue;
    const v = typeof raw === "number" ? (/^(opacity|fontWeight|lineHeight|flex|flexGrow|flexShrink)$/.test(name) ? String(raw) : `${raw}px`) : raw;
    if (typeof v !== "string" || BAD_VALUE.test(v)) continue;
    if (name === "position" && !["static", "relative", "absolute"].includes(v.trim())) continue;
    (el.style as unknown as Record<string, string>)[name] = v;
  }
}

function safeHref(h: unknown): string | undefined {
  if (typeof h !== "string") return undefined;
  try {
    const u = new URL(h, "https://invalid.example/");
    return ["http:", "https:", "mailto:"].includes(u.protocol) && !h.startsWith("/") ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function textProp(p: Props): string | undefined {
  const v = p.raw.text ?? p.raw.value ?? p.raw.label;
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/** The flow layer top-level HTML nodes go into (below the toolbar, left). */
function flowLayer(s: StageServices): HTMLElement {
  const overlay = s.overlay();
  let flow = overlay.querySelector<HTMLElement>(":scope > .sr-html");
  if (!flow) {
    flow = document.createElement("div");
    flow.className = "sr-html";
    Object.assign(flow.style, {
      position: "absolute", left: "8px", top: "40px", maxWidth: "60%", maxHeight: "calc(100% - 80px)", overflow: "hidden",
      color: "var(--vscode-editor-foreground, #ccc)", font: "13px/1.45 var(--vscode-font-family, system-ui, sans-serif)",
    });
    overlay.appendChild(flow);
  }
  return flow;
}

/** Where a node's element goes: into its parent's element when the parent is an HTML node, else the flow layer. */
function attach(ctx: NodeContext, el: HTMLElement, s: StageServices): void {
  const parentEl = ctx.holder.parent?.userData.dom as HTMLElement | undefined;
  (parentEl ?? flowLayer(s)).appendChild(el);
  ctx.holder.userData.dom = el;
  // The overlay layer lets pointer events through to the canvas; text in it can still be read.
  if (!parentEl) el.style.pointerEvents = "none";
}

export function overlay(tag: string, p: Props, ctx: NodeContext): Content {
  const s = servicesOf(ctx.holder);
  if (!s) return { object: null, dispose() {} };
  if (tag === "Markdown") return markdownNode(p, ctx, s);
  if (tag === "Img" || tag === "img") return imgNode(p, ctx, s);
  if (tag === "iframe" || tag === "Iframe") return frameNode(p, ctx, s);
  const el = document.createElement(ELEMENTS[tag]);
  el.dataset.key = ctx.key;
  const textSpan = document.createElement("span");
  el.appendChild(textSpan);
  const fill = (q: Props) => {
    textSpan.textContent = textProp(q) ?? "";
    applyStyle(el, q.raw.style, (r) => q.warn("style", r));
    if (typeof q.raw.className === "string") el.className = q.raw.className.replace(/[^\w -]/g, "");
    if (el instanceof HTMLAnchorElement) {
      const href = safeHref(q.raw.href);
      if (href) link(el, href);
      else el.removeAttribute("href");
    }
  };
  fill(p);
  attach(ctx, el, s);
  let props = p;
  let off: (() => void) | undefined;
  if (tag === "Html") {
    // drei's Html: its top left corner pinned to the node's projected position (`center` centres it).
    el.style.position = "absolute";
    el.style.pointerEvents = "none";
    if (el.parentElement?.classList.contains("sr-html")) s.overlay().appendChild(el);
    const v = new Vector3();
    off = s.addFrameHook((camera) => {
      v.setFromMatrixPosition(ctx.holder.matrixWorld).project(camera);
      const w = s.container.clientWidth, h = s.container.clientHeight;
      const behind = v.z > 1 || v.z < -1;
      el.style.display = behind || !ctx.holder.visible ? "none" : "";
      const x = ((v.x + 1) / 2) * w, y = ((1 - v.y) / 2) * h;
      el.style.left = `${x.toFixed(1)}px`;
      el.style.top = `${y.toFixed(1)}px`;
      el.style.transform = props.bool("center", false) ? "translate(-50%, -50%)" : "";
      return false;
    });
  }
  s.changed();
  return {
    object: null,
    update(np) {
      props = np;
      fill(np);
      s.changed();
      return true;
    },
    dispose() {
      off?.();
      el.remove();
      delete ctx.holder.userData.dom;
    },
  };
}

const MIME: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp", gif: "image/gif" };

function imgNode(p: Props, ctx: NodeContext, s: StageServices): Content {
  const img = document.createElement("img");
  img.dataset.key = ctx.key;
  let url: string | undefined;
  const fill = (q: Props) => {
    if (url) URL.revokeObjectURL(url);
    url = undefined;
    const src = q.raw.src ?? q.raw.data;
    if (src instanceof Uint8Array || src instanceof ArrayBuffer) {
      url = URL.createObjectURL(new Blob([src as Uint8Array<ArrayBuffer>], { type: MIME[q.str("format", "png")!] ?? "image/png" }));
      img.src = url;
    } else if (typeof src === "string" && /^(data:image\/|https?:|blob:)/i.test(src)) img.src = src;
    else if (src !== undefined) q.warn("src", `expected image bytes, a data: URL or an http(s) URL, got ${describe(src)}`);
    img.alt = q.str("alt", "") ?? "";
    for (const k of ["width", "height"] as const) {
      const v = q.raw[k];
      if (typeof v === "number" && Number.isFinite(v) && v > 0) img[k] = Math.round(v);
    }
    applyStyle(img, q.raw.style, (r) => q.warn("style", r));
    if (img.src) {
      const loaded = img.decode().then(
        () => s.changed(),
        () => q.warn("src", "the image could not be decoded"),
      );
      ctx.track(loaded);
    }
  };
  fill(p);
  attach(ctx, img, s);
  return {
    object: null,
    update(np) {
      fill(np);
      return true;
    },
    dispose() {
      if (url) URL.revokeObjectURL(url);
      img.remove();
      delete ctx.holder.userData.dom;
    },
  };
}

/** An embedded page cannot load under the viewer's CSP (no frames): a box naming it, with a link. */
function frameNode(p: Props, ctx: NodeContext, s: StageServices): Content {
  const box = document.createElement("div");
  box.dataset.key = ctx.key;
  Object.assign(box.style, { border: "1px dashed currentColor", padding: "6px 8px", opacity: "0.8" });
  const href = safeHref(p.raw.src);
  box.appendChild(document.createTextNode("embedded page (not shown in the viewer): "));
  const a = document.createElement(href ? "a" : "span");
  a.textContent = typeof p.raw.src === "string" ? p.raw.src : "no src";
  if (href && a instanceof HTMLAnchorElement) link(a, href);
  box.appendChild(a);
  applyStyle(box, p.raw.style, (r) => p.warn("style", r));
  attach(ctx, box, s);
  return {
    object: null,
    dispose() {
      box.remove();
      delete ctx.holder.userData.dom;
    },
  };
}

function markdownNode(p: Props, ctx: NodeContext, s: StageServices): Content {
  const root = document.createElement("div");
  root.className = "sr-markdown";
  root.dataset.key = ctx.key;
  const fill = (q: Props) => {
    root.replaceChildren(renderMarkdown(textProp(q) ?? ""));
    applyStyle(root, q.raw.style, (r) => q.warn("style", r));
  };
  fill(p);
  attach(ctx, root, s);
  s.changed();
  return {
    object: null,
    update(np) {
      fill(np);
      s.changed();
      return true;
    },
    dispose() {
      root.remove();
      delete ctx.holder.userData.dom;
    },
  };
}

/** Inline Markdown: `code`, **bold**, *italic* / _italic_, [text](url); everything else is text. */
const LINK_COLOR = "var(--vscode-textLink-foreground, #3794ff)";
const MONO = "var(--vscode-editor-font-family, ui-monospace, monospace)";

function link(el: HTMLAnchorElement, href: string): void {
  el.href = href;
  el.target = "_blank";
  el.rel = "noopener noreferrer";
  el.style.color = LINK_COLOR;
}

function inline(text: string, into: Node): void {
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*]+)\*|_([^_]+)_|\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g;
  let last = 0;
  for (let m; (m = re.exec(text)); ) {
    if (m.index > last) into.appendChild(document.createTextNode(text.slice(last, m.index)));
    let el: HTMLElement;
    if (m[1] !== undefined) {
      el = document.createElement("code");
      el.textContent = m[1];
      el.style.fontFamily = MONO;
    }
    else if (m[2] !== undefined || m[3] !== undefined) inline(m[2] ?? m[3], (el = document.createElement("strong")));
    else if (m[4] !== undefined || m[5] !== undefined) inline(m[4] ?? m[5], (el = document.createElement("em")));
    else {
      const href = safeHref(m[7]);
      el = document.createElement(href ? "a" : "span");
      inline(m[6], el);
      if (href && el instanceof HTMLAnchorElement) link(el, href);
    }
    into.appendChild(el);
    last = re.lastIndex;
  }
  if (last < text.length) into.appendChild(document.createTextNode(text.slice(last)));
}

/** Block Markdown: headings, fenced code, lists, quotes, rules and paragraphs, as DOM nodes. */
export function renderMarkdown(src: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  let para: string[] = [];
  let list: HTMLElement | null = null;
  const flush = () => {
    if (para.length) {
      const p = document.createElement("p");
      inline(para.join(" "), p);
      out.appendChild(p);
      para = [];
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*```/.exec(line);
    if (fence) {
      flush();
      list = null;
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      const pre = document.createElement("pre");
      const c = document.createElement("code");
      c.textContent = code.join("\n");
      c.style.fontFamily = MONO;
      pre.appendChild(c);
      out.appendChild(pre);
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const li = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (h) {
      flush();
      list = null;
      const el = document.createElement(`h${h[1].length}`);
      inline(h[2].replace(/\s+#+\s*$/, ""), el);
      out.appendChild(el);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      list = null;
      out.appendChild(document.createElement("hr"));
    } else if (li) {
      flush();
      const ordered = /\d/.test(li[1]);
      if (!list || (list.tagName === "OL") !== ordered) {
        list = document.createElement(ordered ? "ol" : "ul");
        out.appendChild(list);
      }
      const item = document.createElement("li");
      inline(li[2], item);
      list.appendChild(item);
    } else if (/^\s*>/.test(line)) {
      flush();
      list = null;
      const q = document.createElement("blockquote");
      inline(line.replace(/^\s*>\s?/, ""), q);
      out.appendChild(q);
    } else if (!line.trim()) {
      flush();
      list = null;
    } else {
      list = null;
      para.push(line.trim());
    }
  }
  flush();
  return out;
}
