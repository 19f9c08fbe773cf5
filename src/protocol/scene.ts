/**
 * Scene messages: vuer's envelope `{ etype, ts, data }`, sent by a scene program
 * (runner) and applied by the viewer. Nodes are plain `{ tag, key, ...props }`
 * objects; bulk numbers (point clouds, meshes, images) are typed arrays, never
 * JSON number lists.
 */
import { arr, fail, num, oneOf, record, str } from "./validate.js";

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
  data: { nodes: Array<Partial<SceneNode> & { key: string }> };
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

/**
 * Validates the structure of a node (tag, key, children). Props are checked by
 * the viewer, which can skip one bad prop without rejecting the message.
 */
export function validateNode(x: unknown, path: string, requireTag = true): SceneNode {
  const n = record(x, path);
  if (requireTag || n.tag !== undefined) str(n.tag, `${path}.tag`);
  str(n.key, `${path}.key`);
  if (n.children !== undefined) {
    arr(n.children, `${path}.children`).forEach((c, i) => validateNode(c, `${path}.children[${i}]`));
  }
  return n as SceneNode;
}

function validateTarget(x: unknown, path: string): Target {
  if (x === undefined || x === null) return null;
  return str(x, path);
}

export function validateSceneMessage(x: unknown): SceneMessage {
  const m = record(x, "message");
  const etype = oneOf(m.etype, SCENE_ETYPES, "message.etype");
  const ts = num(m.ts, "message.ts");
  const data = record(m.data, "message.data");
  switch (etype) {
    case "SET": {
      const root = validateNode(data, "message.data");
      if (root.tag !== "Scene") fail("message.data.tag", '"Scene"', root.tag);
      return { etype, ts, data: root };
    }
    case "UPSERT":
    case "ADD": {
      const nodes = arr(data.nodes, "message.data.nodes").map((n, i) => validateNode(n, `message.data.nodes[${i}]`));
      return { etype, ts, data: { nodes, to: validateTarget(data.to, "message.data.to") } } as SceneMessage;
    }
    case "UPDATE": {
      const nodes = arr(data.nodes, "message.data.nodes").map((n, i) => validateNode(n, `message.data.nodes[${i}]`, false));
      return { etype, ts, data: { nodes } };
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

