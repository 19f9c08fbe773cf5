/**
 * How a session ended, as an exit status and (when the program's own output does not
 * already say it) one line for stderr. The rules, in order:
 *
 *  - a stop the user asked for (Ctrl-C, SIGTERM, Stop): 130; `--timeout`: 124;
 *  - the program closed the runner's channel (fd 3): 1, "closed the runner's channel";
 *  - the runner died of a signal: 128 + the signal's number (1 for SIGINT: 130 is only a
 *    user's stop), "killed by SIGSEGV";
 *  - the runner reported its end (SESSION_END): done 0, failed the program's own status
 *    (sys.exit(3) → 3; an exception → 1), stopped without anyone asking (main cancelled
 *    itself) 1;
 *  - the runner exited without reporting (process.exit(3), os._exit(5)): that status,
 *    "exited with status 5".
 */
import { constants } from "node:os";
import { EXIT } from "./exit-codes.js";
import type { SessionExit } from "./supervisor.js";

export type StopReason = "interrupted" | "timeout" | undefined;

export interface Outcome {
  status: number;
  /** How the program ended, when that needs saying (one line, no prefix). */
  line?: string;
}

export function signalNumber(signal: NodeJS.Signals): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

export function exitStatus(exit: SessionExit, reason: StopReason): Outcome {
  const left = exit.leftovers ? ` (${exit.leftovers} process${exit.leftovers === 1 ? "" : "es"} it left running ${exit.leftovers === 1 ? "was" : "were"} killed)` : "";
  if (reason === "interrupted") return { status: EXIT.interrupted, line: left ? `stopped${left}` : undefined };
  if (reason === "timeout") return { status: EXIT.timeout, line: left ? `stopped${left}` : undefined };
  if (exit.channelClosed) return { status: EXIT.failed, line: `the program closed the runner's channel (fd 3), so it was stopped${left}` };
  if (exit.signal) {
    const n = signalNumber(exit.signal);
    const status = exit.signal === "SIGINT" || !n ? EXIT.failed : 128 + n;
    return { status, line: `the program was killed by ${exit.signal}${left}` };
  }
  const code = exit.code ?? EXIT.failed;
  if (exit.end) {
    const withLeft = (o: Outcome): Outcome => (left && !o.line ? { ...o, line: `the program ended${left}` } : o);
    switch (exit.end.status) {
      case "done":
        return withLeft({ status: code === EXIT.stopped ? EXIT.failed : code });
      case "failed":
        if (exit.end.error?.name === "SystemExit" || (code !== EXIT.failed && code !== EXIT.usage && code !== EXIT.done)) {
          return { status: code === EXIT.done ? EXIT.failed : code, line: `the program exited with status ${code}${left}` };
        }
        return withLeft({ status: code === EXIT.usage ? EXIT.usage : EXIT.failed });
      case "stopped":
        return { status: EXIT.failed, line: `the program stopped itself (its main task was cancelled)${left}` };
    }
  }
  if (code === EXIT.done) return { status: EXIT.done, line: left ? `the program exited${left}` : undefined };
  return { status: code, line: `the program exited with status ${code}${left}` };
}
