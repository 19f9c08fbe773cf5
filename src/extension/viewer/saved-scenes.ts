/**
 * What a viewer panel needs to come back after a window reload: which file it
 * showed and the last scene. Kept in the workspace state by panel title (the
 * title is what VS Code restores with the panel; the page itself keeps no state).
 * Big scenes are saved without their contents: a reload must not stall on megabytes.
 */
import type * as vscode from "vscode";
import { fromJsonLine, toJsonLine } from "../../protocol/jsonl.js";
import { binaryBytes } from "../../scene/pipeline.js";
import type { SceneNode } from "../../protocol/scene.js";
import type { StaticScene } from "./viewer-panel.js";

const KEY = "sceneRunner.viewerPanels";
const MAX_SCENE_CHARS = 2_000_000;

export interface SavedPanel extends StaticScene {
  file: string;
  title: string;
  savedAt: number;
}

/**
 * As stored: the scene as one JSON line, so point clouds and meshes (typed arrays)
 * come back as typed arrays; plain JSON would turn them into {"0":..,"1":..} objects.
 */
interface StoredPanel extends Omit<SavedPanel, "scene"> {
  sceneLine: string | null;
}

export class SavedScenes {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, StoredPanel> {
    return this.state.get<Record<string, StoredPanel>>(KEY) ?? {};
  }

  get(title: string): SavedPanel | undefined {
    const stored = this.all()[title];
    if (!stored) return undefined;
    const { sceneLine, ...rest } = stored;
    let scene: SceneNode | null = null;
    try {
      scene = typeof sceneLine === "string" ? (fromJsonLine(sceneLine) as SceneNode) : null;
    } catch {
      // Saved by an older version in another shape: restore the panel without its scene.
    }
    return { ...rest, scene };
  }

  async save(file: string, title: string, scene: StaticScene): Promise<void> {
    // A scene whose typed arrays alone are past the limit is not encoded at all (a point cloud
    // would be base64'd on the host thread every few seconds only to be thrown away); otherwise
    // one encoding gives both the exact size check and what is stored.
    const line = scene.scene !== null && (binaryBytes(scene.scene) * 4) / 3 <= MAX_SCENE_CHARS ? toJsonLine(scene.scene) : null;
    const entry: StoredPanel = { file, title, sceneLine: line !== null && line.length <= MAX_SCENE_CHARS ? line : null, session: scene.session, savedAt: Date.now() };
    await this.state.update(KEY, { ...this.all(), [title]: entry });
  }

  async delete(title: string): Promise<void> {
    const all = this.all();
    if (!(title in all)) return;
    delete all[title];
    await this.state.update(KEY, all);
  }
}

