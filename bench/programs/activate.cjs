// extension.activation: loads an extension bundle (default dist/extension.js) in plain node
// under bench/lib/fake-vscode.cjs, calls activate() once and prints one JSON line: the time
// require() took, the time activate() took measured from outside, and the duration the
// extension reports itself in its log ("activated in X ms"), if it does.
"use strict";
const Module = require("node:module");
const { join, resolve } = require("node:path");

const fake = require("../lib/fake-vscode.cjs");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "vscode") return "vscode";
  return resolveFilename.call(this, request, ...rest);
};
require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: fake };

const root = join(__dirname, "..", "..");
const file = resolve(process.argv[2] ?? join(root, "dist", "extension.js"));
const t0 = performance.now();
const ext = require(file);
const t1 = performance.now();
const context = fake.__fakeContext(root);
Promise.resolve(ext.activate(context)).then(async () => {
  const t2 = performance.now();
  const line = fake.__lines.find((l) => /activated in [\d.]+ ?ms/.test(l));
  const selfMs = line ? Number(/activated in ([\d.]+)/.exec(line)[1]) : null;
  await Promise.resolve(ext.deactivate?.());
  for (const d of context.subscriptions) d?.dispose?.();
  console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, selfMs, subscriptions: context.subscriptions.length, logLine: line ?? null }));
  process.exit(0);
});
