#!/usr/bin/env node
// Writes python/scene_runner/contract.py from the TypeScript contract, so the Python side
// (standard library only, no build step of its own) never copies a constant by hand: exit
// statuses, environment variable names, the oldest Python, task states, message types,
// dtypes and the frame codec's limits. The file is checked in; `npm run build` rewrites it
// when the TypeScript changed, and `--check` (run by the tests) fails when it is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./lib/import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CONTRACT_PY = join(root, "python", "scene_runner", "contract.py");

/** The TypeScript values the Python side needs, read from the sources themselves. */
async function contractValues() {
  const entry = `
    export { EXIT } from "./src/runner/exit-codes.ts";
    export { CHANNEL_ENV, COALESCE_ENV, CHANNEL_FD } from "./src/runner/launch.ts";
    export { MIN_PYTHON, VUER_ENV } from "./src/runner/python/launcher.ts";
    export { SESSION_MARKER_ENV } from "./src/runner/process-tree.ts";
    export { TASK_STATES } from "./src/protocol/tasks.ts";
    export { RUNNER_TO_HOST, HOST_TO_RUNNER, SESSION_OUTCOMES } from "./src/protocol/runner.ts";
    export { RUNNER_PIPE_ONLY, SPAWN, STATE, TASK_BATCH_MAX } from "./src/protocol/task-batch.ts";
    export { rpcResponseType } from "./src/protocol/events.ts";
    export { DTYPES } from "./src/protocol/typed-arrays.ts";
    export { MAX_FRAME_BYTES, MAX_DEPTH } from "./src/protocol/frames.ts";
  `;
  return importTs({ stdin: { contents: entry, resolveDir: root, loader: "ts" } });
}

/** struct/array typecodes by element type (what Python's memoryview.cast and array take). */
const TYPECODES = { Float32Array: "f", Float64Array: "d", Uint8Array: "B", Uint16Array: "H", Uint32Array: "I", Int8Array: "b", Int16Array: "h", Int32Array: "i" };

const py = (v) => JSON.stringify(v); // strings and numbers read the same in Python
const tuple = (xs) => `(${xs.map(py).join(", ")}${xs.length === 1 ? "," : ""})`;

export async function contractPy() {
  const c = await contractValues();
  const exits = Object.entries(c.EXIT);
  const dtypes = Object.entries(c.DTYPES).map(([name, ctor]) => {
    const code = TYPECODES[ctor.name];
    if (!code) throw new Error(`gen-python-contract: no typecode for ${ctor.name}`);
    return `    ${py(name)}: (${py(code)}, ${ctor.BYTES_PER_ELEMENT}),`;
  });
  const [u, id] = ["{etype}", "{uuid}"];
  const rpcFormat = c.rpcResponseType(u, id).replace(u, "%s").replace(id, "%s");
  const barriers = Object.entries(c.RUNNER_TO_HOST).filter(([, d]) => d.barrier).map(([k]) => k);
  return `"""The runner protocol's constants for the Python side, generated from the TypeScript contract
by scripts/gen-python-contract.mjs (npm run build). Do not edit: change the TypeScript and build.

Plain assignments only: this module loads on any Python, so __main__ can refuse an old one
with a readable message."""

# Oldest Python the runner supports (src/runner/python/launcher.ts MIN_PYTHON).
MIN_PYTHON = ${tuple(c.MIN_PYTHON)}

# Exit statuses (src/runner/exit-codes.ts EXIT). A program that ends with sys.exit(n),
# os._exit(n) or a signal exits with its own status instead.
${exits.map(([k, v]) => `EXIT_${k.toUpperCase()} = ${v}`).join("\n")}
EXIT_CODES = {${c.SESSION_OUTCOMES.map((o) => `${py(o)}: EXIT_${o.toUpperCase()}`).join(", ")}}

# Environment of the runner process (src/runner/launch.ts, src/runner/process-tree.ts).
CHANNEL_ENV = ${py(c.CHANNEL_ENV)}  # the channel's fd number
CHANNEL_FD = ${c.CHANNEL_FD}
COALESCE_ENV = ${py(c.COALESCE_ENV)}  # "1": fold scene updates while the pipe is backed up
MARKER_ENV = ${py(c.SESSION_MARKER_ENV)}  # inherited by everything the program starts
VUER_ENV = ${py(c.VUER_ENV)}  # "installed": the program runs on the user's vuer (src/runner/python/launcher.ts)

# Task states (src/protocol/tasks.ts TASK_STATES); "cancelling": a cancel was requested and
# the task's code has not exited yet.
TASK_STATES = ${tuple(c.TASK_STATES)}

# How a session ends (src/protocol/runner.ts SESSION_OUTCOMES).
SESSION_OUTCOMES = ${tuple(c.SESSION_OUTCOMES)}

# Message types by direction (src/protocol/runner.ts RUNNER_TO_HOST, HOST_TO_RUNNER; viewer
# events besides). Barriers: held scene updates are sent before them.
RUNNER_TO_HOST = ${tuple(Object.keys(c.RUNNER_TO_HOST))}
HOST_TO_RUNNER = ${tuple(Object.keys(c.HOST_TO_RUNNER))}
BARRIERS = ${tuple(barriers)}
# Messages only the runner pipe carries (src/protocol/task-batch.ts RUNNER_PIPE_ONLY): the host
# expands a TASK_BATCH into the TASK_SPAWN/TASK_STATE reports it stands for; its kind column.
RUNNER_PIPE_ONLY = ${tuple(Object.keys(c.RUNNER_PIPE_ONLY))}
TASK_BATCH_SPAWN = ${c.SPAWN}
TASK_BATCH_STATE = ${c.STATE}
# Reports per TASK_BATCH at most (one frame must stay a few milliseconds of the host's thread).
TASK_BATCH_MAX = ${c.TASK_BATCH_MAX}

# Dtypes of typed arrays (src/protocol/typed-arrays.ts): protocol name -> (typecode, item size).
DTYPES = {
${dtypes.join("\n")}
}

# Frame codec limits (src/protocol/frames.ts).
MAX_FRAME_BYTES = ${c.MAX_FRAME_BYTES}
MAX_DEPTH = ${c.MAX_DEPTH}

# Response etype of an RPC request (src/protocol/events.ts rpcResponseType).
RPC_RESPONSE_FORMAT = ${py(rpcFormat)}


def rpc_response_type(etype, uuid):
    return RPC_RESPONSE_FORMAT % (etype, uuid)
`;
}

/** Rewrites contract.py when it differs; returns whether it did. */
export async function writeContractPy() {
  const text = await contractPy();
  let old = "";
  try {
    old = readFileSync(CONTRACT_PY, "utf8");
  } catch {}
  if (old === text) return false;
  writeFileSync(CONTRACT_PY, text);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const fresh = (await contractPy()) === readFileSync(CONTRACT_PY, "utf8");
    if (!fresh) {
      console.error("python/scene_runner/contract.py is stale: run npm run build (or node scripts/gen-python-contract.mjs)");
      process.exit(1);
    }
  } else if (await writeContractPy()) console.log("gen-python-contract: wrote python/scene_runner/contract.py");
}
