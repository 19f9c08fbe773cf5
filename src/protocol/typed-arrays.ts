/**
 * Typed arrays across every boundary, defined once: the dtype names (the runner pipe's, the
 * Python side's, JSON lines', the headless page bridge's) and the text form used where bytes
 * must travel as text (`scene-runner run --events` JSON lines, the saved scenes of viewer
 * panels, the headless viewer's page bridge): `{"$typed":"float32","base64":"..."}`. The runner
 * pipe carries the bytes themselves (`frames.ts`), under the same dtype names.
 */
import { DTYPES, dtypeOf, isDtype, type Dtype } from "./dtypes.js";
import { isBinaryArray, type BinaryArray } from "./scene.js";
import { ProtocolError, isRecord } from "./validate.js";

export { DTYPES, isDtype, dtypeOf, type Dtype } from "./dtypes.js";

/** A typed array over a copy of `bytes` (aligned for its element size). */
export function typedFromBytes(dtype: Dtype, bytes: Uint8Array): BinaryArray {
  const ctor = DTYPES[dtype];
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT) throw new ProtocolError(`${bytes.byteLength} bytes are not a whole number of ${dtype} values`);
  const copy = new Uint8Array(bytes).buffer;
  return new ctor(copy, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
}

export interface TypedText {
  $typed: Dtype;
  base64: string;
}

export function typedToText(a: BinaryArray): TypedText {
  return { $typed: dtypeOf(a), base64: Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64") };
}

/** The typed array a text form stands for; undefined for anything that is not one. */
export function typedFromText(x: unknown): BinaryArray | undefined {
  if (!isRecord(x) || typeof x.base64 !== "string" || x.$typed === undefined) return undefined;
  if (!isDtype(x.$typed)) throw new ProtocolError(`unknown dtype ${JSON.stringify(x.$typed)}`);
  return typedFromBytes(x.$typed, Buffer.from(x.base64, "base64"));
}

/** `x` with every typed array inside replaced by its text form (a copy; `x` is untouched). */
export function typedArraysToText(x: unknown): unknown {
  if (isBinaryArray(x)) return typedToText(x);
  if (Array.isArray(x)) return x.map(typedArraysToText);
  if (isRecord(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = typedArraysToText(v);
    return out;
  }
  return x;
}

/** The inverse of typedArraysToText. */
export function typedArraysFromText(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(typedArraysFromText);
  if (isRecord(x)) {
    const typed = typedFromText(x);
    if (typed) return typed;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = typedArraysFromText(v);
    return out;
  }
  return x;
}
