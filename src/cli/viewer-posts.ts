/**
 * Messages to the headless viewer, one after another in order (a page takes them one at a
 * time). A crash of the page is kept for the caller to end with; a failed post is one line,
 * unless the run is closing anyway. Shared by `snapshot` and `snapshot --connect`.
 */
import type { ToViewerMessage } from "../protocol/viewer.js";
import { ViewerCrashedError, type HeadlessViewer } from "../viewer/headless.js";

export class ViewerPosts {
  private chain: Promise<void> = Promise.resolve();
  private count = 0;
  /** The page died: nothing more is posted. */
  crash: ViewerCrashedError | undefined;
  /** The run is ending: a failed post is expected, not reported. */
  closing = false;

  constructor(private readonly say: (line: string) => void) {}

  post(viewer: HeadlessViewer | undefined, m: ToViewerMessage): void {
    if (!viewer || this.crash) return;
    this.count++;
    this.chain = this.chain
      .then(() => viewer.post(m))
      .catch((e: Error) => {
        if (e instanceof ViewerCrashedError) this.crash ??= e;
        else if (!this.closing) this.say(`could not send scene messages to the viewer: ${e.message}`);
      })
      .finally(() => this.count--);
  }

  /** Posts not yet taken by the page. */
  get inFlight(): number {
    return this.count;
  }

  /** Resolves once every post made so far is done. */
  settled(): Promise<void> {
    return this.chain;
  }
}
