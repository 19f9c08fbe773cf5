// Runs a main(sess) in-process against the built runtime and records what it printed and sent.
// By default on a loop with a virtual clock: time jumps to the next timer whenever nothing is
// ready, so the interleaving a test asserts depends on its deadlines only, never on machine load
// (and sleep(3_600_000) takes no time). `{ realTime: true }` runs on the real clock instead.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
export const rt = require("../../dist/runtime.js");

/** Runs fn with the process loop replaced by one on a virtual clock; restores the real one after. */
export async function onVirtualTime(fn) {
  const clock = new rt.VirtualClock();
  const previous = rt.setEventLoop(new rt.EventLoop({ clock }));
  try {
    return await fn(clock);
  } finally {
    rt.setEventLoop(previous);
  }
}

export async function runScene(main, options = {}) {
  if (!options.realTime) return onVirtualTime(() => runScene(main, { ...options, realTime: true }));
  const lines = [];
  const messages = [];
  const diagnostics = [];
  const sess = new rt.Session({
    sink: { send: (m) => messages.push(m) },
    stderr: (t) => diagnostics.push(t),
    unretrievedAfterMs: options.unretrievedAfterMs ?? 50,
    stopGraceMs: options.stopGraceMs ?? 1500,
  });
  options.onSession?.(sess);
  const log = (s) => lines.push(String(s));
  const result = await sess.run((s) => main(s, log));
  return { result, lines, messages, diagnostics, sess };
}

export const states = (messages) =>
  Object.fromEntries(messages.filter((m) => m.etype === "TASK_STATE").map((m) => [m.task.id, m.task.state]));
export const spawned = (messages) => messages.filter((m) => m.etype === "TASK_SPAWN").map((m) => m.task);
/** Every state a task was reported in, in order. */
export const history = (messages, id) => messages.filter((m) => m.etype === "TASK_STATE" && m.task.id === id).map((m) => m.task.state);
