/**
 * The runner pipe as a typed connection over any duplex byte stream: frames
 * out, frames in, each incoming message validated before anyone sees it.
 * Transport (the socket) is kept apart from the vocabulary, as in
 * vscode-languageserver's MessageReader/MessageWriter.
 */
import type { Duplex } from "node:stream";
import { encodeFrame, FrameReader, textFrameBound, textOnlyJson, writeTextFrame } from "../protocol/frames.js";

/** Past this many queued bytes a batch is written at once (a point cloud need not wait for the turn to end). */
const FLUSH_BYTES = 1 << 20;
/**
 * How long incoming frames may be handled in one go before reading pauses for a turn of the
 * event loop. Node hands a socket's data over in 64 KB chunks, up to 32 of them per poll with
 * no turn in between; on the extension host a program streaming big scene messages would
 * otherwise hold the thread (and a Stop click behind it) for as long as it keeps the pipe full.
 * Paused, the pipe fills and the runner coalesces (see node/scene-sink.ts).
 */
const READ_SLICE_MS = 10;
/** Smallest arena the frames of one batch are written into. */
const ARENA_BYTES = 64 * 1024;

export interface ChannelHandlers<In> {
  /** `frame`: the message's frame body as it arrived (valid only during the call). */
  message(m: In, frame: Buffer): void;
  /** A frame that failed to decode or validate: reported, skipped, the stream goes on. */
  invalid(e: Error): void;
  close?(): void;
}

export class Channel<In, Out> {
  private readonly reader: FrameReader;
  private closed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /**
   * The frames of blob-less messages (task reports, logs) are written one after another into
   * this arena, which becomes one pending chunk when a binary message or the batch's end
   * comes. A fresh arena per batch: the stream may still hold the last one.
   */
  private arena: Buffer | undefined;
  private arenaStart = 0;
  private arenaEnd = 0;
  /** True from a write until the microtasks queued with it have run. */
  private batching = false;
  /** When the current run of reading (since the loop last had a turn) began; NaN when none. */
  private sliceStart = NaN;
  private paused = false;

  constructor(
    private readonly stream: Duplex,
    validate: (x: unknown) => In,
    handlers: ChannelHandlers<In>,
  ) {
    this.reader = new FrameReader((raw, body) => {
      let m: In;
      try {
        m = validate(raw);
      } catch (e) {
        handlers.invalid(e as Error);
        return;
      }
      handlers.message(m, body);
    }, handlers.invalid);
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("error", () => {}); // a peer that died shows up as close
    stream.on("close", () => {
      this.closed = true;
      handlers.close?.();
    });
  }

  private receive(chunk: Buffer): void {
    if (Number.isNaN(this.sliceStart)) {
      this.sliceStart = performance.now();
      setImmediate(this.endSlice); // the loop's next turn ends this run of reading
    }
    this.reader.push(chunk);
    if (!this.paused && performance.now() - this.sliceStart > READ_SLICE_MS) {
      // Enough for one turn: timers, other sessions and the user's clicks go first, then reading goes on.
      this.paused = true;
      this.stream.pause();
    }
  }

  private readonly endSlice = (): void => {
    this.sliceStart = NaN;
    if (this.paused) {
      this.paused = false;
      this.stream.resume();
    }
  };

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
    const json = textOnlyJson(message);
    if (!this.batching) {
      this.batching = true;
      queueMicrotask(() => this.flush());
      if (json !== undefined) {
        const frame = Buffer.allocUnsafe(textFrameBound(json));
        this.stream.write(frame.subarray(0, writeTextFrame(frame, 0, json)));
      } else {
        const parts = encodeFrame(message);
        this.stream.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      }
      return true;
    }
    if (json !== undefined) {
      this.pendingBytes += this.frameInArena(json);
    } else {
      this.closeArena();
      for (const part of encodeFrame(message)) {
        this.pending.push(part);
        this.pendingBytes += part.length;
      }
    }
    if (this.pendingBytes > FLUSH_BYTES) this.writePending();
    return true;
  }

  /** Writes a text frame at the arena's end (a new arena when it does not fit); returns its length. */
  private frameInArena(json: string): number {
    const need = textFrameBound(json);
    if (!this.arena || this.arena.length - this.arenaEnd < need) {
      this.closeArena();
      this.arena = Buffer.allocUnsafe(Math.max(ARENA_BYTES, need));
      this.arenaStart = this.arenaEnd = 0;
    }
    const at = this.arenaEnd;
    this.arenaEnd = writeTextFrame(this.arena, at, json);
    return this.arenaEnd - at;
  }

  /** Hands the arena's frames so far to the pending list (in order with what follows) and retires it. */
  private closeArena(): void {
    if (this.arena && this.arenaEnd > this.arenaStart) this.pending.push(this.arena.subarray(this.arenaStart, this.arenaEnd));
    this.arena = undefined;
    this.arenaStart = this.arenaEnd = 0;
  }

  /** Writes everything queued so far and ends the batching window. */
  flush(): void {
    this.batching = false;
    this.writePending();
  }

  private writePending(): void {
    this.closeArena();
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
