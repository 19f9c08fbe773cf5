/**
 * Coalesces scene messages on their way to a viewer that draws at its own pace.
 *
 * Rules (the contract the extension host promises its viewer):
 *  - a newer UPSERT/UPDATE of a node's props is merged into an older one for the
 *    same key that has not been sent yet, as long as no structural message
 *    (SET, ADD, REMOVE) was queued between them;
 *  - SET, ADD and REMOVE are never dropped or reordered;
 *  - when the queue grows past `maxPending` entries (a program adding nodes
 *    faster than the viewer drains them), the queue is replaced by one SET of
 *    the authoritative scene: memory stays bounded and the viewer loses nothing.
 */
import type { SceneMessage, SceneNode, Target } from "../protocol/scene.js";

type PropEntry = { etype: "UPSERT" | "UPDATE"; to: Target; node: Partial<SceneNode> & { key: string }; ts: number };
type Entry = PropEntry | { etype: "STRUCT"; message: SceneMessage };

export interface CoalescerStats {
  received: number;
  merged: number;
  pendingEntries: number;
  maxPendingEntries: number;
  snapshots: number;
}

export class SceneCoalescer {
  private entries: Entry[] = [];
  /** key → index of its mergeable entry, valid since the last structural message. */
  private mergeable = new Map<string, number>();
  readonly stats: CoalescerStats = { received: 0, merged: 0, pendingEntries: 0, maxPendingEntries: 0, snapshots: 0 };

  constructor(
    /** Called when the queue overflows: the full current scene, to send as one SET. */
    private readonly snapshot: () => SceneNode,
    private readonly maxPending = 20_000,
    /** With false, every message is queued as is (a pipeline with `coalesce: false`). */
    private readonly enabled = true,
  ) {}

  get pending(): number {
    return this.entries.length;
  }

  push(message: SceneMessage): void {
    this.stats.received++;
    if (!this.enabled) {
      this.entries.push({ etype: "STRUCT", message });
    } else if (message.etype === "UPSERT" || message.etype === "UPDATE") {
      for (const node of message.data.nodes) this.pushProps(message.etype, message.etype === "UPSERT" ? message.data.to : null, node, message.ts);
    } else {
      if (message.etype === "SET") {
        // A SET makes everything queued before it irrelevant.
        this.entries = [];
      }
      this.entries.push({ etype: "STRUCT", message });
      this.mergeable.clear();
    }
    if (this.enabled && this.entries.length > this.maxPending) {
      this.entries = [{ etype: "STRUCT", message: { etype: "SET", ts: message.ts, data: this.snapshot() } }];
      this.mergeable.clear();
      this.stats.snapshots++;
    }
    this.stats.pendingEntries = this.entries.length;
    this.stats.maxPendingEntries = Math.max(this.stats.maxPendingEntries, this.entries.length);
  }

  private pushProps(etype: "UPSERT" | "UPDATE", to: Target, node: Partial<SceneNode> & { key: string }, ts: number): void {
    const at = this.mergeable.get(node.key);
    const prev = at === undefined ? undefined : (this.entries[at] as PropEntry);
    // An UPDATE folds into a pending UPSERT (which creates or merges); an UPSERT cannot fold into an UPDATE.
    if (prev && (prev.etype === "UPSERT" || etype === "UPDATE") && (etype === "UPDATE" || prev.to === to)) {
      prev.node = { ...prev.node, ...node };
      prev.ts = ts;
      this.stats.merged++;
      return;
    }
    this.mergeable.set(node.key, this.entries.length);
    this.entries.push({ etype, to, node: { ...node }, ts });
  }

  /**
   * Takes what is pending (all of it, or the first entries up to `maxNodes` node updates; at
   * least one entry) as messages in order, regrouping runs of prop entries. What stays keeps
   * merging as before.
   */
  drain(maxNodes = Infinity): SceneMessage[] {
    const out: SceneMessage[] = [];
    let count = 0;
    let cost = 0;
    while (count < this.entries.length && (count === 0 || cost + entryCost(this.entries[count]) <= maxNodes)) cost += entryCost(this.entries[count++]);
    const taken = count === this.entries.length ? this.entries : this.entries.slice(0, count);
    for (const e of taken) {
      if (e.etype === "STRUCT") {
        out.push(e.message);
        continue;
      }
      const last = out[out.length - 1];
      if (last && last.etype === e.etype && (e.etype === "UPDATE" || (last.etype === "UPSERT" && last.data.to === e.to))) {
        (last.data.nodes as Array<Partial<SceneNode>>).push(e.node);
        last.ts = Math.max(last.ts, e.ts);
      } else if (e.etype === "UPSERT") {
        out.push({ etype: "UPSERT", ts: e.ts, data: { nodes: [e.node as SceneNode], to: e.to } });
      } else {
        out.push({ etype: "UPDATE", ts: e.ts, data: { nodes: [e.node] } });
      }
    }
    this.entries = taken === this.entries ? [] : this.entries.slice(taken.length);
    this.remapMergeable();
    this.stats.pendingEntries = this.entries.length;
    return out;
  }

  /** Which pending prop entries later updates may fold into: those after the last structural one. */
  private remapMergeable(): void {
    this.mergeable.clear();
    this.entries.forEach((e, i) => {
      if (e.etype === "STRUCT") this.mergeable.clear();
      else this.mergeable.set(e.node.key, i);
    });
  }
}

/** Node updates an entry stands for: one for merged props, every node (or key) of a message kept whole. */
function entryCost(e: Entry): number {
  if (e.etype !== "STRUCT") return 1;
  const m = e.message;
  if (m.etype === "SET") return 1;
  if (m.etype === "REMOVE") return Math.max(1, m.data.keys.length);
  return Math.max(1, m.data.nodes.length);
}
