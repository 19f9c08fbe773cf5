/**
 * The one base class for the extension's webview panels: typed messages both
 * ways (a discriminated union on `t`), validation at the edge before a handler
 * sees anything, errors in a handler logged rather than lost, and one
 * disposable bag that goes when the panel goes.
 */
import * as vscode from "vscode";
import { errorText, log } from "../output/extension-log.js";

export interface TaggedMessage {
  t: string;
}

export abstract class WebviewBase<ToView extends TaggedMessage, FromView extends TaggedMessage> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the panel is closed or disposed. */
  readonly onDidDispose = this.disposeEmitter.event;

  private lastTitle: string;

  constructor(readonly panel: vscode.WebviewPanel) {
    this.lastTitle = panel.title;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => this.onViewState(e.webviewPanel.visible)),
    );
  }

  /**
   * The panel's title for logs and keys. Readable after VS Code disposed the panel, whose own
   * `title` then throws ("Webview is disposed"): a late postMessage answer still names its panel.
   */
  get title(): string {
    try {
      this.lastTitle = this.panel.title;
    } catch {
      // disposed: the last title seen
    }
    return this.lastTitle;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Checks a raw message from the page; throws on anything that is not a FromView. */
  protected abstract parse(raw: unknown): FromView;
  protected abstract onMessage(message: FromView): void;
  /** The panel was shown or hidden (a hidden panel's page is unloaded; it reloads when shown). */
  protected onVisibilityChanged(_visible: boolean): void {}

  /** Posts without awaiting: a postMessage promise may never settle for a page being torn down. */
  protected post(message: ToView): void {
    if (this.disposed) return;
    let sent: Thenable<boolean>;
    try {
      sent = this.panel.webview.postMessage(message);
    } catch {
      // The user closed the panel and VS Code disposed it before our onDidDispose ran.
      return;
    }
    sent.then(
      (delivered) => delivered || log.trace(`${this.title}: "${message.t}" not delivered (page not loaded)`),
      (e: unknown) => log.warn(`${this.title}: posting "${message.t}" failed: ${errorText(e)}`),
    );
  }

  private lastVisible: boolean | undefined;
  private onViewState(visible: boolean): void {
    // The event also fires for focus and column moves: only visibility matters here.
    if (visible === this.lastVisible) return;
    this.lastVisible = visible;
    this.onVisibilityChanged(visible);
  }

  private receive(raw: unknown): void {
    let message: FromView;
    try {
      message = this.parse(raw);
    } catch (e) {
      log.warn(`${this.title}: ignored a malformed message from the page: ${errorText(e)}`);
      return;
    }
    try {
      this.onMessage(message);
    } catch (e) {
      log.error(`${this.title}: handling "${message.t}" failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Closes the panel. `release()` instead keeps it open (a window reload restores it). */
  dispose(): void {
    this.release();
    this.panel.dispose();
  }

  /** Stops listening and frees everything but the panel itself. */
  release(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    // Pop in reverse: later registrations may depend on earlier ones.
    while (this.disposables.length) this.disposables.pop()!.dispose();
  }
}
