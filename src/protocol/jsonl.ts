/**
 * JSON-lines form of protocol messages, for `scene-runner run --events`: one
 * message per line. Typed arrays become `{"$typed":"float32","base64":"..."}`
 * so the line is still exactly what the program produced, and can be read back.
 */
import { dtypeOf, DTYPES, type Dtype } from "./frames.js";
import { isBinaryArray } from "./scene.js";
import { isRecord } from "./validate.js";

export function toJsonLine(message: unknown): string {
  return JSON.stringify(message, (_k, v) => {
    if (isBinaryArray(v)) {
      return { $typed: dtypeOf(v), base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
    }
    return v;
  });
}

export function fromJsonLine(line: string): unknown {
  return JSON.parse(line, (_k, v) => {
    if (isRecord(v) && typeof v.$typed === "string" && typeof v.base64 === "string") {
      const bytes = Buffer.from(v.base64, "base64");
      const ctor = DTYPES[v.$typed as Dtype];
      const copy = new Uint8Array(bytes).buffer; // aligned
      return new ctor(copy, 0, bytes.length / ctor.BYTES_PER_ELEMENT);
    }
    return v;
  });
}
