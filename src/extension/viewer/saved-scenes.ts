/**
 * What a viewer panel needs to come back after a window reload: which file it
 * showed and the last scene. Kept in the workspace state by panel title (the
 * title is what VS Code restores with the panel; the page itself keeps no state).
 * Big scenes are saved without their contents: a reload must not stall on megabytes.
 */
import type * as vscode from "vscode";
import type { StaticScene } from "./viewer-panel.js";

const KEY = "sceneRunner.viewerPanels";
const MAX_SCENE_CHARS = 2_000_000;

export interface SavedPanel extends StaticScene {
  file: string;
  title: string;
  savedAt: number;
}

export class SavedScenes {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, SavedPanel> {
    return this.state.get<Record<string, SavedPanel>>(KEY) ?? {};
  }

  get(title: string): SavedPanel | undefined {
    return this.all()[title];
  }

  async save(file: string, title: string, scene: StaticScene): Promise<void> {
    const fits = scene.scene !== null && JSON.stringify(scene.scene).length <= MAX_SCENE_CHARS;
    const entry: SavedPanel = { file, title, scene: fits ? scene.scene : null, session: scene.session, savedAt: Date.now() };
    await this.state.update(KEY, { ...this.all(), [title]: entry });
  }

  async delete(title: string): Promise<void> {
    const all = this.all();
    if (!(title in all)) return;
    delete all[title];
    await this.state.update(KEY, all);
  }
}
