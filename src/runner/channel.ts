/**
 * The runner pipe as a typed connection over any duplex byte stream: frames
 * out, frames in, each incoming message validated before anyone sees it.
 * Transport (the socket) is kept apart from the vocabulary, as in
 * vscode-languageserver's MessageReader/MessageWriter.
 */
import type { Duplex } from "node:stream";
import { encodeFrame, FrameReader } from "../protocol/frames.js";

export interface ChannelHandlers<In> {
  message(m: In): void;
  /** A frame that failed to decode or validate: reported, skipped, the stream goes on. */
  invalid(e: Error): void;
  close?(): void;
}

export class Channel<In, Out> {
  private readonly reader: FrameReader;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    validate: (x: unknown) => In,
    handlers: ChannelHandlers<In>,
  ) {
    this.reader = new FrameReader((raw) => {
      let m: In;
      try {
        m = validate(raw);
      } catch (e) {
        handlers.invalid(e as Error);
        return;
      }
      handlers.message(m);
    }, handlers.invalid);
    stream.on("data", (chunk: Buffer) => this.reader.push(chunk));
    stream.on("error", () => {}); // a peer that died shows up as close
    stream.on("close", () => {
      this.closed = true;
      handlers.close?.();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(message: Out): boolean {
    if (this.closed || this.stream.destroyed) return false;
    const parts = encodeFrame(message);
    this.stream.cork();
    for (const p of parts) this.stream.write(p);
    this.stream.uncork();
    return true;
  }

  /** Resolves once everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    if (this.closed || this.stream.destroyed || !this.stream.writableLength) return Promise.resolve();
    return new Promise((resolve) => this.stream.once("drain", resolve));
  }

  end(): Promise<void> {
    if (this.closed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
