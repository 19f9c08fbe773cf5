/**
 * What the viewer server shows under one URL: a scene file's session, as the host sees it.
 * The host (the extension, a test) implements it; the server knows nothing of VS Code.
 */
import type { FromViewerMessage, ToViewerMessage } from "../protocol/viewer.js";
import type { ScenePipeline, ViewerFeed } from "../scene/pipeline.js";
import type { AssetFolders } from "../viewer/asset-files.js";

/** One tab's timeline strip over the session's recording (the host's TimelineFeed). */
export interface TabTimeline {
  /** The tab loaded: it starts at the present and gets `timeline` posts. */
  pageReady(): void;
  /** The tab's strip moved: show the scene at `at` ms (null: the present) on this tab only. */
  seek(at: number | null, epoch?: number): void;
  /** Whether one of the run's tasks was created in `file` (a span click may open only those). */
  knowsFile(file: string): boolean;
  dispose(): void;
}

export interface RoomScene {
  /** The session's pipeline: each browser viewer gets a feed of it. */
  pipeline: ScenePipeline;
  /** A timeline for one tab, its seeks shown on `feed` only; absent: the tab has no strip (no recording). */
  timeline?(feed: ViewerFeed, post: (m: ToViewerMessage) => void): TabTimeline;
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
   * `applied` are the server's own; a gizmo drag's pose already reached the store; an
   * `openSource` comes only for a file of the run's tasks inside `assets.root` (source-link.ts).
   */
  onMessage(m: FromViewerMessage): void;
}
