/**
 * Describing any thrown value in words. JavaScript can throw anything: null,
 * an object with no prototype, a revoked Proxy, an object whose toString
 * throws. The runtime must report each of them, so nothing here may throw.
 */
import { inspect } from "node:util";

/** `value instanceof ctor`, false where even asking throws (a revoked Proxy). */
export function safeInstanceOf(value: unknown, ctor: Function): boolean {
  try {
    return value instanceof ctor;
  } catch {
    return false;
  }
}

/** A one-line description of any value, as Node's console would show it. */
export function describeValue(value: unknown): string {
  try {
    // inspect never calls toString or getters, and shows a revoked Proxy as <Revoked Proxy>.
    return inspect(value, { depth: 2, breakLength: Infinity });
  } catch {
    // fall through
  }
  try {
    return String(value);
  } catch {
    return `<a ${typeof value} that cannot be described>`;
  }
}

/** A property read that cannot throw (a getter that throws, a Proxy trap). */
export function safeGet(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
