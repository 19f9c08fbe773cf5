/**
 * Binary arrays as they arrive: typed arrays go straight into BufferAttributes
 * (no copy into JS number lists). vuer's conventions are understood too:
 * float16 vertices (Uint16Array bits, or raw bytes in a Uint8Array) and uint32
 * faces sent as raw bytes.
 */
import { BufferAttribute, Float16BufferAttribute } from "three";
import type { Props } from "../props.js";
import { describe } from "../props.js";

type Typed = Float32Array | Float64Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;
/** Native half floats (Chrome 135+); not in TypeScript's ES2022 lib. */
const Float16: (abstract new (...a: never[]) => ArrayBufferView & { length: number }) | undefined = (globalThis as { Float16Array?: never }).Float16Array;

function isTyped(v: unknown): v is Typed {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** Plain (possibly nested) number lists are accepted too: flattened into a Float32Array. */
function fromList(v: unknown[]): Float32Array | undefined {
  const flat = (v as unknown[]).flat(2) as unknown[];
  if (!flat.every((x) => typeof x === "number")) return undefined;
  return Float32Array.from(flat as number[]);
}

/** A numeric array prop whose length is a multiple of `itemSize` (and `count` items when given). */
export function numberArray(p: Props, name: string, itemSize: number, count?: number): ArrayLike<number> & { length: number } | undefined {
  const v = p.raw[name];
  if (v === undefined || v === null) return undefined;
  let arr: ArrayLike<number> | undefined;
  if (isTyped(v)) arr = v as unknown as ArrayLike<number>;
  else if (Array.isArray(v)) arr = fromList(v);
  if (!arr) {
    p.warn(name, `expected a typed array or a list of numbers, got ${describe(v)}`);
    return undefined;
  }
  if (arr.length % itemSize !== 0) {
    p.warn(name, `length ${arr.length} is not a multiple of ${itemSize}`);
    return undefined;
  }
  if (count !== undefined && arr.length / itemSize !== count) {
    p.warn(name, `has ${arr.length / itemSize} items, expected ${count}`);
    return undefined;
  }
  return arr;
}

function halfAttribute(bits: Uint16Array, itemSize: number): BufferAttribute {
  // Float16BufferAttribute's constructor copies; adopt the array instead.
  const a = new Float16BufferAttribute(new Uint16Array(0), itemSize);
  a.array = bits;
  (a as { count: number }).count = bits.length / itemSize;
  return a;
}

function aligned(bytes: Uint8Array, size: number): ArrayBuffer {
  if (bytes.byteOffset % size === 0) return bytes.buffer as ArrayBuffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** Positions (itemSize 3): Float32 as is; Float16 (bits or bytes) as half floats; Float64 converted. */
export function vertexAttribute(p: Props, name: string): { attr: BufferAttribute; finite: boolean } | undefined {
  const v = p.raw[name];
  if (v === undefined || v === null) return undefined;
  let attr: BufferAttribute | undefined;
  if (v instanceof Float32Array) attr = new BufferAttribute(v, 3);
  else if (v instanceof Float64Array) attr = new BufferAttribute(new Float32Array(v), 3);
  else if (v instanceof Uint16Array) attr = halfAttribute(v, 3);
  else if (Float16 && v instanceof Float16) attr = halfAttribute(new Uint16Array(v.buffer, v.byteOffset, v.length), 3);
  else if (v instanceof Uint8Array && v.byteLength % 2 === 0) {
    const bytes = aligned(v, 2);
    const offset = bytes === v.buffer ? v.byteOffset : 0;
    attr = halfAttribute(new Uint16Array(bytes, offset, v.byteLength / 2), 3);
  } else if (Array.isArray(v)) {
    const f = fromList(v);
    if (f) attr = new BufferAttribute(f, 3);
  }
  if (!attr) {
    p.warn(name, `expected a Float32Array (or float16 bits), got ${describe(v)}`);
    return undefined;
  }
  if (attr.array.length % 3 !== 0) {
    p.warn(name, `length ${attr.array.length} is not a multiple of 3`);
    return undefined;
  }
  let finite = true;
  if (attr.array instanceof Float32Array) {
    const a = attr.array;
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        finite = false;
        p.warn(name, `contains NaN or Infinity (first at index ${i}); those vertices are not drawn`);
        break;
      }
    }
  }
  return { attr, finite };
}

/** Colors per vertex: Uint8 (0..255, normalized on the GPU) or floats 0..1; RGB or RGBA. */
export function colorAttribute(p: Props, name: string, count: number): BufferAttribute | undefined {
  const v = p.raw[name];
  if (v === undefined || v === null) return undefined;
  let arr: Typed | undefined;
  if (v instanceof Uint8Array || v instanceof Uint8ClampedArray || v instanceof Float32Array) arr = v;
  else if (v instanceof Float64Array) arr = new Float32Array(v);
  else if (Array.isArray(v)) arr = fromList(v);
  if (!arr) {
    p.warn(name, `expected a Uint8Array or Float32Array of colors, got ${describe(v)}`);
    return undefined;
  }
  const itemSize = arr.length === count * 3 ? 3 : arr.length === count * 4 ? 4 : 0;
  if (!itemSize) {
    p.warn(name, `has ${arr.length} values for ${count} vertices (expected ${count * 3} or ${count * 4})`);
    return undefined;
  }
  const normalized = !(arr instanceof Float32Array);
  return new BufferAttribute(arr as unknown as Float32Array, itemSize, normalized);
}

/** Triangle indices: Uint32/Uint16 as is; Int32 viewed as Uint32; raw bytes viewed as uint32 (vuer). */
export function indexAttribute(p: Props, name: string, vertexCount: number): BufferAttribute | undefined {
  const v = p.raw[name];
  if (v === undefined || v === null) return undefined;
  let arr: Uint32Array | Uint16Array | undefined;
  if (v instanceof Uint32Array || v instanceof Uint16Array) arr = v;
  else if (v instanceof Int32Array) arr = new Uint32Array(v.buffer, v.byteOffset, v.length);
  else if (v instanceof Uint8Array && v.byteLength % 4 === 0) {
    const buf = aligned(v, 4);
    arr = new Uint32Array(buf, buf === v.buffer ? v.byteOffset : 0, v.byteLength / 4);
  } else if (Array.isArray(v)) {
    const flat = (v as unknown[]).flat(2);
    if (flat.every((x) => Number.isInteger(x) && (x as number) >= 0)) arr = Uint32Array.from(flat as number[]);
  }
  if (!arr) {
    p.warn(name, `expected a Uint32Array of vertex indices, got ${describe(v)}`);
    return undefined;
  }
  if (arr.length % 3 !== 0) {
    p.warn(name, `length ${arr.length} is not a multiple of 3`);
    return undefined;
  }
  for (let i = 0; i < arr.length; i++) {
    if (arr[i] >= vertexCount) {
      p.warn(name, `index ${arr[i]} at ${i} is past the ${vertexCount} vertices`);
      return undefined;
    }
  }
  return new BufferAttribute(arr, 1);
}
