/**
 * Message descriptors: the contract is a table, one entry per message type, and each
 * direction's union type is derived from its table. A message cannot exist without its
 * validator, its one-line doc and its binary flag; receivers dispatch with exhaustive
 * switches (`assertNever`), so a new message without a handler does not compile either.
 * (The shape follows vscode-languageserver-node's typed message descriptors.)
 */
import type { OnDroppedNode } from "./scene.js";
import { fail } from "./validate.js";

export interface ValidateContext {
  /** Hears of each malformed node left out of a scene message (the rest of the message applies). */
  onDrop: OnDroppedNode;
}

export interface Descriptor<M> {
  /** One line: what the message is for. */
  doc: string;
  /** Whether it may carry typed arrays (the frame codec skips its replacer walk otherwise). */
  binary: boolean;
  /**
   * An order barrier: scene messages held back by flow control (folded while the pipe or the
   * viewer is behind) go out before it. A grabbed picture must show every upsert sent before
   * the request; the session's end must come after all of its scene.
   */
  barrier?: boolean;
  /** Checks a decoded message (an object whose tag is this entry's) and returns it typed. */
  validate(m: Record<string, unknown>, ctx: ValidateContext): M;
}

/** The message type a table describes, as a union. */
export type MessageOf<T> = { [K in keyof T]: T[K] extends Descriptor<infer M> ? M : never }[keyof T];

/**
 * A table whose every entry validates into a message tagged with the entry's own name
 * (`tag` is the discriminant: `etype` on the runner pipe, `t` toward the viewer).
 */
export type Table<Tag extends string, T> = { [K in keyof T]: Descriptor<{ [P in Tag]: K }> };

/** The table's entry for `tag`, if it is one of its own names (never `toString`, `__proto__`...). */
export function entryOf<T extends object>(table: T, tag: string): T[keyof T] | undefined {
  return Object.prototype.hasOwnProperty.call(table, tag) ? table[tag as keyof T] : undefined;
}

export function validateBy<T extends object>(table: T, tag: unknown, path: string, m: Record<string, unknown>, ctx: ValidateContext): MessageOf<T> {
  const d = typeof tag === "string" ? (entryOf(table, tag) as Descriptor<MessageOf<T>> | undefined) : undefined;
  if (!d) return fail(path, `one of ${Object.keys(table).join("|")}`, tag);
  return d.validate(m, ctx);
}

/** The end of an exhaustive switch: a message type without a case is a compile error here. */
export function assertNever(x: never, what = "message"): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
