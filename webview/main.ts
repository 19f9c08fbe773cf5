/**
 * Entry of the viewer bundle (dist/webview.js). Runs in a VS Code webview or
 * in any plain page with a #scene-viewer element (or <body>).
 */
import type { Axis } from "./gizmo.js";
import { HostLink } from "./host-link.js";
import { Viewer, type ViewerOptions } from "./viewer.js";

declare global {
  interface Window {
    /** Set before the script loads to change options (tests, benchmarks). */
    __sceneViewerOptions?: ViewerOptions;
    /** Read-only introspection for tests and debugging. */
    __sceneViewer?: ReturnType<typeof debugHook>;
  }
}

function debugHook(v: Viewer) {
  return Object.freeze({
    getNode: (key: string) => v.mirror.describe(key),
    keys: () => [...v.mirror.store.walk()].slice(1).map((n) => n.key),
    selected: () => v.selection.key,
    stats: () => v.stats(),
    idle: () => v.idle(),
    png: (downsample?: number) => v.png(downsample),
    measureFrames: (n: number) => v.measureFrames(n),
    camera: () => v.interaction.cameraValue(),
    /** Where the axes gizmo draws an axis bubble (client pixels), and whether it is still swinging. */
    gizmoAxis: (axis: Axis) => v.gizmo.axisPoint(axis),
    gizmoAnimating: () => v.gizmo.animating,
  });
}

function start(): void {
  const container = document.getElementById("scene-viewer") ?? document.body;
  const link = new HostLink();
  const query = new URLSearchParams(location.search);
  const options: ViewerOptions = { ...window.__sceneViewerOptions };
  if (query.get("instancing") === "off") options.instancing = false;
  let viewer: Viewer;
  try {
    viewer = new Viewer(container, link, options);
  } catch (e) {
    container.textContent = `The 3D viewer could not start: ${(e as Error).message} (WebGL 2 is required).`;
    container.classList.add("sr-error");
    link.post({ t: "warning", message: `viewer could not start: ${(e as Error).message}` });
    return;
  }
  window.__sceneViewer = debugHook(viewer);
  link.post({ t: "ready" });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
