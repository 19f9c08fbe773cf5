/**
 * `scene-runner snapshot --connect ws://127.0.0.1:8012 --out x.png [--at <ms>] [--size <W>x<H>] [--hud]`
 *
 * Our headless viewer as a client of a running vuer server (any: the user's own vuer, on
 * this machine or a robot): connects, sends INIT as vuer's browser client does, waits `--at`
 * ms after the connection opened, and writes what the viewer shows. No program is run.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { milliseconds, parsePictureArgs, PICTURE_OPTIONS, UsageError } from "./args.js";
import type { FromViewerMessage, ToViewerMessage } from "../protocol/viewer.js";
import { EXIT } from "../runner/exit-codes.js";
import { sleepLong } from "../runner/timers.js";
import { ViewerPosts } from "./viewer-posts.js";
import { packageVersion, viewerBundlePath } from "./package-files.js";
import { ChromeNotFoundError, findChrome, openHeadlessViewer, ViewerCrashedError, type HeadlessViewer } from "../viewer/headless.js";
import { AddressError, serverUrl } from "../vuer-client/address.js";
import { VuerClientSession } from "../vuer-client/client-session.js";

export const CONNECT_USAGE = "       scene-runner snapshot --connect <ws://host:port> --out <file.png> [--at <ms>] [--size <W>x<H>] [--hud] [--connect-timeout <ms>]";

/** Whether a `snapshot` command line asks for a server instead of a program. */
export function wantsConnect(argv: string[]): boolean {
  return argv.some((a) => a === "--connect" || a.startsWith("--connect="));
}

const DEFAULT_AT_MS = 1000;
/** How long the first connection may take (a server still starting, a slow network). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long, past --at, batches still on their way to the page are waited for. */
const DRAIN_MS = 5000;

export interface ConnectArgs {
  url: string;
  out: string;
  atMs: number;
  width: number;
  height: number;
  hud: boolean;
  connectTimeoutMs: number;
}

export function parseConnectArgs(argv: string[]): ConnectArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...PICTURE_OPTIONS, connect: { type: "string" }, "connect-timeout": { type: "string" } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (parsed.positionals.length) throw new UsageError(`--connect draws a server's scene; a scene file (${JSON.stringify(parsed.positionals[0])}) is not run with it`);
  let url: string;
  try {
    url = serverUrl(v.connect ?? "");
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(`--connect: ${e.message}`);
    throw e;
  }
  const picture = parsePictureArgs(v);
  return {
    url,
    ...picture,
    atMs: picture.atMs ?? DEFAULT_AT_MS,
    connectTimeoutMs: milliseconds(v["connect-timeout"], "--connect-timeout") ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
}

export async function connectSnapshotCommand(argv: string[]): Promise<number> {
  let args: ConnectArgs;
  let chrome: string;
  try {
    args = parseConnectArgs(argv);
    chrome = findChrome();
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof ChromeNotFoundError)) throw e;
    process.stderr.write(`scene-runner: ${e.message}\n${e instanceof UsageError ? CONNECT_USAGE.trimStart() + "\n" : ""}`);
    return EXIT.usage;
  }
  const say = (line: string) => process.stderr.write(`scene-runner: ${line}\n`);
  const client = new VuerClientSession({ url: args.url, version: packageVersion(), viewer: "snapshot", width: args.width, height: args.height, log: say });
  const pipeline = client.pipeline;
  let viewer: HeadlessViewer | undefined;
  const posts = new ViewerPosts(say);
  const post = (m: ToViewerMessage) => posts.post(viewer, m);
  const onViewer = (m: FromViewerMessage) => {
    if (m.t === "event") client.viewerEvent(m.event);
    else if (m.t === "applied") pipeline.applied(m.seq);
    else if (m.t === "warning") say(`viewer: ${m.message}${m.key !== undefined && !m.message.includes(m.key) ? ` (node "${m.key}")` : ""}`);
  };

  let onInterrupt: () => void = () => {};
  const interruption = new Promise<"interrupted">((r) => (onInterrupt = () => r("interrupted")));
  const onSignal = () => {
    say("interrupted; closing the connection");
    onInterrupt();
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, onSignal);

  try {
    viewer = await openHeadlessViewer({
      bundlePath: viewerBundlePath(),
      chromePath: chrome,
      width: args.width,
      height: args.height,
      onMessage: onViewer,
      onPageError: (t) => say(`viewer ${t}`),
      handleSignals: false,
      hud: args.hud,
    });
    const v = viewer;
    pipeline.ready(post);
    let onConnected: () => void = () => {};
    const connected = new Promise<"connected">((r) => (onConnected = () => r("connected")));
    client.onState((s) => {
      if (s.state === "connected") onConnected();
    });
    client.start();
    const first = await Promise.race([connected, interruption, sleepLong(args.connectTimeoutMs).then(() => "timeout" as const)]);
    if (first === "interrupted") return EXIT.interrupted;
    if (first === "timeout") {
      const s = client.connection.state;
      say(`could not connect to ${args.url} within ${args.connectTimeoutMs} ms${s.state === "reconnecting" || s.state === "closed" ? `: ${s.reason}` : ""}; no snapshot written`);
      return EXIT.failed;
    }
    if ((await Promise.race([sleepLong(args.atMs), interruption])) === "interrupted") return EXIT.interrupted;
    // What is still queued or on its way to the page is drawn before the picture (for a while).
    const from = Date.now();
    while ((pipeline.pending || posts.inFlight) && !posts.crash && Date.now() - from < DRAIN_MS) {
      pipeline.flush(true);
      if ((await Promise.race([posts.settled().then(() => sleepLong(16)), interruption])) === "interrupted") return EXIT.interrupted;
    }
    pipeline.flush(true);
    await posts.settled();
    if (posts.crash) throw posts.crash;
    await v.idle();
    const png = await v.screenshot();
    writeFileSync(resolve(args.out), png);
    const s = client.connection.state;
    const st = client.stats;
    say(`wrote ${args.out} (${args.width}x${args.height}, ${png.length} bytes; ${st.sceneMessages} scene messages, ${st.bytes} bytes from ${args.url}${s.state === "connected" ? "" : `; now ${s.state}`})`);
    return EXIT.done;
  } catch (e) {
    if (e instanceof ViewerCrashedError) {
      say(`${e.message}; no snapshot written`);
      return EXIT.failed;
    }
    throw e;
  } finally {
    posts.closing = true;
    client.close("snapshot done");
    await posts.settled();
    await viewer?.close().catch(() => undefined);
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(sig, onSignal);
  }
}
