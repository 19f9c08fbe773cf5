/**
 * vuer's wire format: one binary WebSocket frame per event, MessagePack both ways.
 *
 * Down (server → client) an envelope `{etype, ts, data, ...}`: vuer's server packs with
 * `use_single_float` (every float is a float32 on the wire), `ts` as integer milliseconds
 * (a uint64 once it passes 2^32), and bytes as msgpack `bin` (point clouds, meshes, images).
 * Up (client → server) `{etype, ts, key?, value?}`.
 */
import { decode, Encoder } from "@msgpack/msgpack";

/** A frame that is not a vuer envelope: one line for the log; the connection goes on. */
export class WireError extends Error {
  override name = "WireError";
}

/** An event as it crosses the socket (either way): the envelope's fields, unvalidated beyond etype. */
export interface WireEnvelope {
  etype: string;
  ts?: number;
  [field: string]: unknown;
}

// `undefined` is left out, not packed: msgpackr's packing of undefined reaches Python as
// `ExtType(0, b"\x00")` (vuer issue #45), a value no handler expects.
const encoder = new Encoder({ ignoreUndefined: true });

export function encodeEnvelope(event: WireEnvelope): Uint8Array {
  return encoder.encode(event);
}

/**
 * Decodes one frame. Binary fields are copied out of the frame: the decoder returns views
 * into the frame's buffer (often a slice of a pooled socket buffer), and a view that is
 * posted on to a viewer would carry, or pin, the whole buffer.
 */
export function decodeEnvelope(frame: Uint8Array): WireEnvelope {
  let x: unknown;
  try {
    x = decode(frame);
  } catch (e) {
    throw new WireError(`a ${frame.byteLength}-byte frame is not MessagePack (${(e as Error).message})`);
  }
  if (x === null || typeof x !== "object" || Array.isArray(x) || ArrayBuffer.isView(x)) throw new WireError(`a frame holds ${describe(x)}, not a vuer envelope {etype, ts, data}`);
  const m = x as Record<string, unknown>;
  if (typeof m.etype !== "string") throw new WireError(`a frame's envelope has no etype (keys: ${Object.keys(m).join(", ") || "none"})`);
  return ownBinaries(m) as WireEnvelope;
}

function ownBinaries(x: unknown): unknown {
  if (x instanceof Uint8Array) return x.slice();
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (x[i] !== null && typeof x[i] === "object") x[i] = ownBinaries(x[i]);
    return x;
  }
  if (x !== null && typeof x === "object" && !(x instanceof Date)) {
    const r = x as Record<string, unknown>;
    for (const k of Object.keys(r)) if (r[k] !== null && typeof r[k] === "object") r[k] = ownBinaries(r[k]);
  }
  return x;
}

function describe(x: unknown): string {
  if (x === null) return "nil";
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (ArrayBuffer.isView(x)) return `${x.byteLength} raw bytes`;
  return `a ${typeof x}`;
}
