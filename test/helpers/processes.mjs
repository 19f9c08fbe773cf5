// Linux process facts for tests that check what a run leaves behind (read from /proc).
import { readFileSync } from "node:fs";

/** Alive: in /proc and not a zombie (an orphan killed here may wait for init to reap it). */
export function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}
