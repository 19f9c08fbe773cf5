/**
 * Whether a browser tab may have a task's source opened in VS Code (a click on its span in the
 * timeline). Anyone holding the tab's address can send the message, so the host opens only a
 * file one of the run's tasks was created in, and only inside the program's workspace folder,
 * with links resolved first (a link inside the folder to a file outside it is refused).
 */
import { realpathSync } from "node:fs";
import { isAbsolute, sep } from "node:path";

/** Why `file` is not opened (one line), or undefined when it may be. `known`: a task of the run was created in it. */
export function sourceRefusal(file: string, root: string | undefined, known: boolean): string | undefined {
  if (!known) return `${file} is not a file one of the run's tasks was created in`;
  if (!root) return `the program has no workspace folder to open ${file} in`;
  if (!isAbsolute(file)) return `${file} is not an absolute path`;
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(file);
  } catch {
    return `${file}: no such file`;
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) return `${file} is outside the program's workspace folder ${root}`;
  return undefined;
}
