// Loads bench/host/host.ts (bundled once per process) and small helpers around the viewer.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleHost, root } from "./build.mjs";

let hostPromise;
export function loadHost() {
  hostPromise ??= bundleHost("bench/host/host.ts", "host.cjs").then((file) => createRequire(import.meta.url)(file));
  return hostPromise;
}

export const webviewBundle = join(root, "dist", "webview.js");

/** Every key in a scene node tree (the root excluded), sorted. */
export function treeKeys(root) {
  const out = [];
  const walk = (n) => {
    for (const list of ["children", "bgChildren", "rawChildren", "htmlChildren"]) {
      for (const c of n?.[list] ?? []) {
        out.push(c.key);
        walk(c);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Resident memory of a process in MB (Linux), or NaN. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Nodes a scene message carries (what the viewer applies for it). */
export function nodeCount(m) {
  if (m.etype === "UPSERT" || m.etype === "ADD" || m.etype === "UPDATE") return m.data.nodes.length;
  if (m.etype === "REMOVE") return m.data.keys.length;
  if (m.etype === "SET") return treeKeys(m.data).length;
  return 0;
}

export const isScene = (m) => ["SET", "UPSERT", "ADD", "UPDATE", "REMOVE"].includes(m.etype);
