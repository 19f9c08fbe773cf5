// Runs a main(sess) in-process against the built runtime and records what it printed and sent.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export const rt = require("../../dist/runtime.js");

export async function runScene(main, options = {}) {
  const lines = [];
  const messages = [];
  const diagnostics = [];
  const sess = new rt.Session({
    sink: { send: (m) => messages.push(m) },
    stderr: (t) => diagnostics.push(t),
    unretrievedAfterMs: options.unretrievedAfterMs ?? 50,
    stopGraceMs: options.stopGraceMs ?? 1500,
  });
  const log = (s) => lines.push(String(s));
  const result = await sess.run((s) => main(s, log));
  return { result, lines, messages, diagnostics, sess };
}

export const states = (messages) =>
  Object.fromEntries(messages.filter((m) => m.etype === "TASK_STATE").map((m) => [m.task.id, m.task.state]));
export const spawned = (messages) => messages.filter((m) => m.etype === "TASK_SPAWN").map((m) => m.task);
