/** Exit statuses, shared by the runner children and the CLI. */
export const EXIT = {
  /** main finished. */
  done: 0,
  /** main (or the program) failed; the error is on stderr. */
  failed: 1,
  /** Bad invocation, unsupported file, or a file with no main. */
  usage: 2,
  /** A child that ended because it was asked to stop. */
  stopped: 3,
  /** --timeout elapsed and the session was stopped (as coreutils' timeout). */
  timeout: 124,
  /** Interrupted by Ctrl-C, after cancelling every task. */
  interrupted: 130,
} as const;
