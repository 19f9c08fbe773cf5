/**
 * The runner pipe as a typed connection over any duplex byte stream: frames
 * out, frames in, each incoming message validated before anyone sees it.
 * Transport (the socket) is kept apart from the vocabulary, as in
 * vscode-languageserver's MessageReader/MessageWriter.
 */
import type { Duplex } from "node:stream";
import { encodeFrame, FrameReader } from "../protocol/frames.js";

/** Past this many queued bytes a batch is written at once (a point cloud need not wait for the turn to end). */
const FLUSH_BYTES = 1 << 20;

export interface ChannelHandlers<In> {
  message(m: In): void;
  /** A frame that failed to decode or validate: reported, skipped, the stream goes on. */
  invalid(e: Error): void;
  close?(): void;
}

export class Channel<In, Out> {
  private readonly reader: FrameReader;
  private closed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True from a write until the microtasks queued with it have run. */
  private batching = false;

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

  /** Bytes of a message that has started to arrive and is not whole yet. */
  get inboundBytes(): number {
    return this.reader.bufferedBytes;
  }

  /** Bytes sent but not yet taken by the peer (queued here or in the stream). */
  get backlogBytes(): number {
    return this.pendingBytes + this.stream.writableLength;
  }

  /** Calls fn once the stream has written out what it had queued. */
  onceDrained(fn: () => void): void {
    if (!this.stream.writableLength) queueMicrotask(fn);
    else this.stream.once("drain", fn);
  }

  /**
   * Sends a message. The first message is written at once (so a program that
   * then blocks in a busy loop has still reported it); what follows in the same
   * burst of microtasks (100,000 tasks resumed by one loop turn) is batched into
   * one write when the burst ends: a handful of syscalls, not 100,000.
   */
  send(message: Out): boolean {
    if (this.closed || this.stream.destroyed) return false;
    const parts = encodeFrame(message);
    if (!this.batching) {
      this.batching = true;
      queueMicrotask(() => this.flush());
      this.stream.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      return true;
    }
    for (const part of parts) {
      this.pending.push(part);
      this.pendingBytes += part.length;
    }
    if (this.pendingBytes > FLUSH_BYTES) this.writePending();
    return true;
  }

  /** Writes everything queued so far and ends the batching window. */
  flush(): void {
    this.batching = false;
    this.writePending();
  }

  private writePending(): void {
    if (!this.pending.length || this.closed || this.stream.destroyed) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.stream.write(data);
  }

  end(): Promise<void> {
    this.flush();
    if (this.closed || this.stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
