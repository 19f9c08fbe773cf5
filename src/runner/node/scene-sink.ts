/**
 * Where a Node runner's messages go: straight onto the pipe, except that while
 * the pipe is backed up (the host reads slower than the program upserts),
 * scene messages are folded by a SceneCoalescer instead of piling up in the
 * write buffer. Memory stays bounded whatever the program does; the viewer
 * still ends with exactly the program's scene. Only for viewer sessions: a
 * headless `run --events` records every message as produced.
 */
import { isBarrier, type RunnerToHost } from "../../protocol/runner.js";
import { isSceneMessage, type SceneMessage, type SceneNode } from "../../protocol/scene.js";
import { SceneCoalescer } from "../../scene/coalescer.js";
import { nestedKeyClash, SceneStore } from "../../scene/scene-store.js";
import type { Channel } from "../channel.js";

/** Past this many unsent bytes the pipe counts as backed up. */
const BACKED_UP_BYTES = 1 << 20;

/** Why a scene message cannot be applied as one piece (nested nodes sharing a key), or undefined. */
export function sceneMessageClash(m: SceneMessage): string | undefined {
  if (m.etype === "SET") return nestedKeyClash(m.data);
  if (m.etype === "REMOVE") return undefined;
  for (const node of m.data.nodes) {
    const clash = nestedKeyClash(node as SceneNode);
    if (clash) return clash;
  }
  return undefined;
}

export class SceneSink {
  private readonly store = new SceneStore();
  private readonly coalescer = new SceneCoalescer(() => this.store.snapshot());
  private waitingForDrain = false;

  constructor(
    private readonly channel: Channel<unknown, RunnerToHost>,
    private readonly coalesce: boolean,
  ) {}

  send(m: RunnerToHost): void {
    if (isSceneMessage(m)) {
      // A tree that names two of its nodes alike is refused here, where the program can be
      // told which call it was; the session goes on.
      const clash = sceneMessageClash(m);
      if (clash) {
        process.stderr.write(`scene-runner: ${m.etype} dropped: ${clash}\n`);
        return;
      }
    }
    if (!this.coalesce || !isSceneMessage(m)) {
      // GRAB_RENDER and SESSION_END wait for the scene sent before them; other messages
      // (task states, logs) may overtake held scene updates.
      if (isBarrier(m.etype)) this.flush();
      this.channel.send(m);
      return;
    }
    // The runner keeps the scene too: an overflowing coalescer is replaced by one SET of it.
    try {
      this.store.apply(m);
    } catch (e) {
      process.stderr.write(`scene-runner: ${m.etype} dropped: ${(e as Error)?.message ?? e}\n`);
      return;
    }
    if (this.coalescer.pending || this.channel.backlogBytes > BACKED_UP_BYTES) {
      this.coalescer.push(m);
      this.waitForDrain();
    } else {
      this.channel.send(m);
    }
  }

  /** Sends whatever the coalescer holds (before the session's last message). */
  flush(): void {
    for (const m of this.coalescer.drain()) this.channel.send(m);
  }

  private waitForDrain(): void {
    if (this.waitingForDrain) return;
    this.waitingForDrain = true;
    this.channel.onceDrained(() => {
      this.waitingForDrain = false;
      this.flush();
    });
  }

  get stats() {
    return this.coalescer.stats;
  }
}
