/**
 * host.block's extension-host stand-in: a process of its own (as VS Code's extension host is)
 * that runs one scene program the way the extension does — the real supervisor and runner, the
 * real scene pipeline (src/scene/pipeline.ts) with coalescing and flow control, the task model
 * — and measures its own event loop with perf_hooks.monitorEventLoopDelay while the program runs.
 *
 * Its viewer is the real viewer page, driven by the parent (bench/host-block.mjs). Between
 * them runs the runner pipe's codec over fd 3: this side pays what VS Code's postMessage
 * costs the extension host (JSON of the message, typed arrays passed as bytes, not text);
 * the page's half (base64 over the DevTools protocol) is the parent's.
 *
 *   parent → host: {etype: "ready"}, {etype: "applied", seq}, {etype: "stop", sentAt}
 *   host → parent: {etype: "started"}, {etype: "viewer", message}, {etype: "result", ...}
 */
import { readFileSync } from "node:fs";
import { Socket } from "node:net";
import { setPriority } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RunnerToHost } from "../../src/protocol/runner.js";
import type { SceneMessage } from "../../src/protocol/scene.js";
import { Channel } from "../../src/runner/channel.js";
import { startSession } from "../../src/runner/supervisor.js";
import { ScenePipeline } from "../../src/scene/pipeline.js";
import { TaskModel } from "../../src/extension/sessions/task-model.js";
import { Recorder } from "../../src/recording/recorder.js";

type ParentMessage = { etype: "ready" } | { etype: "applied"; seq: number } | { etype: "stop"; sentAt: number };

const file = process.argv[2];
const histogram = monitorEventLoopDelay({ resolution: 10 });
/**
 * On a loaded machine a process waiting for a core looks blocked to monitorEventLoopDelay.
 * Beside it: the most CPU this process used between two consecutive 5 ms ticks, which only
 * the host's own work (plus its GC and I/O threads) can fill.
 */
let maxTickCpuMs = 0;
let lastTickCpu: NodeJS.CpuUsage | undefined;
/**
 * The longest gap between two ticks, and what the main thread did in it, from Linux's
 * /proc/self/schedstat (ns on a CPU, ns waiting in a run queue): a gap spent waiting for a core
 * is the machine's load, a gap spent on a CPU is the host's own work.
 */
const longestGap = { wallMs: 0, onCpuMs: NaN, runQueueMs: NaN };
let lastTick = NaN;
let lastSched: number[] | undefined;
const schedstat = (): number[] | undefined => {
  try {
    return readFileSync("/proc/self/schedstat", "utf8").trim().split(/\s+/).map(Number);
  } catch {
    return undefined; // not Linux
  }
};
const ticker = setInterval(() => {
  const cpu = process.cpuUsage();
  const now = performance.now();
  const sched = schedstat();
  if (lastTickCpu && histogram.count > 0) {
    maxTickCpuMs = Math.max(maxTickCpuMs, (cpu.user - lastTickCpu.user + cpu.system - lastTickCpu.system) / 1000);
    if (now - lastTick > longestGap.wallMs) {
      longestGap.wallMs = now - lastTick;
      longestGap.onCpuMs = sched && lastSched ? (sched[0] - lastSched[0]) / 1e6 : NaN;
      longestGap.runQueueMs = sched && lastSched ? (sched[1] - lastSched[1]) / 1e6 : NaN;
    }
  }
  lastTickCpu = cpu;
  lastTick = now;
  lastSched = sched;
}, 5);
const pipeline = new ScenePipeline({ state: "starting", title: "host.block" }, { coalesce: true });
const tasks = new TaskModel();
// As the extension's host session: every runner message is recorded (default budget, keyframes
// from the pipeline's store) before it is applied. BENCH_RECORD=0 leaves the recorder out.
const recorder = process.env.BENCH_RECORD === "0" ? undefined : new Recorder({ scene: { snapshot: () => pipeline.store.snapshot() } });
const counts = { scene: 0, spawned: 0, states: 0, batches: 0, ready: 0, posts: 0 };
let stderr = "";
let stopLoggedMs = NaN;
let stopAt = NaN;

const parent = new Channel<ParentMessage, unknown>(new Socket({ fd: 3, readable: true, writable: true }), (x) => x as ParentMessage, {
  message: (m) => {
    if (m.etype === "ready") {
      counts.ready++;
      pipeline.ready((message) => {
        if (message.t === "scene") counts.batches++;
        counts.posts++;
        parent.send({ etype: "viewer", message });
      });
    } else if (m.etype === "applied") pipeline.applied(m.seq);
    else if (m.etype === "stop") void stop(m.sentAt);
  },
  invalid: (e) => process.stderr.write(`block-host: ${e.message}\n`),
  close: () => process.exit(2),
});

async function stop(sentAt: number): Promise<void> {
  // What the extension does first on Stop: log it. How late that happens is the figure.
  stopAt = Date.now();
  stopLoggedMs = stopAt - sentAt;
  histogram.disable();
  clearInterval(ticker);
  const exit = await session.stop();
  recorder?.close();
  parent.send({
    etype: "result",
    maxBlockMs: histogram.max / 1e6, maxBlockCpuMs: maxTickCpuMs, longestGap, p99BlockMs: histogram.percentile(99) / 1e6, meanDelayMs: histogram.mean / 1e6,
    stopLoggedMs, stopToExitMs: Date.now() - stopAt, exitCode: exit.code, killed: exit.killed,
    ...counts, tasksKnown: tasks.size, storeNodes: pipeline.store.size, stderr: stderr.slice(-2000),
  });
  await parent.end();
  process.exit(0);
}

let session: Awaited<ReturnType<typeof startSession>>;

async function start(): Promise<void> {
  session = await startSession({
    file,
    coalesce: true, // as the extension starts a session
    // The frame body too, as host-session.ts passes it: the recorder keeps it as it came (a copy)
    // instead of encoding the message a second time.
    onMessage: (m: RunnerToHost, frame?: Buffer) => {
      recorder?.record(m, frame);
      switch (m.etype) {
        case "SET": case "ADD": case "UPSERT": case "UPDATE": case "REMOVE":
          counts.scene++;
          pipeline.push(m as SceneMessage);
          return;
        case "TASK_SPAWN":
          counts.spawned++;
          tasks.spawn(m.task, m.ts);
          return;
        case "TASK_STATE":
          counts.states++;
          tasks.setState(m.task.id, m.task.state, m.ts, m.task.error);
          return;
        case "SESSION_START":
          pipeline.setSession({ state: "running", title: "host.block" });
          histogram.enable(); // from here on: the program's traffic, not this process's start-up
          parent.send({ etype: "started" });
          return;
        default:
      }
    },
    onStderr: (c) => (stderr += String(c)),
  });
  // BENCH_RUNNER_NICE=n: the runner n nice steps down (an experiment: does the host's wait for a
  // core come from its own program or from the rest of the machine? docs/performance.md).
  if (process.env.BENCH_RUNNER_NICE) setPriority(session.pid, Number(process.env.BENCH_RUNNER_NICE));
  void session.exited.then((exit) => {
    if (Number.isNaN(stopAt)) {
      process.stderr.write(`block-host: ${file} ended before it was stopped (${exit.code ?? exit.signal})\n${stderr.slice(-2000)}\n`);
      process.exit(1);
    }
  });
}

void start();
