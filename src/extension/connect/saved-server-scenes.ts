/**
 * The last scene of each connected server, kept in the workspace state so that a window reload
 * shows it at once, before (or without) the server: the server's new session replaces it with
 * its own SET. Stored as one JSON line per address (typed arrays survive as typed arrays); a
 * scene past the size limit is not kept (a reload must not stall on megabytes).
 */
import type * as vscode from "vscode";
import { fromJsonLine, toJsonLine } from "../../protocol/jsonl.js";
import type { SceneNode } from "../../protocol/scene.js";
import { binaryBytes } from "../../scene/pipeline.js";

const KEY = "sceneRunner.vuerServerScenes";
const MAX_SCENE_CHARS = 2_000_000;

export class SavedServerScenes {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(KEY) ?? {};
  }

  get(url: string): SceneNode | undefined {
    const line = this.all()[url];
    if (typeof line !== "string") return undefined;
    try {
      return fromJsonLine(line) as SceneNode;
    } catch {
      return undefined; // saved by another version in another shape: the server resends it anyway
    }
  }

  async save(url: string, scene: SceneNode | null): Promise<void> {
    const line = scene && (binaryBytes(scene) * 4) / 3 <= MAX_SCENE_CHARS ? toJsonLine(scene) : null;
    const all = this.all();
    if (line !== null && line.length <= MAX_SCENE_CHARS) all[url] = line;
    else delete all[url];
    await this.state.update(KEY, all);
  }

  async delete(url: string): Promise<void> {
    const all = this.all();
    if (!(url in all)) return;
    delete all[url];
    await this.state.update(KEY, all);
  }
}
