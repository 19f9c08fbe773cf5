/**
 * The scene as a keyed store with vuer's semantics, defined once and used by the
 * extension host (the authority it re-sends on reload) and by the viewer (the
 * model its three.js objects mirror). Pure: no DOM, no three, no vscode.
 *
 *  SET     replaces the scene.
 *  UPSERT  merges props shallowly into the node with that key, or creates it under `to`.
 *  ADD     creates nodes under `to` (an existing key is replaced in place).
 *  UPDATE  merges props into existing nodes only; a missing key is a warning.
 *  REMOVE  deletes nodes and their subtrees.
 *
 * `apply` returns the changes it made, so a renderer can mirror them precisely.
 */
import { SCENE_ROOT_LISTS as ROOT_LISTS, type SceneMessage, type SceneNode } from "../protocol/scene.js";

export interface StoredNode {
  key: string;
  tag: string;
  /** Props without `tag`, `key` or any child list. */
  props: Record<string, unknown>;
  parent: string | null;
  /** Which list of the parent holds this node. */
  list: string;
  lists: Record<string, string[]>;
}

export type SceneChange =
  | { op: "reset" }
  | { op: "create"; key: string }
  | { op: "update"; key: string; props: string[] }
  | { op: "remove"; key: string };

export interface ApplyResult {
  changes: SceneChange[];
  warnings: string[];
}

const CHILD_LIST_PROPS = new Set<string>(ROOT_LISTS);

/** An exact place for a node: its parent's key and which of the parent's lists. */
type Place = { parent: string; list: string };

export class SceneStore {
  private nodes = new Map<string, StoredNode>();
  private rootKey = "scene";

  constructor() {
    this.resetRoot({ tag: "Scene", key: "scene" });
  }

  get size(): number {
    return this.nodes.size - 1; // the root is not counted
  }

  get root(): StoredNode {
    return this.nodes.get(this.rootKey)!;
  }

  get(key: string): StoredNode | undefined {
    return this.nodes.get(key);
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  /** Nodes in creation order of a depth-first walk from the root (parents before children). */
  *walk(from: string = this.rootKey): Generator<StoredNode> {
    // Iterative: a chain of nodes built up over many messages can be deeper than the stack.
    const stack = [from];
    while (stack.length) {
      const n = this.nodes.get(stack.pop()!);
      if (!n) continue;
      yield n;
      const kids: string[] = [];
      for (const list of Object.values(n.lists)) for (const k of list) kids.push(k);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }

  apply(message: SceneMessage): ApplyResult {
    const out: ApplyResult = { changes: [], warnings: [] };
    switch (message.etype) {
      case "SET": {
        const clash = nestedKeyClash(message.data);
        if (clash) out.warnings.push(`SET: ${clash}; message ignored`);
        else this.resetRoot(message.data, out);
        break;
      }
      case "UPSERT":
        for (const node of message.data.nodes) {
          const clash = nestedKeyClash(node);
          if (clash) out.warnings.push(`UPSERT: ${clash}; node ignored`);
          else if (this.nodes.has(node.key)) this.merge(node, out);
          else this.insert(node, message.data.to, out);
        }
        break;
      case "ADD":
        for (const node of message.data.nodes) {
          const clash = nestedKeyClash(node);
          if (clash) out.warnings.push(`ADD: ${clash}; node ignored`);
          else if (node.key === this.rootKey) out.warnings.push(`ADD: "${node.key}" is the scene root's key (use SET or UPSERT)`);
          else {
            if (this.nodes.has(node.key)) this.removeSubtree(node.key, out);
            this.insert(node, message.data.to, out);
          }
        }
        break;
      case "UPDATE":
        for (const node of message.data.nodes) {
          const clash = nestedKeyClash(node as SceneNode);
          if (clash) out.warnings.push(`UPDATE: ${clash}; node ignored`);
          else if (this.nodes.has(node.key)) this.merge(node, out);
          else out.warnings.push(`UPDATE: no node with key "${node.key}"`);
        }
        break;
      case "REMOVE":
        for (const key of message.data.keys) {
          if (key === this.rootKey) out.warnings.push(`REMOVE: the scene root "${key}" cannot be removed (use SET)`);
          else if (this.nodes.has(key)) this.removeSubtree(key, out);
          else out.warnings.push(`REMOVE: no node with key "${key}"`);
        }
        break;
    }
    return out;
  }

  /** The scene as one vuer `Scene` node tree: what SET would need to rebuild it. */
  snapshot(): SceneNode {
    return this.toNode(this.rootKey);
  }

  toNode(key: string): SceneNode {
    // Iterative, for the same reason as walk().
    const build = (n: StoredNode): SceneNode => ({ tag: n.tag, key: n.key, ...n.props });
    const first = this.nodes.get(key)!;
    const top = build(first);
    const stack: Array<[StoredNode, SceneNode]> = [[first, top]];
    while (stack.length) {
      const [n, out] = stack.pop()!;
      for (const [list, keys] of Object.entries(n.lists)) {
        if (!keys.length && list !== "children") continue;
        out[list] = keys.map((k) => {
          const child = this.nodes.get(k)!;
          const built = build(child);
          stack.push([child, built]);
          return built;
        });
      }
    }
    return top;
  }

  private resetRoot(root: SceneNode, out?: ApplyResult): void {
    this.nodes.clear();
    this.rootKey = root.key;
    const { props } = splitNode(root);
    const stored: StoredNode = { key: root.key, tag: root.tag, props, parent: null, list: "children", lists: { children: [] } };
    this.nodes.set(root.key, stored);
    out?.changes.push({ op: "reset" });
    for (const list of ROOT_LISTS) {
      const kids = root[list];
      if (Array.isArray(kids)) for (const kid of kids as SceneNode[]) this.insert(kid, { parent: root.key, list }, out);
    }
  }

  /** `to`: null or "children" = root children; a root list name; or a parent key. */
  private resolveTarget(to: string | null | undefined): { parent: string; list: string } | undefined {
    if (to === null || to === undefined || to === "children") return { parent: this.rootKey, list: "children" };
    if (CHILD_LIST_PROPS.has(to)) return { parent: this.rootKey, list: to };
    if (this.nodes.has(to)) return { parent: to, list: "children" };
    return undefined;
  }

  /**
   * `to` as a message gives it (a key or a root list's name), or an exact place: inside the
   * store a node named "children" or "bgChildren" must not be taken for the root's list.
   */
  private insert(node: SceneNode, to: string | null | undefined | Place, out?: ApplyResult): void {
    if (node.key === this.rootKey) {
      out?.warnings.push(`${node.tag} "${node.key}": a node cannot take the scene root's key; skipped`);
      return;
    }
    let target = typeof to === "object" && to !== null ? (this.nodes.has(to.parent) ? to : undefined) : this.resolveTarget(to);
    if (!target) {
      out?.warnings.push(`${node.tag} "${node.key}": parent "${typeof to === "object" && to ? to.parent : to}" does not exist; added to the scene root instead`);
      target = this.resolveTarget(null)!;
    }
    if (this.nodes.has(node.key)) {
      this.removeSubtree(node.key, out);
      // The parent may have been inside the subtree just replaced (a node moved under its own
      // descendant): then it is gone, and the node goes to the root rather than nowhere.
      if (!this.nodes.has(target.parent)) {
        out?.warnings.push(`${node.tag} "${node.key}": its parent "${target.parent}" was inside the node it replaced; added to the scene root instead`);
        target = this.resolveTarget(null)!;
      }
    }
    const { props, lists } = splitNode(node);
    const stored: StoredNode = { key: node.key, tag: node.tag, props, parent: target.parent, list: target.list, lists: { children: [] } };
    this.nodes.set(node.key, stored);
    const parent = this.nodes.get(target.parent)!;
    (parent.lists[target.list] ??= []).push(node.key);
    out?.changes.push({ op: "create", key: node.key });
    for (const [list, kids] of Object.entries(lists)) {
      for (const kid of kids) this.insert(kid, list === "children" ? { parent: node.key, list } : { parent: this.rootKey, list }, out);
    }
  }

  private merge(node: Partial<SceneNode> & { key: string }, out: ApplyResult): void {
    const stored = this.nodes.get(node.key)!;
    if (node.tag !== undefined && node.tag !== stored.tag && node.key === this.rootKey) {
      out.warnings.push(`"${node.key}": the scene root's tag cannot change (use SET); props merged`);
    } else if (node.tag !== undefined && node.tag !== stored.tag) {
      // A different tag under the same key is a different object: rebuild it in place.
      const parentKey = stored.parent;
      const merged = { ...this.toNode(node.key), ...node } as SceneNode;
      const index = parentKey ? this.nodes.get(parentKey)!.lists[stored.list].indexOf(node.key) : -1;
      const list = stored.list;
      this.removeSubtree(node.key, out);
      this.insert(merged, { parent: parentKey ?? this.rootKey, list }, out);
      // Back at its old index, if its parent still holds it (a child of the new node may have replaced an ancestor).
      const arr = parentKey ? this.nodes.get(parentKey)?.lists[list] : undefined;
      const at = arr ? arr.indexOf(node.key) : -1;
      if (arr && at >= 0 && index >= 0) {
        arr.splice(at, 1);
        arr.splice(Math.min(index, arr.length), 0, node.key);
      }
      return;
    }
    // Props straight into the stored node (no intermediate copy: this runs for every node of
    // every upsert on the host's thread); child lists apart, after.
    const changed: string[] = [];
    let lists: Record<string, SceneNode[]> | undefined;
    for (const k of Object.keys(node)) {
      if (k === "tag" || k === "key") continue;
      const v = (node as Record<string, unknown>)[k];
      if (CHILD_LIST_PROPS.has(k) && Array.isArray(v)) (lists ??= {})[k] = (v as unknown[]).filter(isNodeLike) as SceneNode[];
      else {
        setProp(stored.props, k, v);
        changed.push(k);
      }
    }
    if (changed.length) out.changes.push({ op: "update", key: node.key, props: changed });
    if (lists) for (const [list, kids] of Object.entries(lists)) {
      // A child list in an upsert replaces the old list, as vuer's shallow merge does.
      for (const old of [...(stored.lists[list] ?? [])]) this.removeSubtree(old, out);
      stored.lists[list] = [];
      for (const kid of kids) this.insert(kid, stored.key === this.rootKey ? { parent: stored.key, list } : { parent: stored.key, list: "children" }, out);
    }
  }

  private removeSubtree(key: string, out?: ApplyResult): void {
    const n = this.nodes.get(key);
    if (!n) return;
    if (n.parent !== null) {
      const siblings = this.nodes.get(n.parent)?.lists[n.list];
      const i = siblings ? siblings.indexOf(key) : -1;
      if (i >= 0) siblings!.splice(i, 1);
    }
    // Children before their parent (post-order), iteratively.
    const order: string[] = [];
    const stack = [key];
    while (stack.length) {
      const k = stack.pop()!;
      const s = this.nodes.get(k);
      if (!s) continue;
      order.push(k);
      for (const list of Object.values(s.lists)) for (const c of list) stack.push(c);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      if (!this.nodes.delete(order[i])) continue;
      out?.changes.push({ op: "remove", key: order[i] });
    }
  }
}

/** Sets a prop as an own data property: a prop named "__proto__" must not change the object's prototype. */
function setProp(props: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(props, k, { value: v, enumerable: true, writable: true, configurable: true });
  else props[k] = v;
}

function splitNode(node: Partial<SceneNode>): { props: Record<string, unknown>; lists: Record<string, SceneNode[]> } {
  const props: Record<string, unknown> = {};
  const lists: Record<string, SceneNode[]> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "tag" || k === "key") continue;
    if (CHILD_LIST_PROPS.has(k) && Array.isArray(v)) lists[k] = (v as unknown[]).filter(isNodeLike) as SceneNode[];
    else setProp(props, k, v);
  }
  return { props, lists };
}

/**
 * Why a node tree cannot be stored as one piece, or undefined: two nodes in it share a key
 * (`Group p > Group p > Box p`). Keys name nodes; a tree that names two of its nodes alike
 * has no meaning (and would have the second replace its own ancestor mid-insert).
 */
export function nestedKeyClash(root: Partial<SceneNode>): string | undefined {
  const lists = (n: Partial<SceneNode>) => {
    const out: SceneNode[] = [];
    for (const l of ROOT_LISTS) {
      const v = (n as Record<string, unknown>)[l];
      if (Array.isArray(v)) for (const c of v) if (isNodeLike(c)) out.push(c as SceneNode);
    }
    return out;
  };
  const first = lists(root);
  if (!first.length) return undefined; // the common case: a leaf
  const seen = new Map<string, string>([[String(root.key), String(root.key)]]);
  const stack: Array<[SceneNode, string]> = first.map((c) => [c, String(root.key)]);
  while (stack.length) {
    const [n, parent] = stack.pop()!;
    const prior = seen.get(n.key);
    if (prior !== undefined) return `nodes nested in "${root.key}" share the key "${n.key}" (under "${prior}" and under "${parent}")`;
    seen.set(n.key, parent);
    for (const c of lists(n)) stack.push([c, n.key]);
  }
  return undefined;
}

function isNodeLike(x: unknown): boolean {
  return typeof x === "object" && x !== null && typeof (x as SceneNode).key === "string" && typeof (x as SceneNode).tag === "string";
}
