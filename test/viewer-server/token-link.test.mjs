// The viewer server's secret and the page's link: tokens are 32 random bytes, compared whole
// (a prefix, a longer string or a different one of the same length never matches); the page
// finds its WebSocket from the meta tag's relative address, on its own host and path, wss on https.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { makeToken, tokenMatches } = await loadTs("src/viewer-server/token.ts");
const { parsePageLink, socketUrl } = await loadTs("src/viewer-server/page-link.ts");

test("a token is 32 random bytes and only itself matches it", () => {
  const t = makeToken();
  assert.equal(Buffer.from(t, "base64url").length, 32);
  assert.notEqual(makeToken(), t);
  assert.equal(tokenMatches(t, t), true);
  for (const other of [undefined, "", t.slice(0, -1), `${t}x`, t.slice(0, -1) + (t.endsWith("A") ? "B" : "A"), t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()]) {
    assert.equal(tokenMatches(other, t), false, JSON.stringify(other));
  }
});

test("the page link names a WebSocket relative to the page, forwarded prefixes kept", () => {
  assert.deepEqual(parsePageLink('{"ws":"ws"}'), { ws: "ws" });
  for (const bad of [null, "", "{", '{"ws":""}', '{"ws":3}', "[]"]) assert.equal(parsePageLink(bad), null, String(bad));
  assert.equal(socketUrl({ ws: "ws" }, "http://127.0.0.1:4000/TOKEN/1/"), "ws://127.0.0.1:4000/TOKEN/1/ws");
  assert.equal(socketUrl({ ws: "ws" }, "https://box.example/proxy/4000/TOKEN/1/#x"), "wss://box.example/proxy/4000/TOKEN/1/ws");
});
