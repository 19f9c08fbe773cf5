/**
 * Typed arrays across every boundary, defined once: the dtype names (the runner pipe's, the
 * Python side's, JSON lines', the headless page bridge's) and the text form used where bytes
 * must travel as text (`scene-runner run --events` JSON lines, the saved scenes of viewer
 * panels, the headless viewer's page bridge): `{"$typed":"float32","base64":"..."}`. The runner
 * pipe carries the bytes themselves (`frames.ts`), under the same dtype names.
 */
import { isBinaryArray, type BinaryArray } from "./scene.js";
import { ProtocolError, isRecord } from "./validate.js";

export const DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
} as const;
export type Dtype = keyof typeof DTYPES;

/** Whether `name` is one of our dtypes (own names only: never `toString` or `__proto__`). */
export function isDtype(name: unknown): name is Dtype {
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(DTYPES, name);
}

export function dtypeOf(a: BinaryArray): Dtype {
  // A clamped byte array is bytes to every receiver (the viewer reads pixels from it).
  if (a instanceof Uint8ClampedArray) return "uint8";
  for (const [name, ctor] of Object.entries(DTYPES)) if (a instanceof ctor) return name as Dtype;
  throw new ProtocolError(`unsupported typed array ${a.constructor.name}`);
}

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
