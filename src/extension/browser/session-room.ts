/**
 * A scene file as the viewer server serves it: the file's newest session (a re-run replaces
 * it, as it replaces the panel's), its folder's files as the panel reads them, and the tab's
 * events handed to the program as the panel hands them.
 */
import * as vscode from "vscode";
import type { FromViewerMessage } from "../../protocol/viewer.js";
import type { Room, RoomScene } from "../../viewer-server/room.js";
import type { AssetFolders } from "../../viewer/asset-files.js";
import { log } from "../output/extension-log.js";
import type { HostSession } from "../sessions/host-session.js";
import { tabTimeline } from "../viewer/timeline-feed.js";

export class SessionRoom implements Room {
  constructor(
    readonly file: string,
    readonly title: string,
    readonly assets: AssetFolders,
    /** The file's newest session, live or finished; undefined when it has none (yet). */
    private readonly latest: () => HostSession | undefined,
  ) {}

  current(): RoomScene | undefined {
    const s = this.latest();
    // Each tab scrubs on its own: its seeks show the past on its feed, not on the panel.
    return s && !s.restored ? { pipeline: s.pipeline, timeline: (feed, post) => tabTimeline(s, feed, post) } : undefined;
  }

  onMessage(m: FromViewerMessage): void {
    const s = this.latest();
    switch (m.t) {
      case "event":
        // Clicks, camera moves, gizmo drags, widget values and render answers belong to the program.
        s?.sendEvent(m.event);
        return;
      case "warning":
        log.warn(`browser viewer of ${this.title}: ${m.message}${m.key !== undefined ? ` (node "${m.key}")` : ""}`);
        return;
      case "stats":
        log.trace(`browser viewer of ${this.title}: ${m.fps} fps, ${m.nodes} nodes`);
        return;
      case "openSource":
        // A span clicked in the tab: its task's source opens here, in VS Code, as from the panel.
        // The socket let through only a file of the run's tasks inside the program's workspace.
        void vscode.commands.executeCommand("sceneRunner.openLocation", m.file, m.line, m.column);
        return;
      default:
        // rerun, screenshot: a browser tab offers neither (they act on this window's files).
        return;
    }
  }
}
