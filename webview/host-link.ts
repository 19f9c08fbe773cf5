/**
 * The only channel to the host: `acquireVsCodeApi().postMessage` out and
 * window "message" events in. In a plain page without the VS Code API, messages
 * go to the parent frame (if any) and are kept in `window.__sceneViewerOutbox`.
 */
import { entryOf } from "../src/protocol/descriptors.js";
import { TO_VIEWER, validateToViewer, type FromViewerMessage, type ToViewerMessage } from "../src/protocol/viewer.js";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    __sceneViewerOutbox?: FromViewerMessage[];
  }
}

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

  /**
   * Calls `fn` with every host message, validated. Window traffic that is not a host message
   * (no known `t`) is ignored; a host message that fails its check goes to `invalid`.
   */
  listen(fn: (m: ToViewerMessage) => void, invalid: (reason: string) => void): () => void {
    const handler = (e: MessageEvent) => {
      const d = e.data as { t?: unknown } | null;
      if (!d || typeof d !== "object" || typeof d.t !== "string" || !entryOf(TO_VIEWER, d.t)) return;
      let m: ToViewerMessage;
      try {
        m = validateToViewer(d);
      } catch (err) {
        invalid((err as Error).message);
        return;
      }
      fn(m);
    };
    window.addEventListener("message", handler);
    return () => window.removeEventListener("message", handler);
  }
}
