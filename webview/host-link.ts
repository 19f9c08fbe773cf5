/**
 * The only channel to the host: `acquireVsCodeApi().postMessage` out and
 * window "message" events in. In a plain page without the VS Code API, messages
 * go to the parent frame (if any) and are kept in `window.__sceneViewerOutbox`.
 */
import type { FromViewerMessage, ToViewerMessage } from "../src/protocol/viewer.js";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    __sceneViewerOutbox?: FromViewerMessage[];
  }
}

const KINDS = new Set(["scene", "snapshot", "session", "rpc"]);

export class HostLink {
  private readonly api: VsCodeApi | null;
  readonly inVsCode: boolean;

  constructor() {
    this.api = typeof window.acquireVsCodeApi === "function" ? window.acquireVsCodeApi() : null;
    this.inVsCode = this.api !== null;
  }

  post(m: FromViewerMessage): void {
    if (this.api) return this.api.postMessage(m);
    (window.__sceneViewerOutbox ??= []).push(m);
    if (window.parent !== window) window.parent.postMessage(m, "*");
  }

  /** Calls `fn` for every host message that looks like a ToViewerMessage; others are ignored. */
  listen(fn: (m: ToViewerMessage) => void): () => void {
    const handler = (e: MessageEvent) => {
      const d = e.data as { t?: unknown } | null;
      if (d && typeof d === "object" && typeof d.t === "string" && KINDS.has(d.t)) fn(d as ToViewerMessage);
    };
    window.addEventListener("message", handler);
    return () => window.removeEventListener("message", handler);
  }
}
