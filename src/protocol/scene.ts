/**
 * Scene messages: vuer's envelope `{ etype, ts, data }`, sent by a scene program
 * (runner) and applied by the viewer. Nodes are plain `{ tag, key, ...props }`
 * objects; bulk numbers (point clouds, meshes, images) are typed arrays, never
 * JSON number lists.
 */
import { arr, fail, isRecord, num, oneOf, ProtocolError, record, str } from "./validate.js";

export type Vec3 = [number, number, number];
export type Quat = [number, number, number, number];
export type Matrix4 = number[]; // 16 numbers, column-major (three.js order)

export type MaterialType = "basic" | "standard" | "phong" | "lambert" | "physical" | "normal" | "depth" | "toon";

/** Props shared by most drawable nodes. Every prop is optional; unknown props pass through. */
export interface CommonProps {
  position?: Vec3;
  rotation?: Vec3;
  quaternion?: Quat;
  scale?: number | Vec3;
  matrix?: Matrix4;
  color?: string | number;
  materialType?: MaterialType;
  opacity?: number;
  wireframe?: boolean;
  visible?: boolean;
  hide?: boolean;
  args?: unknown[];
  children?: SceneNode[];
}

export type BinaryArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array;

export interface SceneNode extends CommonProps {
  tag: string;
  key: string;
  [prop: string]: unknown;
}

/** Where an upsert/add puts its nodes: a parent's key, or one of the Scene's child lists. */
export type Target = string | null;

export interface SetMessage {
  etype: "SET";
  ts: number;
  data: SceneNode; // root, tag "Scene"
}
export interface UpsertMessage {
  etype: "UPSERT";
  ts: number;
  data: { nodes: SceneNode[]; to: Target };
}
export interface AddMessage {
  etype: "ADD";
  ts: number;
  data: { nodes: SceneNode[]; to: Target };
}
export interface UpdateMessage {
  etype: "UPDATE";
  ts: number;
  /** vuer's `strict` flag rides along (vuer's client reads it; our store updates known keys either way). */
  data: { nodes: Array<Partial<SceneNode> & { key: string }>; strict?: boolean };
}
export interface RemoveMessage {
  etype: "REMOVE";
  ts: number;
  data: { keys: string[] };
}

export type SceneMessage = SetMessage | UpsertMessage | AddMessage | UpdateMessage | RemoveMessage;
export const SCENE_ETYPES = ["SET", "UPSERT", "ADD", "UPDATE", "REMOVE"] as const;
export type SceneEtype = (typeof SCENE_ETYPES)[number];

export function isSceneMessage(m: { etype: string }): m is SceneMessage {
  return (SCENE_ETYPES as readonly string[]).includes(m.etype);
}

/** A node left out of a message because it was malformed; the rest of the message applies. */
export interface DroppedNode {
  /** Where it was in the message, e.g. `message.data.nodes[2].children[0]`. */
  path: string;
  /** Its key, when it had a string one. */
  key?: string;
  reason: string;
}

export type OnDroppedNode = (dropped: DroppedNode) => void;

/** One line for the user: which node was left out and why (the CLI's stderr, the run's output). */
export function droppedNodeLine(d: DroppedNode): string {
  return `left out ${d.key === undefined ? "a node without a key" : `node "${d.key}"`} (the rest of its message was drawn): ${d.reason}`;
}

/**
 * Validates the structure of a node (tag, key, children) and returns it, or throws for the
 * node itself. Props are checked by the viewer, which skips one bad prop at a time. A bad
 * child is dropped and reported through `onDrop`, never its siblings or parent. Text among
 * the children (vuer's `Text("Hello")` sends `children: ["Hello"]`) becomes the `text` prop,
 * so that every entry of `children` is a node.
 */
export function validateNode(x: unknown, path: string, requireTag = true, onDrop: OnDroppedNode = () => {}): SceneNode {
  const n = record(x, path);
  if (requireTag || n.tag !== undefined) str(n.tag, `${path}.tag`);
  str(n.key, `${path}.key`);
  if (n.children === undefined || n.children === null) return n as SceneNode;
  const raw = arr(n.children, `${path}.children`);
  const children: SceneNode[] = [];
  let text: string | undefined;
  let changed = false;
  raw.forEach((c, i) => {
    if (typeof c === "string" || (typeof c === "number" && Number.isFinite(c))) {
      text = (text ?? "") + String(c);
      return;
    }
    const node = validOrDropped(c, `${path}.children[${i}]`, true, onDrop);
    if (node) children.push(node);
    if (node !== c) changed = true;
  });
  if (!changed && text === undefined) return n as SceneNode;
  const out: SceneNode = { ...(n as SceneNode), children };
  if (text !== undefined && typeof n.text !== "string") out.text = text;
  return out;
}

function validOrDropped(x: unknown, path: string, requireTag: boolean, onDrop: OnDroppedNode): SceneNode | undefined {
  try {
    return validateNode(x, path, requireTag, onDrop);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    const key = isRecord(x) && typeof x.key === "string" ? x.key : undefined;
    onDrop(key === undefined ? { path, reason: e.message } : { path, key, reason: e.message });
    return undefined;
  }
}

/** The Scene root's own child lists (vuer: children, bgChildren, rawChildren, htmlChildren; its DefaultScene fills bgChildren). */
export const SCENE_ROOT_LISTS = ["children", "bgChildren", "rawChildren", "htmlChildren"] as const;

/** A SET's root: its lists besides `children` are checked node by node like `children`. */
function validateRoot(data: Record<string, unknown>, onDrop: OnDroppedNode): SceneNode {
  const root = validateNode(data, "message.data", true, onDrop);
  if (root.tag !== "Scene") fail("message.data.tag", '"Scene"', root.tag);
  let out = root;
  for (const list of SCENE_ROOT_LISTS) {
    const raw = root[list];
    if (list === "children" || raw === undefined || raw === null) continue;
    let kept: SceneNode[] = [];
    if (!Array.isArray(raw)) onDrop({ path: `message.data.${list}`, reason: `expected a list of nodes, got ${typeof raw}` });
    else kept = validNodes(raw, `message.data.${list}`, true, onDrop);
    out = { ...out, [list]: kept };
  }
  return out;
}

/** Each node of a list on its own: a bad one is dropped and reported, the others stay. */
function validNodes(x: unknown, path: string, requireTag: boolean, onDrop: OnDroppedNode): SceneNode[] {
  const out: SceneNode[] = [];
  arr(x, path).forEach((n, i) => {
    const node = validOrDropped(n, `${path}[${i}]`, requireTag, onDrop);
    if (node) out.push(node);
  });
  return out;
}

function validateTarget(x: unknown, path: string): Target {
  if (x === undefined || x === null) return null;
  return str(x, path);
}

/**
 * Validates a scene message. A malformed envelope throws; a malformed node inside it is
 * dropped and reported through `onDrop` (with its key), and the rest of the message applies:
 * one bad node must not cost a program its whole scene.
 */
export function validateSceneMessage(x: unknown, onDrop: OnDroppedNode): SceneMessage {
  const m = record(x, "message");
  const etype = oneOf(m.etype, SCENE_ETYPES, "message.etype");
  const ts = num(m.ts, "message.ts");
  const data = record(m.data, "message.data");
  switch (etype) {
    case "SET":
      return { etype, ts, data: validateRoot(data, onDrop) };
    case "UPSERT":
    case "ADD": {
      const nodes = validNodes(data.nodes, "message.data.nodes", true, onDrop);
      return { etype, ts, data: { nodes, to: validateTarget(data.to, "message.data.to") } } as SceneMessage;
    }
    case "UPDATE": {
      const nodes = validNodes(data.nodes, "message.data.nodes", false, onDrop);
      return { etype, ts, data: typeof data.strict === "boolean" ? { nodes, strict: data.strict } : { nodes } };
    }
    case "REMOVE": {
      const keys = arr(data.keys, "message.data.keys").map((k, i) => str(k, `message.data.keys[${i}]`));
      return { etype, ts, data: { keys } };
    }
  }
}

export function isBinaryArray(x: unknown): x is BinaryArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

