/**
 * `scene-runner snapshot <file> --out <file.png> [--at <ms>] [--size <W>x<H>] [--python <exe>]`
 *
 * Runs the scene program and the real viewer bundle (the one the VS Code panel
 * loads) in headless Chromium, feeds it the program's scene messages in
 * per-frame batches, and writes a PNG of what the viewer shows: at `--at` ms
 * after the program started, or by default when main finishes (at most 1000 ms).
 *
 * `scene-runner snapshot --from <run.srec> --at <ms> --out <file.png>` draws a recorded scene
 * as it was at that moment instead (no program runs), through the same pipeline and viewer.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parsePictureArgs, parseSceneArgs, PICTURE_OPTIONS, UsageError, type PictureArgs } from "./args.js";
import { viewerInit, type RunnerToHost } from "../protocol/runner.js";
import { isSceneMessage } from "../protocol/scene.js";
import type { FromViewerMessage, ToViewerMessage } from "../protocol/viewer.js";
import { droppedNodeLine } from "../protocol/scene.js";
import { EXIT } from "../runner/exit-codes.js";
import { LaunchError } from "../runner/launch.js";
import { startSession, type RunningSession } from "../runner/supervisor.js";
import { sleepLong } from "../runner/timers.js";
import { ScenePipeline } from "../scene/pipeline.js";
import { ViewerPosts } from "./viewer-posts.js";
import { viewerBundlePath } from "./package-files.js";
import { ChromeNotFoundError, findChrome, openHeadlessViewer, ViewerCrashedError, type HeadlessViewer } from "../viewer/headless.js";
import { assetFolders } from "../viewer/asset-files.js";
import { parseArgs } from "node:util";
import { RecordingError, RecordingReader } from "../recording/reader.js";
import { Recorder } from "../recording/recorder.js";
import { RecordingFileWriter } from "../recording/writer.js";

export const SNAPSHOT_USAGE =
  "usage: scene-runner snapshot <file.ts|file.js|file.py> --out <file.png> [--at <ms>] [--size <W>x<H>] [--hud] [--python <exe>] [--record <file.srec>]\n" +
  "       scene-runner snapshot --from <run.srec> --out <file.png> [--at <ms>] [--size <W>x<H>] [--hud]";

const DEFAULT_WAIT_MS = 1000;
const BATCH_MS = 16;
/** How long, past --at, messages still arriving (or still being drawn) are waited for. */
const IN_FLIGHT_WAIT_MS = 5000;

interface SnapshotArgs extends PictureArgs {
  file: string;
  python?: string;
  /** Also record the session to this `.srec` file (docs/recording-format.md). */
  record?: string;
}


/** --out, --at, --size and --hud: what a picture needs, live or from a recording. */
export function parseSnapshotArgs(argv: string[]): SnapshotArgs {
  const { file, values } = parseSceneArgs(argv, { ...PICTURE_OPTIONS, python: { type: "string" }, record: { type: "string" } }, "to picture");
  return { file, python: values.python, record: values.record, ...parsePictureArgs(values) };
}

export function parseReplayArgs(argv: string[]): PictureArgs & { from: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...PICTURE_OPTIONS, from: { type: "string" } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.positionals.length) throw new UsageError(`--from draws a recording; a scene file (${JSON.stringify(parsed.positionals[0])}) is not run with it`);
  const from = parsed.values.from;
  if (!from) throw new UsageError("missing the recording after --from");
  if (!existsSync(from)) throw new UsageError(`${from}: no such file`);
  return { from, ...parsePictureArgs(parsed.values) };
}

export async function snapshotCommand(argv: string[]): Promise<number> {
  if (argv.some((a) => a === "--from" || a.startsWith("--from="))) return snapshotFromRecording(argv);
  let args: SnapshotArgs;
  let chrome: string;
  try {
    args = parseSnapshotArgs(argv);
    chrome = findChrome();
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof ChromeNotFoundError)) throw e;
    process.stderr.write(`scene-runner: ${e.message}\n${e instanceof UsageError ? SNAPSHOT_USAGE + "\n" : ""}`);
    return EXIT.usage;
  }

  let session: RunningSession | undefined;
  let viewer: HeadlessViewer | undefined;
  // The scene pipeline the VS Code panel uses (store, coalescing, flow control by the viewer's
  // acknowledgements); posts to the page are chained, as the headless bridge is asynchronous.
  const title = args.file.split(/[\\/]/).pop() ?? args.file;
  const pipeline = new ScenePipeline({ state: "running", title });
  let recorder: Recorder | undefined;
  try {
    // Keyframes from the pipeline's store (recorded before it applies each message: onMessage below).
    if (args.record !== undefined) recorder = new Recorder({ sink: new RecordingFileWriter(args.record), retain: false, scene: pipeline.store });
  } catch (e) {
    process.stderr.write(`scene-runner: --record ${args.record}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT.usage;
  }
  let mainId: string | undefined;
  let failed = false;
  let signalDone: () => void = () => {};
  const mainDone = new Promise<void>((r) => (signalDone = r));
  // Time zero of --at: when the program reports it is running (not when its process was spawned,
  // which can be much earlier on a loaded machine: compiling TypeScript, starting Python).
  let markStarted: () => void = () => {};
  const programStarted = new Promise<void>((r) => (markStarted = r));

  const posts = new ViewerPosts((line) => process.stderr.write(`scene-runner: ${line}\n`));
  const post = (m: ToViewerMessage) => posts.post(viewer, m);
  /** Posts what the pipeline holds, past flow control (the picture is due), and waits for the posts. */
  const flushAll = () => {
    pipeline.flush(true);
    return posts.settled();
  };

  // Ctrl-C, a kill or a closed terminal: no picture; the program is stopped, Chromium closed.
  let interrupted = false;
  let onInterrupt: () => void = () => {};
  const interruption = new Promise<"interrupted">((r) => (onInterrupt = () => r("interrupted")));
  const onSignal = () => {
    if (interrupted) return session?.kill(); // a second one does not wait
    interrupted = true;
    process.stderr.write("scene-runner: interrupted; stopping\n");
    onInterrupt();
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, onSignal);

  const onViewer = (m: FromViewerMessage) => {
    if (m.t === "event") {
      recorder?.recordEvent(m.event);
      session?.send(m.event);
    }
    else if (m.t === "applied") pipeline.applied(m.seq);
    else if (m.t === "warning") process.stderr.write(`scene-runner: viewer: ${m.message}${m.key !== undefined && !m.message.includes(m.key) ? ` (node "${m.key}")` : ""}\n`);
  };

  try {
    viewer = await openHeadlessViewer({
      bundlePath: viewerBundlePath(),
      chromePath: chrome,
      width: args.width,
      height: args.height,
      onMessage: onViewer,
      onPageError: (t) => process.stderr.write(`scene-runner: viewer ${t}\n`),
      handleSignals: false, // ours: stop the program, then close the browser
      hud: args.hud,
      assets: assetFolders(resolve(args.file)), // the program's own files (vuer's localhost URLs), from its folder
    });
    const v = viewer;
    pipeline.ready(post); // the page said ready when it opened: it gets the (empty) scene, then batches
    try {
      session = await startSession({
        file: args.file,
        python: args.python,
        // The picture is drawn from the scene sent over the runner pipe, as our bundled vuer
        // sends it (a program serving on its own vuer is pictured with snapshot --connect).
        vuer: "bundled",
        coalesce: true, // a picture needs the latest scene, not every step to it
        onMessage: (m: RunnerToHost, frame?: Buffer) => {
          recorder?.record(m, frame);
          markStarted();
          if (isSceneMessage(m)) for (const w of pipeline.push(m)) process.stderr.write(`scene-runner: ${w}\n`);
          else if (m.etype === "GRAB_RENDER") pipeline.rpc(m); // a barrier: held updates go first
          else if (m.etype === "TASK_SPAWN" && m.task.parent === null && mainId === undefined) mainId = m.task.id;
          else if (m.etype === "TASK_STATE" && m.task.id === mainId && m.task.state !== "running") {
            if (m.task.state === "failed") failed = true;
            signalDone();
          } else if (m.etype === "SESSION_END") {
            if (m.status === "failed") failed = true;
            signalDone();
          }
        },
        onStdout: (c) => process.stdout.write(c),
        onStderr: (c) => process.stderr.write(c),
        onProtocolError: (e) => process.stderr.write(`scene-runner: ignored a malformed message from the program: ${e.message}\n`),
        onDroppedNode: (d) => process.stderr.write(`scene-runner: ${droppedNodeLine(d)}\n`),
      });
      session.send(viewerInit("snapshot")); // vuer's handshake: the headless page is open
      void session.exited.then(() => {
        markStarted();
        signalDone();
      });
      if ((await Promise.race([programStarted, interruption])) === "interrupted") return EXIT.interrupted;
      const started = Date.now();
      const wait = args.atMs !== undefined ? sleepLong(started + args.atMs - Date.now()) : Promise.race([mainDone, sleepLong(started + DEFAULT_WAIT_MS - Date.now())]);
      if ((await Promise.race([wait, interruption])) === "interrupted") return EXIT.interrupted;
      // A message still arriving from the program (a big typed array), or still on its way to
      // the viewer, is waited for a while; if it still is not drawn, the picture says so.
      const waitedFrom = Date.now();
      const inFlight = () => (session?.inFlightBytes() ?? 0) + (pipeline.pending || posts.inFlight ? 1 : 0);
      while (inFlight() && !posts.crash && Date.now() - waitedFrom < IN_FLIGHT_WAIT_MS) {
        void flushAll();
        if ((await Promise.race([sleepLong(BATCH_MS), interruption])) === "interrupted") return EXIT.interrupted;
      }
      const arriving = session?.inFlightBytes() ?? 0;
      await flushAll();
      if (posts.crash) throw posts.crash;
      if (arriving) {
        process.stderr.write(
          `scene-runner: a scene message from the program was still arriving (${arriving} bytes so far) ${IN_FLIGHT_WAIT_MS / 1000} s after the snapshot time; the picture does not show it\n`,
        );
      }
      if (failed) pipeline.setSession({ state: "failed", title });
      // The picture's moment: everything received so far goes in this last flush; what arrives
      // later stays out of the picture (and, with --record, has a later recording time).
      pipeline.flush(true);
      const shotAt = recorder?.elapsed;
      pipeline.detach();
      await posts.settled();
      await v.idle();
      const png = await v.screenshot();
      writeFileSync(resolve(args.out), png);
      // With --record: the recording's time of the picture (`snapshot --from` at it draws the same scene).
      const when = recorder ? `; recording time ${shotAt} ms` : "";
      process.stderr.write(`scene-runner: wrote ${args.out} (${args.width}x${args.height}, ${png.length} bytes${when})\n`);
    } finally {
      pipeline.detach();
    }
    return failed ? EXIT.failed : EXIT.done;
  } catch (e) {
    if (e instanceof LaunchError || e instanceof UsageError) {
      process.stderr.write(`scene-runner: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof ViewerCrashedError) {
      process.stderr.write(`scene-runner: ${e.message}; no snapshot written\n`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    posts.closing = true;
    await session?.stop().catch(() => undefined);
    await posts.settled();
    await viewer?.close().catch(() => undefined);
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(sig, onSignal);
    await recorder?.close().catch((e: NodeJS.ErrnoException) => process.stderr.write(`scene-runner: --record ${args.record}: could not write the recording: ${e.code ?? e.message}\n`));
  }
}

/** `snapshot --from run.srec --at T`: the recorded scene at T, drawn as a live snapshot draws it. */
async function snapshotFromRecording(argv: string[]): Promise<number> {
  let args: PictureArgs & { from: string };
  let chrome: string;
  let reader: RecordingReader;
  try {
    args = parseReplayArgs(argv);
    reader = RecordingReader.open(args.from);
    chrome = findChrome();
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof ChromeNotFoundError) && !(e instanceof RecordingError)) throw e;
    process.stderr.write(`scene-runner: ${e.message}\n${e instanceof UsageError ? SNAPSHOT_USAGE + "\n" : ""}`);
    return EXIT.usage;
  }
  let viewer: HeadlessViewer | undefined;
  try {
    for (const w of reader.warnings) process.stderr.write(`scene-runner: ${w}\n`);
    const wanted = args.atMs ?? reader.end;
    const { message, t, warnings } = reader.setMessageAt(wanted);
    for (const w of warnings) process.stderr.write(`scene-runner: ${w}\n`);
    if (t !== wanted) process.stderr.write(`scene-runner: ${args.from} holds ${reader.start}–${reader.end} ms; the picture shows ${t} ms\n`);
    // The session as it stood then: ended (and how) if its end was recorded by then.
    const end = reader.markers().find((m) => m.t <= t && m.session !== undefined);
    const program = reader.header.program;
    const title = program?.split(/[\\/]/).pop() ?? args.from;
    const state = end?.session ?? "running";
    const pipeline = new ScenePipeline({ state, title });
    let posting = Promise.resolve();
    viewer = await openHeadlessViewer({
      bundlePath: viewerBundlePath(),
      chromePath: chrome,
      width: args.width,
      height: args.height,
      onMessage: (m) => {
        if (m.t === "applied") pipeline.applied(m.seq);
        else if (m.t === "warning") process.stderr.write(`scene-runner: viewer: ${m.message}\n`);
      },
      onPageError: (text) => process.stderr.write(`scene-runner: viewer ${text}\n`),
      hud: args.hud,
      // The program's own files, when its folder is still where it was recorded.
      assets: program && existsSync(program) ? assetFolders(resolve(program)) : undefined,
    });
    const v = viewer;
    pipeline.ready((m) => (posting = posting.then(() => v.post(m))));
    // The live viewer framed its camera on the first content it drew: so does the replay.
    const first = reader.firstContentAt();
    if (first !== undefined && first < t) {
      pipeline.push(reader.setMessageAt(first).message);
      pipeline.flush(true);
      await posting;
      await v.idle();
    }
    for (const w of pipeline.push(message)) process.stderr.write(`scene-runner: ${w}\n`);
    pipeline.flush(true);
    await posting;
    await v.idle();
    const png = await v.screenshot();
    pipeline.detach();
    writeFileSync(resolve(args.out), png);
    process.stderr.write(`scene-runner: wrote ${args.out} (${args.width}x${args.height}, ${png.length} bytes; ${args.from} at ${t} ms)\n`);
    return EXIT.done;
  } catch (e) {
    if (e instanceof ViewerCrashedError || e instanceof RecordingError) {
      process.stderr.write(`scene-runner: ${e.message}; no snapshot written\n`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    reader.close();
    await viewer?.close().catch(() => undefined);
  }
}
