// The Scene view's prop summaries: numbers rounded, big arrays by kind and length, nothing unbounded.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { summarise } = await loadTs("src/extension/outliner/summarise.ts");

test("numbers are rounded, short arrays listed, long ones counted", () => {
  assert.equal(summarise(0.123456), "0.123");
  assert.equal(summarise(42), "42");
  assert.equal(summarise([1.23456, 2, 3]), "[1.235, 2, 3]");
  assert.equal(summarise(new Array(100).fill(0)), "array(100)");
});

test("typed arrays show their type and length, never their contents", () => {
  assert.equal(summarise(new Float32Array(3_000_000)), "Float32Array(3000000)");
  assert.equal(summarise(new Uint8Array(4)), "Uint8Array(4)");
});

test("strings are quoted and cut, objects shown one level deep", () => {
  assert.equal(summarise("x".repeat(100)), JSON.stringify(`${"x".repeat(60)}…`));
  assert.equal(summarise({ a: 1, b: { c: 2 } }), "{ a: 1, b: {…} }");
  assert.equal(summarise({ a: 1, b: 2, c: 3, d: 4, e: 5 }), "{ a: 1, b: 2, c: 3, d: 4, … }");
  assert.equal(summarise(null), "null");
  assert.equal(summarise(true), "true");
});
