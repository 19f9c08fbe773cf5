/**
 * The real host-side modules the benchmarks drive, bundled by bench/lib/build.mjs into
 * one CommonJS file: the supervisor that starts runners (startSession), the extension's
 * pure scene pipeline (coalescing + flow control), the coalescer, and the headless viewer.
 *
 * It also counts the bytes every runner started from here writes on its pipe (fd 3):
 * `child_process.spawn` is wrapped before the supervisor calls it.
 */
import type { ChildProcess } from "node:child_process";
import { ScenePipeline, type PipelineOptions } from "../../src/scene/pipeline.js";
import type { ViewerSessionInfo } from "../../src/protocol/viewer.js";

export { startSession } from "../../src/runner/supervisor.js";
export { ScenePipeline } from "../../src/scene/pipeline.js";
export { SceneCoalescer } from "../../src/scene/coalescer.js";
export { openHeadlessViewer, findChrome, chromeArgs, encodeForPage } from "../../src/viewer/headless.js";
export { viewerHtml } from "../../src/viewer/html.js";
export { encodeFrame } from "../../src/protocol/frames.js";

declare const require: (id: string) => { spawn: (...args: unknown[]) => ChildProcess };

/** Bytes received from runner pipes (fd 3) since the last reset, per child pid. */
export const pipeBytes = new Map<number, number>();

const cp = require("node:child_process");
const originalSpawn = cp.spawn;
cp.spawn = function countingSpawn(...args: unknown[]): ChildProcess {
  const child = originalSpawn.apply(this, args);
  const pipe = child.stdio?.[3] as NodeJS.ReadableStream | undefined;
  if (pipe) {
    child.once("spawn", () => pipeBytes.set(child.pid!, 0));
    pipe.on("data", (b: Buffer) => pipeBytes.set(child.pid!, (pipeBytes.get(child.pid!) ?? 0) + b.length));
  }
  return child;
};

/**
 * The scene pipeline (src/scene/pipeline.ts) with coalescing on (as shipped) or off (the
 * baseline: the same flow control, but every message queued and sent as is).
 */
export function makePipeline(session: ViewerSessionInfo, coalesce: boolean, options: PipelineOptions = {}): ScenePipeline {
  return new ScenePipeline(session, { ...options, coalesce });
}
