/**
 * The host's half of the program's files (Node only): which folder a program's assets come
 * from, and reading one root-relative path with every link resolved first, so that neither a
 * `..` nor a symbolic link can reach a file outside the root.
 */
import { realpath, readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { normalizeUnder } from "./assets.js";

/** The folders behind an AssetScope: `root` (absolute) bounds every read; `workspace` is root-relative. */
export interface AssetFolders {
  root: string;
  workspace: string;
}

/**
 * A program's folders: the root is `root` when given (the VS Code workspace folder holding it)
 * and the program's own folder otherwise; vuer's workspace (`static_root="."`) is the program's
 * folder, where `python file.py` is usually started.
 */
export function assetFolders(programFile: string, root?: string): AssetFolders {
  const dir = dirname(programFile);
  const r = root ?? dir;
  const rel = relative(r, dir);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return { root: r, workspace: inside ? rel.split(sep).join("/") : "" };
}

export type AssetRead =
  | { ok: true; bytes: Buffer; file: string }
  | { ok: false; status: 403 | 404; reason: string };

/** Reads root-relative `path`, refusing what resolves (through links) outside `root`. */
export async function readAssetFile(root: string, path: string): Promise<AssetRead> {
  const norm = normalizeUnder("", path);
  if (norm === null || norm === "") return { ok: false, status: 403, reason: `${path}: outside the program's folder` };
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return { ok: false, status: 404, reason: `${path}: the program's folder ${root} is gone` };
  }
  try {
    real = await realpath(join(realRoot, ...norm.split("/")));
  } catch {
    return { ok: false, status: 404, reason: `${norm}: no such file in the program's folder` };
  }
  if (!real.startsWith(realRoot + sep)) return { ok: false, status: 403, reason: `${norm}: a link to a file outside the program's folder` };
  try {
    if (!(await stat(real)).isFile()) return { ok: false, status: 404, reason: `${norm}: not a file` };
    return { ok: true, bytes: await readFile(real), file: real };
  } catch (e) {
    return { ok: false, status: 404, reason: `${norm}: ${(e as Error).message}` };
  }
}
