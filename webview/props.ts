/**
 * Reading node props defensively. Every reader returns a usable value or
 * `undefined` and reports a bad value once through `warn`; nothing here throws,
 * so one bad prop never stops a node (or the viewer) from drawing.
 */
import { Color } from "three";

export type Warn = (prop: string, reason: string) => void;

export class Props {
  constructor(
    readonly key: string,
    readonly tag: string,
    readonly raw: Record<string, unknown>,
    readonly warn: Warn,
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  num(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v)) {
      this.warn(name, `expected a finite number, got ${describe(v)}`);
      return fallback;
    }
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      this.warn(name, `${v} is out of range [${opts.min ?? "-inf"}, ${opts.max ?? "inf"}]`);
      return Math.min(opts.max ?? v, Math.max(opts.min ?? v, v));
    }
    return v;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") {
      this.warn(name, `expected true or false, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  str(name: string, fallback?: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "string") {
      this.warn(name, `expected a string, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  /** A fixed-length list of finite numbers (plain array or typed array). */
  vec(name: string, length: number): number[] | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    return readVec(v, length, (reason) => this.warn(name, reason));
  }

  color(name: string): Color | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    const c = parseColor(v);
    if (!c) this.warn(name, `not a color: ${describe(v)}`);
    return c;
  }
}

export function readVec(v: unknown, length: number, bad: (reason: string) => void): number[] | undefined {
  const isList = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!isList) {
    bad(`expected ${length} numbers, got ${describe(v)}`);
    return undefined;
  }
  const list = v as ArrayLike<unknown>;
  if (list.length !== length) {
    bad(`expected ${length} numbers, got ${list.length}`);
    return undefined;
  }
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const x = list[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      bad(`element ${i} is ${describe(x)}, not a finite number`);
      return undefined;
    }
    out.push(x);
  }
  return out;
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNC = /^(rgb|rgba|hsl|hsla)\(\s*[-\d.%\s,/]+\)$/i;

/** CSS color string, 0xRRGGBB number, or [r, g, b] in 0..1. Returns undefined when invalid. */
export function parseColor(v: unknown): Color | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= 0xffffff ? new Color(v) : undefined;
  if (typeof v === "string") {
    const s = v.trim();
    if (HEX.test(s)) return new Color(s.length === 5 || s.length === 9 ? s.slice(0, s.length === 5 ? 4 : 7) : s);
    if (FUNC.test(s)) return new Color().setStyle(s);
    const named = (Color.NAMES as Record<string, number>)[s.toLowerCase()];
    return named === undefined ? undefined : new Color(named);
  }
  if (Array.isArray(v) && v.length >= 3 && v.slice(0, 3).every((x) => typeof x === "number" && Number.isFinite(x))) {
    const [r, g, b] = v as number[];
    const scale = r > 1 || g > 1 || b > 1 ? 1 / 255 : 1;
    return new Color().setRGB(r * scale, g * scale, b * scale);
  }
  return undefined;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v;
}
