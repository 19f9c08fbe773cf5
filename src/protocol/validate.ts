/**
 * Small, dependency-free validation helpers used at every edge where a message
 * enters a process (runner pipe, webview postMessage, JSON lines). A failed check
 * throws ProtocolError with a one-line reason naming the path of the bad field,
 * so the receiver can report it and keep going.
 */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

export function fail(path: string, expected: string, got: unknown): never {
  throw new ProtocolError(`${path}: expected ${expected}, got ${describe(got)}`);
}

export function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `array(${x.length})`;
  if (ArrayBuffer.isView(x)) return x.constructor.name;
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? x.slice(0, 40) + "…" : x);
  if (typeof x === "number" || typeof x === "boolean") return String(x);
  return typeof x;
}

export function record(x: unknown, path: string): Record<string, unknown> {
  if (!isRecord(x)) fail(path, "an object", x);
  return x;
}

export function str(x: unknown, path: string): string {
  if (typeof x !== "string") fail(path, "a string", x);
  return x;
}

export function optStr(x: unknown, path: string): string | undefined {
  return x === undefined ? undefined : str(x, path);
}

export function num(x: unknown, path: string): number {
  if (typeof x !== "number" || !Number.isFinite(x)) fail(path, "a finite number", x);
  return x;
}

export function optNum(x: unknown, path: string): number | undefined {
  return x === undefined ? undefined : num(x, path);
}

export function arr(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) fail(path, "an array", x);
  return x;
}

export function oneOf<T extends string>(x: unknown, allowed: readonly T[], path: string): T {
  if (typeof x !== "string" || !(allowed as readonly string[]).includes(x)) {
    fail(path, `one of ${allowed.join("|")}`, x);
  }
  return x as T;
}

