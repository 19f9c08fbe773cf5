/**
 * The dtype names of typed arrays on every boundary (the runner pipe's, the Python side's,
 * JSON lines', the viewer's), with no Node Buffer: a browser page imports them too.
 * src/protocol/typed-arrays.ts re-exports them with the text form.
 */
import { type BinaryArray } from "./scene.js";
import { ProtocolError } from "./validate.js";

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
