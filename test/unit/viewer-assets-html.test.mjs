// The viewer page's half of the program's files (src/viewer/html.ts): the AssetScope travels as
// data in a meta tag (escaped), and the CSP stays nonce-only for scripts, adding only what the
// asset loaders need: WebAssembly compilation and a blob: worker for the splat renderer, and
// media from the resource origin for video.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { viewerHtml } = await loadTs("src/viewer/html.ts");
const { ASSETS_META } = await loadTs("src/viewer/assets.ts");

const base = { scriptUri: "https://res.example/dist/webview.js", cspSource: "https://res.example", nonce: "abcdefghijklmnop0123", title: "t" };
const csp = (html) => /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)[1].replace(/&#39;/g, "'");

test("the asset scope is a data meta tag, escaped; none without a scope", () => {
  const scope = { base: 'https://res.example/ws"><script>alert(1)</script>', workspace: "a b/c" };
  const html = viewerHtml({ ...base, assets: scope });
  const m = new RegExp(`<meta name="${ASSETS_META}" content="([^"]*)">`).exec(html);
  assert.ok(m, "meta present");
  assert.ok(!html.includes("<script>alert"), "no markup injected");
  const decoded = m[1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  assert.deepEqual(JSON.parse(decoded), scope);
  assert.ok(!viewerHtml(base).includes(ASSETS_META));
});

test("the CSP: scripts by nonce only (no inline, no eval), wasm and a blob worker for splats, media from the resource origin", () => {
  const policy = csp(viewerHtml({ ...base, assets: { base: "https://res.example/ws", workspace: "" } }));
  const d = Object.fromEntries(policy.split(";").map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(d["default-src"], ["'none'"]);
  assert.deepEqual(d["script-src"], ["'nonce-abcdefghijklmnop0123'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(d["worker-src"], ["blob:"]);
  assert.deepEqual(d["media-src"], ["https://res.example", "https:", "blob:"]);
  assert.ok(!/'unsafe-inline'|'unsafe-eval'|'strict-dynamic'/.test(policy), policy);
  // The headless page passes no extra connect origin: nothing but its own origin, blob: and data: (and no https: media).
  const headless = csp(viewerHtml({ ...base, connectSrc: "" }));
  assert.match(headless, /media-src https:\/\/res\.example\s+blob:/);
});
