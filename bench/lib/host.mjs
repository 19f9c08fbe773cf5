// Loads bench/host/host.ts (bundled once per process) and small helpers around the viewer.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { appendFileSync, readFileSync } from "node:fs";
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

/**
 * A bench host in its own process, as VS Code's extension host is (bench/host/*.ts, bundled),
 * with a headless viewer in this process playing the workbench: the `viewer` messages the host
 * sends are posted to the page in order, the page's `applied` go back. `use` runs once the
 * host has sent its `result` and the page has had every post; then the host is killed and the
 * page closed. `onHostMessage` hears the host's other messages; `onPage` the page's.
 */
export async function withHostProcess({ script, args = [], env = {}, nodeArgs = [], limitMs, onPage, onHostMessage, onStart }, use) {
  const host = await loadHost();
  const { Channel } = await import(join(root, "node_modules", ".cache", "scene-runner-bench", "channel.cjs"));
  const errors = [];
  let toHost;
  // The viewer is up before the host starts, as a panel is when the user presses Run.
  const viewer = await host.openHeadlessViewer({
    bundlePath: webviewBundle, width: 640, height: 480, onPageError: (e) => errors.push(e),
    onMessage: (m) => {
      onPage?.(m);
      if (m.t === "applied") toHost?.send({ etype: "applied", seq: m.seq });
    },
  });
  const name = script.split("/").pop();
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ["ignore", "pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
  try {
    let stderr = "";
    // BENCH_HOST_STDOUT=file: the host's own output (e.g. its --trace-gc lines) appended there.
    const keep = process.env.BENCH_HOST_STDOUT;
    child.stdout.on("data", (c) => keep && appendFileSync(keep, c));
    child.stderr.on("data", (c) => (stderr += c));
    let chain = Promise.resolve();
    let result;
    const done = new Promise((resolve, reject) => {
      child.on("exit", (code) => (result ? resolve(result) : reject(new Error(`${name} exited with ${code} before its result:\n${stderr.slice(-3000)}`))));
    });
    toHost = new Channel(child.stdio[3], (x) => x, {
      message: (m) => {
        if (m.etype === "viewer") chain = chain.then(() => viewer.post(m.message)).catch((e) => errors.push(String(e)));
        else if (m.etype === "result") result = m;
        else onHostMessage?.(m, toHost);
      },
      invalid: (e) => errors.push(e.message),
    });
    onStart?.(toHost);
    const killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    const r = await done.finally(() => clearTimeout(killer));
    await chain;
    return await use({ result: r, viewer, errors });
  } finally {
    child.kill("SIGKILL");
    await viewer.close();
  }
}
