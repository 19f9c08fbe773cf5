/**
 * JSON-lines form of protocol messages, for `scene-runner run --events` and saved scenes:
 * one message per line, typed arrays in their text form (`typed-arrays.ts`), so the line is
 * still exactly what the program produced, and can be read back.
 */
import { isBinaryArray } from "./scene.js";
import { typedFromText, typedToText } from "./typed-arrays.js";

export function toJsonLine(message: unknown): string {
  return JSON.stringify(message, (_k, v) => (isBinaryArray(v) ? typedToText(v) : v));
}

export function fromJsonLine(line: string): unknown {
  return JSON.parse(line, (_k, v) => typedFromText(v) ?? v);
}
