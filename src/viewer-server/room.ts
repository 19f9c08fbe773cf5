/**
 * What the viewer server shows under one URL: a scene file's session, as the host sees it.
 * The host (the extension, a test) implements it; the server knows nothing of VS Code.
 */
import type { FromViewerMessage } from "../protocol/viewer.js";
import type { ScenePipeline } from "../scene/pipeline.js";
import type { AssetFolders } from "../viewer/asset-files.js";

export interface RoomScene {
  /** The session's pipeline: each browser viewer gets a feed of it. */
  pipeline: ScenePipeline;
}

export interface Room {
  /** Shown in the page's title and in log lines. */
  readonly title: string;
  /** The program's folders: its own files are served under the room's files/ (none when absent). */
  readonly assets?: AssetFolders;
  /** The scene to show now; undefined while none exists (the page shows an empty scene). */
  current(): RoomScene | undefined;
  /**
   * A viewer message for the session (events, warnings, stats, screenshots...). `ready` and
   * `applied` are the server's own; a gizmo drag's pose already reached the store.
   */
  onMessage(m: FromViewerMessage): void;
}
