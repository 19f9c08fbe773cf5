/**
 * Whether a view is on screen, for work done only for it: a recording's editor builds the Scene
 * view's copy of the moment it shows only while the Scene view is visible, and again once it
 * comes back (`onShown`). No vscode here: the view's owner says when it changes.
 */
export class ViewShown {
  private shown = false;
  private readonly listeners = new Set<() => void>();

  get visible(): boolean {
    return this.shown;
  }

  /** The view's owner: it is (or is no longer) on screen. Listeners hear only of its coming back. */
  set(visible: boolean): void {
    const back = visible && !this.shown;
    this.shown = visible;
    if (back) for (const fn of [...this.listeners]) fn();
  }

  /** Calls `fn` each time the view comes back on screen; the returned function stops that. */
  onShown(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** The Scene view's (set by the SceneOutliner). */
export const sceneViewShown = new ViewShown();
