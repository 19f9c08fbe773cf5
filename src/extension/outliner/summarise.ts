/** Props as the Scene view's tooltips show them: short, whatever their size (pure, no vscode). */

/** A prop in a few characters: numbers rounded, long arrays and typed arrays by kind and length. */
export function summarise(v: unknown, depth = 0): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (v === null || typeof v !== "object") return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as { length?: number }).length ?? v.byteLength})`;
  if (Array.isArray(v)) return v.length <= 6 && depth < 2 ? `[${v.map((x) => summarise(x, depth + 1)).join(", ")}]` : `array(${v.length})`;
  if (depth >= 1) return "{…}";
  const keys = Object.keys(v);
  return `{ ${keys.slice(0, 4).map((k) => `${k}: ${summarise((v as Record<string, unknown>)[k], depth + 1)}`).join(", ")}${keys.length > 4 ? ", …" : ""} }`;
}

