/**
 * The child process that runs a user's TypeScript/JavaScript scene program
 * (never the extension host's own thread). It compiles the file, imports it,
 * runs `main(sess)` in a Session whose messages go over the runner pipe, and
 * obeys the supervisor's cancel and stop requests.
 */
import { readFileSync } from "node:fs";
import { Socket } from "node:net";
import { resolve } from "node:path";
import { isStop, isTaskCancel, validateHostToRunner, type HostToRunner, type RunnerToHost } from "../../protocol/runner.js";
import * as runtime from "../../runtime/index.js";
import type { RunnerPipeMessage } from "../../protocol/task-batch.js";
import { errorInfo, markInternalFile } from "../../runtime/locations.js";
import { Session } from "../../runtime/session.js";
import { Channel } from "../channel.js";
import { EXIT } from "../exit-codes.js";
import { CHANNEL_ENV, CHANNEL_FD, COALESCE_ENV } from "../launch.js";
import { findMainFunctions } from "../main-locator.js";
import { CompileError, importScene, installSceneLoader } from "./compile.js";
import { startParentWatchdog } from "./watchdog.js";
import { SceneSink } from "./scene-sink.js";
import { TaskReportBatcher } from "./task-reports.js";

markInternalFile(__filename);
// Writes to stdout/stderr complete before the call returns (they are pipes: Node would
// queue what the pipe cannot take at once), so whatever the program printed before it
// ended, even with process.exit(), reaches the host whole.
for (const stream of [process.stdout, process.stderr]) {
  (stream as unknown as { _handle?: { setBlocking?(on: boolean): void } })._handle?.setBlocking?.(true);
}
// Ends this process (and its group) within a second of the supervisor's death, even while
// the program's code keeps the main thread busy.
startParentWatchdog();
const file = resolve(process.argv[2] ?? "");
const fd = Number(process.env[CHANNEL_ENV] ?? CHANNEL_FD);
let session: Session | undefined;
let stopRequested = false;

const channel = new Channel<HostToRunner, RunnerPipeMessage>(new Socket({ fd, readable: true, writable: true }), validateHostToRunner, {
  message: onHostMessage,
  invalid: (e) => process.stderr.write(`scene-runner: ignored a malformed message from the host: ${e.message}\n`),
  // The supervisor went away: stop as if asked to.
  close: () => requestStop(),
});

const sink = new SceneSink(channel as Channel<unknown, RunnerToHost>, process.env[COALESCE_ENV] === "1");
// The session's sink: its task reports go out batched, one TASK_BATCH per burst of the loop.
const reports = new TaskReportBatcher(sink, (batch) => channel.send(batch));

function onHostMessage(m: HostToRunner): void {
  if (isTaskCancel(m)) session?.cancelTask(m.id);
  else if (isStop(m)) requestStop();
  else session?.dispatch(m);
}

function requestStop(): void {
  if (stopRequested) return;
  stopRequested = true;
  if (session) void session.stop();
  else void finish(EXIT.stopped, { etype: "SESSION_END", ts: Date.now(), status: "stopped" });
}

// Errors outside any task (a throwing setTimeout callback, a stray rejection) are reported, not fatal.
// errorInfo() describes any thrown value in words (even one whose toString throws): never `${e}`.
const describeThrown = (e: unknown) => {
  const info = errorInfo(e);
  return info.stack ?? `${info.name}: ${info.message}`;
};
process.on("uncaughtException", (e) => process.stderr.write(`Uncaught exception outside any task: ${describeThrown(e)}\n`));
process.on("unhandledRejection", (e) => process.stderr.write(`Unhandled rejection outside any task: ${describeThrown(e)}\n`));
process.on("SIGINT", () => requestStop());
// A program that calls process.exit() skips the turn's end: the task reports, scene updates and
// frames still held go out now (a pipe write is attempted at once, so they reach the host).
process.on("exit", () => {
  reports.flush();
  sink.flush(); // scene updates held for the host's next ack: the viewer ends with the program's scene
  channel.flush();
});

let finishing = false;
async function finish(code: number, end: RunnerToHost): Promise<never> {
  if (!finishing) {
    finishing = true;
    reports.send(end); // after the task reports made before it
    await channel.end();
    process.exit(code);
  }
  return new Promise<never>(() => {});
}

async function run(): Promise<never> {
  channel.send({ etype: "SESSION_START", ts: Date.now(), file, runtime: "node", pid: process.pid, acks: sink.acks });
  let mod: Record<string, unknown>;
  try {
    installSceneLoader(runtime as unknown as Record<string, unknown>);
    mod = await importScene(file);
  } catch (e) {
    if (e instanceof CompileError) {
      process.stderr.write(`${e.message}\n`);
      return finish(EXIT.failed, { etype: "SESSION_END", ts: Date.now(), status: "failed", error: { name: "CompileError", message: e.message } });
    }
    process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    return finish(EXIT.failed, { etype: "SESSION_END", ts: Date.now(), status: "failed", error: errorInfo(e) });
  }
  const main = mod.main ?? (mod.default as Record<string, unknown> | undefined)?.main;
  if (typeof main !== "function") {
    const message = `${file} has no main function: add \`export async function main(sess: Session) { ... }\``;
    process.stderr.write(`scene-runner: ${message}\n`);
    return finish(EXIT.usage, { etype: "SESSION_END", ts: Date.now(), status: "failed", error: { name: "NoMainError", message } });
  }
  session = new Session({ sink: reports });
  // The "main" task points at main's definition in the user's file.
  const [def] = findMainFunctions(readFileSync(file, "utf8"), "typescript");
  session.mainLocation = def ? { file, line: def.line + 1, column: def.column + 1 } : { file, line: 1 };
  if (stopRequested) void session.stop();
  const result = await session.run(main as (s: Session) => unknown);
  if (result.status === "failed" && result.error) process.stderr.write(`${result.error.stack ?? `${result.error.name}: ${result.error.message}`}\n`);
  const code = result.status === "done" ? EXIT.done : result.status === "failed" ? EXIT.failed : EXIT.stopped;
  return finish(code, { etype: "SESSION_END", ts: Date.now(), ...result });
}

void run();
