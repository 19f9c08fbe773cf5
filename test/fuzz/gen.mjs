// Seeded random generators for the fuzz tests: values, scene nodes, protocol messages, mutations.
// Every test prints its seed; FUZZ_SEED=<n> replays one, FUZZ_MS=<ms> changes the time budget.

import { loadTs } from "../helpers/load-ts.mjs";

export const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
export const BUDGET_MS = Number(process.env.FUZZ_MS ?? 1500);

/** mulberry32: small, fast, good enough to explore inputs. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
  return r;
}

/** Runs `body(r, i)` over fresh seeded generators until the budget or `max` cases; returns the count. */
export function forCases(seed, body, { ms = BUDGET_MS, max = 1e9 } = {}) {
  const r = rng(seed);
  const deadline = performance.now() + ms;
  let i = 0;
  while (i < max && performance.now() < deadline) {
    body(r, i);
    i++;
  }
  return i;
}

const WEIRD_KEYS = ["__proto__", "constructor", "toString", "children", "bgChildren", "rawChildren", "htmlChildren", "scene", "$bin", "dtype", "tag", "key", "hasOwnProperty", "", "é", "\u0000", "a.b", "valueOf"];

export function string(r) {
  switch (r.int(5)) {
    case 0:
      return r.pick(WEIRD_KEYS);
    case 1:
      return String.fromCharCode(...Array.from({ length: r.int(6) }, () => r.int(0x2fff)));
    case 2:
      return "k" + r.int(20);
    default:
      return "s" + r.int(1000);
  }
}

export function number(r) {
  switch (r.int(6)) {
    case 0:
      return r.int(10);
    case 1:
      return -r.int(1e6);
    case 2:
      return r.next() * 1e6 - 5e5;
    case 3:
      return r.pick([0, 1e21, 1e-7, 2 ** 53 - 1, -(2 ** 31), 0.1, 1 / 3]);
    default:
      return r.range(-100, 100);
  }
}

/** Any JSON value, nesting up to `depth`. */
export function json(r, depth = 4) {
  const k = r.int(depth > 0 ? 8 : 5);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return number(r);
    case 3:
    case 4:
      return string(r);
    case 5:
    case 6:
      return Array.from({ length: r.int(4) }, () => json(r, depth - 1));
    default: {
      const o = {};
      for (let i = r.int(4); i > 0; i--) o[string(r)] = json(r, depth - 1);
      return o;
    }
  }
}

/** The product's own dtype table (src/protocol/typed-arrays.ts). */
export const { DTYPES } = await loadTs("src/protocol/typed-arrays.ts");

export function typedArray(r) {
  const name = r.pick(Object.keys(DTYPES));
  const Ctor = DTYPES[name];
  const a = new Ctor(r.int(9));
  for (let i = 0; i < a.length; i++) a[i] = name.startsWith("float") ? Math.fround(r.next() * 100 - 50) : r.int(200);
  return a;
}

/** A JSON-ish value that may hold typed arrays (what frames carry). */
export function payload(r, depth = 3) {
  if (r.chance(0.2)) return typedArray(r);
  const v = json(r, 0);
  if (depth <= 0 || r.chance(0.5)) return v;
  if (r.chance(0.5)) return Array.from({ length: r.int(3) }, () => payload(r, depth - 1));
  const o = {};
  for (let i = r.int(3); i > 0; i--) o["p" + r.int(6)] = payload(r, depth - 1);
  return o;
}

const TAGS = ["Box", "Sphere", "Group", "PointCloud", "Text", "Scene"];
const KEY_POOL = ["a", "b", "c", "d", "e", "scene", "children", "bgChildren", "__proto__", "constructor", "toString"];

/** A structurally valid scene node (validateNode accepts it); keys from a small pool so they collide. */
export function node(r, depth = 3, requireTag = true) {
  const n = { key: r.pick(KEY_POOL) };
  if (requireTag || r.chance(0.5)) n.tag = r.pick(TAGS);
  for (let i = r.int(3); i > 0; i--) {
    const prop = r.pick(["position", "color", "__proto__", "args", "visible", "tag2", "children", "constructor", "vertices"]);
    if (prop === "children") continue;
    n[prop] = prop === "vertices" ? typedArray(r) : json(r, 2);
  }
  if (depth > 0 && r.chance(0.4)) n.children = Array.from({ length: r.int(3) }, () => node(r, depth - 1));
  if (r.chance(0.1)) n.bgChildren = Array.from({ length: r.int(2) }, () => node(r, depth - 1));
  if (r.chance(0.05)) n.children = json(r, 1); // not a list: a plain prop then
  return n;
}

/** A valid scene message (validateSceneMessage accepts it). */
export function sceneMessage(r) {
  const ts = r.int(1e6);
  const to = () => (r.chance(0.5) ? null : r.pick([...KEY_POOL, "missing", "rawChildren"]));
  switch (r.pick(["SET", "UPSERT", "UPSERT", "UPSERT", "ADD", "ADD", "UPDATE", "REMOVE"])) {
    case "SET": {
      const root = { tag: "Scene", key: r.chance(0.8) ? "scene" : r.pick(KEY_POOL), children: Array.from({ length: r.int(3) }, () => node(r, 2)) };
      return { etype: "SET", ts, data: root };
    }
    case "UPSERT":
      return { etype: "UPSERT", ts, data: { nodes: Array.from({ length: r.range(1, 3) }, () => node(r, 2)), to: to() } };
    case "ADD":
      return { etype: "ADD", ts, data: { nodes: Array.from({ length: r.range(1, 3) }, () => node(r, 2)), to: to() } };
    case "UPDATE":
      return { etype: "UPDATE", ts, data: { nodes: Array.from({ length: r.range(1, 3) }, () => node(r, 1, false)) } };
    default:
      return { etype: "REMOVE", ts, data: { keys: Array.from({ length: r.range(1, 3) }, () => r.pick(KEY_POOL)) } };
  }
}

/** A plausible runner-to-host or host-to-runner message, or a corruption of one. */
export function protocolMessage(r) {
  const ts = r.int(1e6);
  const task = () => ({ id: "t" + r.int(9), name: string(r), parent: r.chance(0.5) ? null : "t" + r.int(9), file: "/x.ts", line: r.int(99) });
  const options = [
    () => sceneMessage(r),
    () => ({ etype: "TASK_SPAWN", ts, task: task() }),
    () => ({ etype: "TASK_STATE", ts, task: { id: "t1", state: r.pick(["running", "done", "cancelled", "failed", "cancelling", "bogus"]), error: r.chance(0.5) ? { name: "E", message: "m", stack: "s" } : undefined } }),
    () => ({ etype: "LOG", ts, stream: r.pick(["stdout", "stderr", "other"]), text: string(r) }),
    () => ({ etype: "SESSION_START", ts, file: "/x", runtime: r.pick(["node", "python", "ruby"]), pid: r.int(1e5) }),
    () => ({ etype: "SESSION_END", ts, status: r.pick(["done", "failed", "stopped", "weird"]), error: r.chance(0.3) ? { message: "x" } : undefined }),
    () => ({ etype: "GRAB_RENDER", ts, uuid: "u", rtype: "r", data: json(r, 2) }),
    () => ({ etype: "TASK_CANCEL", ts, id: "t" + r.int(9) }),
    () => ({ etype: "STOP", ts }),
    () => ({ etype: r.pick(["CLICK", "CAMERA_MOVE", "SLIDER", "KEY_DOWN"]), ts, key: string(r), value: json(r, 3) }),
  ];
  const m = r.pick(options)();
  return r.chance(0.5) ? mutate(r, m) : m;
}

/** Changes a value somewhere inside: drops, retypes or replaces a field. */
export function mutate(r, x, depth = 0) {
  if (r.chance(0.15) || depth > 6) return json(r, 2);
  if (Array.isArray(x)) {
    const y = x.slice();
    if (y.length && r.chance(0.5)) y[r.int(y.length)] = mutate(r, y[r.int(y.length)], depth + 1);
    else if (r.chance(0.5)) y.push(json(r, 2));
    else y.pop();
    return y;
  }
  if (x && typeof x === "object" && !ArrayBuffer.isView(x)) {
    const y = { ...x };
    const keys = Object.keys(y);
    if (keys.length && r.chance(0.6)) {
      const k = r.pick(keys);
      if (r.chance(0.3)) delete y[k];
      else y[k] = mutate(r, y[k], depth + 1);
    } else Object.defineProperty(y, string(r), { value: json(r, 2), enumerable: true, writable: true, configurable: true });
    return y;
  }
  return json(r, 2);
}

/** Byte-level damage to an encoded frame: flips, truncation, insertion, length rewrites. */
export function damage(r, buf) {
  const b = Buffer.from(buf);
  switch (r.int(6)) {
    case 0:
      for (let i = r.range(1, 4); i > 0 && b.length; i--) b[r.int(b.length)] = r.int(256);
      return b;
    case 1:
      return b.subarray(0, r.int(b.length + 1));
    case 2:
      return Buffer.concat([b.subarray(0, r.int(b.length)), Buffer.from(Array.from({ length: r.range(1, 12) }, () => r.int(256))), b.subarray(r.int(b.length))]);
    case 3:
      if (b.length >= 8) b.writeUInt32LE(r.int(b.length * 2), 4); // json length
      return b;
    case 4:
      if (b.length >= 4) b.writeUInt32LE(Math.max(0, b.length - 4 - r.int(8)), 0); // frame length
      return b;
    default:
      return b;
  }
}

/** JSON text of a message whose $bin references are forged. */
export function forgedRefs(r) {
  const ref = () =>
    r.pick([
      [r.int(64), r.int(64)],
      [-8, 8],
      [0.5, 4],
      [3, 4],
      ["0", "4"],
      [0],
      [0, 4, 8],
      [2 ** 53, 8],
      [0, -4],
      [1e300, 1],
      [null, null],
      [true, 4],
    ]);
  const dtype = () => r.pick(["float32", "uint8", "toString", "__proto__", "constructor", "hasOwnProperty", "float16", "", "int32", "valueOf"]);
  const leaf = () => ({ $bin: ref(), dtype: dtype() });
  return { etype: "UPSERT", ts: 1, data: { nodes: [{ tag: "PointCloud", key: "p", vertices: leaf(), colors: r.chance(0.5) ? [leaf(), { deep: leaf() }] : leaf() }], to: null } };
}

/** A frame with a given JSON text and blob area (bypassing the encoder). */
export function rawFrame(jsonText, blobBytes = 0) {
  const body = Buffer.from(jsonText, "utf8");
  const pad = ((4 + body.length + 7) & ~7) - 4 - body.length;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(4 + body.length + pad + blobBytes, 0);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, Buffer.alloc(pad), Buffer.alloc(blobBytes)]);
}
