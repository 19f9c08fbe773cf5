/**
 * `scene-runner run <file> [--events <path|->] [--record <file.srec>] [--timeout <s>] [--python <exe>] [--vuer bundled|installed|auto]`
 *
 * Runs a scene program headless. Standard output carries exactly what the
 * program prints. `--events` writes every protocol message the program produced
 * (before any coalescing), one JSON object per line; with `--events -` they go to
 * standard output instead, and the program's own output appears only as LOG lines.
 * `--record` writes a seekable recording of the session (docs/recording-format.md) that
 * `scene-runner snapshot --from` and the VS Code viewer replay. `--vuer` picks which vuer a Python
 * program imports (src/runner/python/vuer-choice.ts); on the user's installed vuer the program
 * serves its own scene, and the address it listens on is printed (and is a VUER_SERVING event).
 */
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { parseSceneArgs, UsageError } from "./args.js";
import { toJsonLine } from "../protocol/jsonl.js";
import { rpcResponseType } from "../protocol/events.js";
import { viewerInit, type RunnerToHost } from "../protocol/runner.js";
import { droppedNodeLine } from "../protocol/scene.js";
import { EXIT } from "../runner/exit-codes.js";
import { LaunchError } from "../runner/launch.js";
import { exitStatus } from "../runner/outcome.js";
import { startSession, type RunningSession } from "../runner/supervisor.js";
import { describeInstalled, isVuerMode, servingUrl, VUER_MODES, type VuerMode } from "../runner/python/vuer-choice.js";
import { setLongTimeout } from "../runner/timers.js";
import { Recorder } from "../recording/recorder.js";
import { RecordingFileWriter } from "../recording/writer.js";

export const RUN_USAGE = "usage: scene-runner run <file.ts|file.js|file.py> [--events <path|->] [--record <file.srec>] [--timeout <seconds>] [--python <exe>] [--vuer bundled|installed|auto]";


/** The longest --timeout: a year. Longer is a typo, not a plan. */
export const MAX_TIMEOUT_S = 365 * 24 * 3600;

interface RunArgs {
  file: string;
  events?: string;
  record?: string;
  timeoutSec?: number;
  python?: string;
  vuer?: VuerMode;
}

export function parseRunArgs(argv: string[]): RunArgs {
  const { file, values } = parseSceneArgs(argv, { events: { type: "string" }, record: { type: "string" }, timeout: { type: "string" }, python: { type: "string" }, vuer: { type: "string" } }, "to run");
  const parsed = { values };
  const args: RunArgs = { file, events: parsed.values.events, record: parsed.values.record, python: parsed.values.python };
  if (values.vuer !== undefined) {
    if (!isVuerMode(values.vuer)) throw new UsageError(`--vuer takes ${VUER_MODES.join(", ")}, got ${JSON.stringify(values.vuer)}`);
    args.vuer = values.vuer;
  }
  if (parsed.values.timeout !== undefined) {
    const t = Number(parsed.values.timeout);
    if (!Number.isFinite(t) || t <= 0) throw new UsageError(`--timeout needs a positive number of seconds, got ${JSON.stringify(parsed.values.timeout)}`);
    if (t > MAX_TIMEOUT_S) throw new UsageError(`--timeout ${parsed.values.timeout} is more than a year (${MAX_TIMEOUT_S} s); leave it out to run without a limit`);
    args.timeoutSec = t;
  }
  return args;
}

export async function runCommand(argv: string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`scene-runner: ${e.message}\n${RUN_USAGE}\n`);
    return EXIT.usage;
  }

  const eventsToStdout = args.events === "-";
  let events: WriteStream | NodeJS.WriteStream | undefined = eventsToStdout ? process.stdout : undefined;
  if (args.events !== undefined && !eventsToStdout) {
    // Opened now, so an unwritable path is a usage error before the program runs, not a crash after.
    try {
      events = createWriteStream(args.events, { fd: openSync(args.events, "w") });
    } catch (e) {
      process.stderr.write(`scene-runner: --events ${args.events}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  let recorder: Recorder | undefined;
  if (args.record !== undefined) {
    try {
      // Streamed to the file as the session runs (nothing kept in memory); the index goes at the end.
      recorder = new Recorder({ sink: new RecordingFileWriter(args.record), retain: false });
    } catch (e) {
      process.stderr.write(`scene-runner: --record ${args.record}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const writeEvent = (m: RunnerToHost, frame?: Buffer) => {
    events?.write(toJsonLine(m) + "\n");
    recorder?.record(m, frame);
  };
  const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  const logChunk = (stream: "stdout" | "stderr", chunk: Buffer) => {
    const text = decoders[stream].write(chunk);
    if (text) writeEvent({ etype: "LOG", ts: Date.now(), stream, text });
  };

  let session: RunningSession | undefined;
  try {
    session = await startSession({
      file: args.file,
      python: args.python,
      vuer: args.vuer,
      onMessage: (m, frame) => {
        writeEvent(m, frame);
        if (m.etype === "VUER_SERVING") process.stderr.write(`scene-runner: the program's vuer (${describeInstalled(m)}) serves on ${servingUrl(m)}\n`);
        // Headless: nobody can answer a render request; say so instead of letting it time out.
        if (m.etype === "GRAB_RENDER") {
          const answer = { etype: rpcResponseType("GRAB_RENDER", m.uuid), ts: Date.now(), error: "no viewer is attached (headless run); use the VS Code panel or `scene-runner snapshot`" };
          recorder?.recordEvent(answer);
          session?.send(answer);
        }
      },
      onStdout: (c) => {
        if (!eventsToStdout) process.stdout.write(c);
        logChunk("stdout", c);
      },
      onStderr: (c) => {
        process.stderr.write(c);
        logChunk("stderr", c);
      },
      onProtocolError: (e) => process.stderr.write(`scene-runner: ignored a malformed message from the program: ${e.message}\n`),
      onDroppedNode: (d) => process.stderr.write(`scene-runner: ${droppedNodeLine(d)}\n`),
    });
  } catch (e) {
    await recorder?.close().catch(() => undefined);
    if (e instanceof LaunchError) {
      process.stderr.write(`scene-runner: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }

  const running = session;
  // vuer's handshake: headless, no viewer will say hello; the program's vuer session starts now.
  running.send(viewerInit("headless"));
  let reason: "interrupted" | "timeout" | undefined;
  const onSigint = () => {
    if (reason === "interrupted") return running.kill(); // a second Ctrl-C does not wait
    reason = "interrupted";
    void running.stop();
  };
  // Ctrl-C, a kill and a closed terminal are all a user's stop: cancel, grace, kill.
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  process.on("SIGHUP", onSigint);
  // Chained: a timeout of weeks is more than one setTimeout can hold.
  const timer =
    args.timeoutSec !== undefined
      ? setLongTimeout(() => {
          reason ??= "timeout";
          process.stderr.write(`scene-runner: --timeout ${args.timeoutSec}s elapsed; stopping\n`);
          void running.stop();
        }, args.timeoutSec * 1000)
      : undefined;

  const exit = await running.exited;
  timer?.cancel();
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigint);
  process.off("SIGHUP", onSigint);
  if (events && events !== process.stdout) await new Promise<void>((r) => (events as WriteStream).end(r));
  if (recorder) {
    try {
      await recorder.close();
      process.stderr.write(`scene-runner: recorded ${recorder.records} records (${(recorder.end / 1000).toFixed(1)} s) to ${args.record}\n`);
    } catch (e) {
      process.stderr.write(`scene-runner: --record ${args.record}: could not write the recording: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    }
  }
  const outcome = exitStatus(exit, reason);
  if (outcome.line) process.stderr.write(`scene-runner: ${outcome.line}\n`);
  return outcome.status;
}
