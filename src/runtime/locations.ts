/**
 * Finding "the user's line": the innermost stack frame that is not the runtime
 * or Node itself, mapped through source maps to the file the user wrote.
 */
import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { ErrorInfo, SourceLocation } from "../protocol/tasks.js";
import { describeValue, safeGet, safeInstanceOf } from "./describe.js";

const internalFiles = new Set<string>([__filename]);

/** Files whose frames are never "the user's line" (the runtime bundle, the runner). */
export function markInternalFile(file: string): void {
  internalFiles.add(file);
  files.clear(); // what was decided about it (and its positions) before no longer holds
}

export function isInternalFile(file: string): boolean {
  return file.startsWith("node:") || internalFiles.has(file) || file.includes("/node_modules/scene-runner/") || file.includes("/src/runtime/");
}

const paths = new Map<string, string>();
function toPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  let p = paths.get(file);
  if (p === undefined) paths.set(file, (p = fileURLToPath(file)));
  return p;
}

/**
 * What is known of one generated file, by the name V8 reports for it: whether it is internal,
 * and its mapped positions. callerLocation runs for every task spawned (100,000 in a second),
 * so the per-task path is two map lookups, with no string built.
 */
interface FileInfo {
  internal: boolean;
  /** Mapped positions by line * 2^21 + column (a generated column past 2^21 gets no cache entry). */
  positions: Map<number, SourceLocation>;
  /** The same, by V8's source position (a character offset in the file): what a spawn looks up. */
  offsets: Map<number, SourceLocation>;
}
const files = new Map<string, FileInfo>();
const MAX_CACHED_COLUMN = 1 << 21;

function fileInfo(file: string): FileInfo {
  let info = files.get(file);
  if (!info) files.set(file, (info = { internal: isInternalFile(toPath(file)), positions: new Map(), offsets: new Map() }));
  return info;
}

/** Maps a generated position through the file's source map, when it has one (cached per position). */
export function mapLocation(file: string, line: number, column: number): SourceLocation {
  const cache = fileInfo(file).positions;
  const id = column < MAX_CACHED_COLUMN ? line * MAX_CACHED_COLUMN + column : -1;
  let loc = cache.get(id);
  if (!loc) {
    loc = { file: toPath(file), line, column };
    try {
      const entry = findSourceMap(toPath(file))?.findEntry(line - 1, column - 1) as
        | { originalSource?: string; originalLine?: number; originalColumn?: number }
        | undefined;
      if (entry && entry.originalSource) {
        loc = { file: toPath(entry.originalSource), line: (entry.originalLine ?? 0) + 1, column: (entry.originalColumn ?? 0) + 1 };
      }
    } catch {
      // No source map support for this file: keep the generated position.
    }
    if (id >= 0) cache.set(id, loc);
  }
  return loc;
}

/**
 * Where the caller of `below` is in the user's code, from a structured stack
 * capture. Most tasks are spawned straight from user code, so one frame is
 * tried first (cheap: this runs for every task); deeper only when needed.
 */
export function callerLocation(below: Function): SourceLocation | undefined {
  return userFrame(below, 1) ?? userFrame(below, 12);
}

/** One shared function: the call sites themselves are the "stack" (no closure per capture). */
const keepSites = (_e: Error, sites: NodeJS.CallSite[]) => sites;

/**
 * What `Error.captureStackTrace(holder, below)` with `Error.stackTraceLimit = 1`, done by `below`
 * itself (Session.spawnTask), caught: the location of that one frame if it is the user's, else
 * a deeper search below `below` (spawnTask called from inside the runtime: gather, task groups).
 * The capture is left to the caller because V8's stack walk costs per frame it passes, even a
 * skipped one: capturing in spawnTask rather than three calls further in saves ~0.6 µs a task
 * (100,000 tasks in a loop, Node 20). The structured frames are made here, when `stack` is
 * first read (V8 formats a captured stack lazily, with the prepareStackTrace set at that moment).
 */
export function capturedLocation(holder: { stack?: unknown }, below: Function): SourceLocation | undefined {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = keepSites;
  const sites = holder.stack as NodeJS.CallSite[] | undefined;
  Error.prepareStackTrace = prepare;
  const site = sites?.[0];
  const file = site?.getFileName();
  if (!file) return userFrame(below, 12);
  const info = fileInfo(file);
  if (info.internal) return userFrame(below, 12);
  // Looked up by source position: getPosition is ~50 ns where getLineNumber + getColumnNumber
  // are ~280 (V8 searches the file's line ends for them); those are asked only the first time.
  const offset = (site as unknown as { getPosition(): number }).getPosition();
  let loc = info.offsets.get(offset);
  if (!loc) info.offsets.set(offset, (loc = mapLocation(file, site!.getLineNumber() ?? 0, site!.getColumnNumber() ?? 0)));
  return loc;
}

function userFrame(below: Function, depth: number): SourceLocation | undefined {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth;
  Error.prepareStackTrace = keepSites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, below);
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  for (const site of sites) {
    const file = site.getFileName();
    if (!file || fileInfo(file).internal) continue;
    return mapLocation(file, site.getLineNumber() ?? 0, site.getColumnNumber() ?? 0);
  }
  return undefined;
}

const FRAME = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^():]+(?:\.[A-Za-z0-9]+)?):(\d+):(\d+)\)?$/;

/** The first user frame of an already formatted (and source-mapped) stack. */
export function locationInStack(stack: string | undefined): SourceLocation | undefined {
  if (!stack) return undefined;
  for (const raw of stack.split("\n").slice(1)) {
    if (raw.includes("(node:")) continue; // Node's own frame: "node:internal/x:1:2" would pass for a path
    const m = FRAME.exec(raw.trim());
    if (!m) continue;
    const file = toPath(m[1]);
    if (isInternalFile(file)) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/**
 * A stack as the user should read it: the message, then only their own frames (the runtime's
 * and Node's internals say nothing about their program). SCENE_RUNNER_DEBUG=1 keeps them all.
 */
export function userStack(stack: string): string {
  if (process.env.SCENE_RUNNER_DEBUG) return stack;
  const lines = stack.split("\n");
  const kept = lines.filter((line) => {
    const t = line.trim();
    if (!t.startsWith("at ")) return true;
    if (/\(node:|^at node:/.test(t)) return false; // Node's own (its paths would pass for absolute ones)
    const m = FRAME.exec(t);
    return !m || !isInternalFile(toPath(m[1]));
  });
  return kept.join("\n");
}

/** What the host is told about a failure; total: any thrown value gets a readable description. */
export function errorInfo(error: unknown): ErrorInfo {
  try {
    if (safeInstanceOf(error, Error)) return errorObjectInfo(error as Error);
  } catch {
    // An Error whose own properties misbehave: described as a value below.
  }
  return { name: "Error", message: `a non-Error value was thrown: ${describeValue(error)}` };
}

function text(value: unknown, fallback: string): string {
  if (typeof value === "string") return value;
  return value === undefined ? fallback : describeValue(value);
}

function errorObjectInfo(error: Error): ErrorInfo {
  const name = text(safeGet(error, "name"), "Error");
  const message = text(safeGet(error, "message"), "");
  const stack = safeGet(error, "stack");
  const info: ErrorInfo = { name, message };
  if (typeof stack === "string") info.stack = userStack(stack);
  if (safeInstanceOf(error, AggregateError)) {
    const errors = safeGet(error, "errors");
    const list: unknown[] = Array.isArray(errors) ? errors : [];
    const one = (e: unknown) => (safeInstanceOf(e, Error) ? `${text(safeGet(e, "name"), "Error")}: ${text(safeGet(e, "message"), "")}` : describeValue(e));
    info.message = `${message}: ${list.map(one).join("; ")}`;
    const inner = list.find((e) => safeInstanceOf(e, Error));
    const innerStack = safeGet(inner, "stack");
    const loc = locationInStack(typeof innerStack === "string" ? innerStack : undefined) ?? locationInStack(info.stack);
    if (loc) info.location = loc;
    return info;
  }
  const loc = locationInStack(info.stack);
  if (loc) info.location = loc;
  return info;
}
