/** The `scene-runner` command line. */
import { EXIT } from "../runner/exit-codes.js";
import { RUN_USAGE, runCommand } from "./run.js";
import { SNAPSHOT_USAGE, snapshotCommand } from "./snapshot.js";
import { CONNECT_USAGE, connectSnapshotCommand, wantsConnect } from "./connect.js";
import { packageVersion } from "./package-files.js";

const HELP = `scene-runner: run live async 3D scene programs (TypeScript, JavaScript or Python)

${RUN_USAGE}
${SNAPSHOT_USAGE}
${CONNECT_USAGE}

Exit status: 0 main finished, 1 it failed, 2 bad invocation or no main, 124 --timeout,
130 stopped by Ctrl-C (or SIGTERM/SIGHUP); a program that exits by itself passes its own
status through (sys.exit(3), process.exit(3): 3; killed by a signal: 128 + its number), with
one line on stderr saying how it ended. When a session ends, every process the program
started is ended too. See docs/process-contract.md. --record writes a seekable recording of the
session that snapshot --from draws at any moment: docs/recording-format.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return runCommand(rest);
    case "snapshot":
      return wantsConnect(rest) ? connectSnapshotCommand(rest) : snapshotCommand(rest);
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(HELP + "\n");
      return EXIT.done;
    case "-v":
    case "--version":
      process.stdout.write(`${packageVersion()}\n`);
      return EXIT.done;
    default:
      process.stderr.write(`scene-runner: ${command ? `unknown command ${JSON.stringify(command)}` : "missing command"}\n${HELP}\n`);
      return EXIT.usage;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`scene-runner: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = EXIT.failed;
  },
);
