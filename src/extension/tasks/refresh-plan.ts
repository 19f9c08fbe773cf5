/**
 * Which rows to hand VS Code for a redraw. Redrawing a row redraws what is below
 * it, so a row is dropped when a row above it is redrawn anyway; what is left is
 * the fewest, lowest rows that cover every change. Pure, for the tests.
 */
export interface DirtyRow<T> {
  readonly node: T;
  /** Ids of the rows above this one, nearest first. */
  readonly ancestors: readonly string[];
}

export function outermostRows<T>(dirty: ReadonlyMap<string, DirtyRow<T>>): T[] {
  const out: T[] = [];
  for (const row of dirty.values()) {
    if (!row.ancestors.some((id) => dirty.has(id))) out.push(row.node);
  }
  return out;
}
