/**
 * Where a Node runner's messages go: straight onto the pipe, except that while the host is
 * behind, scene messages are folded by a SceneCoalescer instead of queueing (the same one the
 * host uses toward its viewers: newer props of a node merge into older ones, structural
 * messages are never dropped or reordered). Memory stays bounded whatever the program does;
 * the viewer still ends with exactly the program's scene.
 *
 * "Behind" is told by the host's PIPE_ACKs (src/protocol/runner.ts): a scene update goes out
 * at once while fewer than WINDOW_FRAMES of this runner's frames are untaken; otherwise it is
 * held, and what is held goes out, folded, at the next ack (each ack is one turn of the host's
 * reading done). So the host is never handed an update that waited behind stale ones in the
 * pipe. Only for viewer sessions: a headless `run --events` records every message as produced.
 */
import { isBarrier, type RunnerToHost } from "../../protocol/runner.js";
import { isSceneMessage, type SceneMessage, type SceneNode } from "../../protocol/scene.js";
import { SceneCoalescer } from "../../scene/coalescer.js";
import { nestedKeyClash, SceneStore } from "../../scene/scene-store.js";
import type { Channel } from "../channel.js";

/**
 * Frames sent and not yet taken by the host past which scene updates are held. Two: one the host
 * is reading while the next waits in the pipe, so the host never waits for the runner either.
 */
export const WINDOW_FRAMES = 2;

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

  constructor(
    private readonly channel: Channel<unknown, RunnerToHost>,
    private readonly coalesce: boolean,
  ) {
    if (coalesce) channel.takeAcks(() => this.flush());
  }

  /** Whether this runner paces its scene by the host's acks: its SESSION_START says so (`acks`). */
  get acks(): boolean {
    return this.coalesce;
  }

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
    if (this.coalescer.pending || this.channel.untakenFrames >= WINDOW_FRAMES) this.coalescer.push(m);
    else this.channel.send(m);
  }

  /** Sends whatever the coalescer holds (at an ack, and before a barrier). */
  flush(): void {
    if (!this.coalescer.pending) return;
    for (const m of this.coalescer.drain()) this.channel.send(m);
  }

  get stats() {
    return this.coalescer.stats;
  }
}
