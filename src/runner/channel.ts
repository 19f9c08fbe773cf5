/**
 * The runner pipe as a typed connection over any duplex byte stream: frames
 * out, frames in, each incoming message validated before anyone sees it.
 * Transport (the socket) is kept apart from the vocabulary, as in
 * vscode-languageserver's MessageReader/MessageWriter.
 */
import type { Duplex } from "node:stream";
import { encodeFrame, FrameReader, textFrameBound, textOnlyJson, writeTextFrame } from "../protocol/frames.js";
import { HOST_TO_RUNNER, PIPE_ACK, type PipeAckMessage } from "../protocol/runner.js";
import { isRecord } from "../protocol/validate.js";

/** Past this many queued bytes a batch is written at once (a point cloud need not wait for the turn to end). */
const FLUSH_BYTES = 1 << 20;
/**
 * How long incoming frames may be handled in one go before reading pauses for a turn of the
 * event loop. Node hands a socket's data over in 64 KB chunks, up to 32 of them per poll with
 * no turn in between; on the extension host a program streaming big scene messages would
 * otherwise hold the thread (and a Stop click behind it) for as long as it keeps the pipe full.
 * Paused, acks wait and the runner coalesces (see node/scene-sink.ts).
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
  /**
   * Flow control (PIPE_ACK, src/protocol/runner.ts): frames written (one per send), frames read
   * (every frame, malformed ones too, so the two ends count alike), and frames the peer said it
   * has taken. The host side acks (sendAcks), the runner side takes acks (takeAcks).
   */
  private framesSent = 0;
  private framesRead = 0;
  private framesAcked = 0;
  private acking = false;
  private lastAckSent = 0;
  private onAck: (() => void) | undefined;
  /**
   * A write failed (EPIPE: the peer has exited): nothing more is written. The stream is not
   * destroyed for it (see keepReadingPastWriteErrors): what the peer wrote before it went is
   * still read to the end.
   */
  private writeFailed = false;
  /** The peer ended its writing: it takes no more acks (there is nothing left for them to pace). */
  private peerEnded = false;
  /** Set while salvage() reads the stream: a chunk it is handed is the reader's once, not also by "data". */
  private salvaging = false;

  constructor(
    private readonly stream: Duplex,
    validate: (x: unknown) => In,
    handlers: ChannelHandlers<In>,
  ) {
    this.reader = new FrameReader((raw, body) => {
      this.framesRead++;
      if (this.onAck && isRecord(raw) && raw.etype === PIPE_ACK) return this.takeAck(raw, handlers.invalid);
      let m: In;
      try {
        m = validate(raw);
      } catch (e) {
        handlers.invalid(e as Error);
        return;
      }
      try {
        handlers.message(m, body);
      } catch (e) {
        // Reported as before (the reader would report it), but here: the reader's error path counts a frame.
        handlers.invalid(e as Error);
      }
    }, (e) => {
      this.framesRead++; // a frame that did not decode: taken all the same
      handlers.invalid(e);
    });
    keepReadingPastWriteErrors(stream, () => (this.writeFailed = true));
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("end", () => (this.peerEnded = true));
    // A peer that died shows up as close. A read error (ECONNRESET: the peer closed with our
    // last writes unread, e.g. an ack) destroys the stream with what it had read and not yet
    // handed over (it was paused between slices): taken here, they are the peer's last frames.
    stream.on("error", () => this.salvage());
    stream.on("close", () => {
      this.closed = true;
      this.salvage();
      // Frames a slice left for later are the peer's all the same (its last ones, often).
      this.reader.drain();
      handlers.close?.();
    });
  }

  /** Hands the reader what the stream holds read but not emitted (it was paused, then destroyed). */
  private salvage(): void {
    this.salvaging = true;
    try {
      // Frames are left in the reader, after those a slice left: the close handler drains them all, in order.
      for (let chunk: Buffer | null; (chunk = this.stream.read() as Buffer | null) !== null; ) this.reader.push(chunk, () => true);
    } finally {
      this.salvaging = false;
    }
  }

  private receive(chunk: Buffer): void {
    if (this.salvaging) return;
    if (Number.isNaN(this.sliceStart)) {
      this.sliceStart = performance.now();
      setImmediate(this.endSlice); // the loop's next turn ends this run of reading
    }
    // Checked frame by frame: a 64 KB chunk of TASK_BATCH columns holds over a thousand task
    // reports, tens of milliseconds of the host's work.
    const left = this.reader.push(chunk, this.sliceOver);
    if (!this.paused && (left || this.sliceOver())) {
      // Enough for one turn: timers, other sessions and the user's clicks go first, then reading goes on.
      this.paused = true;
      this.stream.pause();
    }
  }

  private readonly sliceOver = (): boolean => performance.now() - this.sliceStart > READ_SLICE_MS;

  /**
   * Handles at once every whole frame a reading slice left for later turns: before whoever
   * owns the stream treats it as ended (a child's "close" may come before this channel's own).
   */
  drainLeftovers(): void {
    this.reader.drain();
  }

  private readonly endSlice = (): void => {
    this.sliceStart = NaN;
    // Everything read in this turn has been handled: say so (one small frame per turn, not per frame).
    if (this.acking && this.framesRead > this.lastAckSent) this.sendAck();
    if (this.paused) {
      // Frames the last slice left come first, in slices of their own, before the stream reads on.
      this.sliceStart = performance.now();
      setImmediate(this.endSlice);
      if (this.reader.drain(this.sliceOver)) return;
      this.paused = false;
      this.stream.resume();
    }
  };

  /**
   * From now on, acknowledge the peer's frames once per turn of reading (the host, for a runner
   * that asked in its SESSION_START). Frames read before count too: the first ack covers them.
   */
  sendAcks(): void {
    this.acking = true;
    if (Number.isNaN(this.sliceStart) && this.framesRead > this.lastAckSent) this.sendAck();
  }

  private sendAck(): void {
    if (this.peerEnded || this.writeFailed) return;
    this.lastAckSent = this.framesRead;
    const ack: PipeAckMessage = { etype: PIPE_ACK, ts: Date.now(), frames: this.framesRead };
    this.send(ack as Out);
  }

  /**
   * From now on, PIPE_ACK frames from the peer are flow control for this side (the runner's):
   * they update untakenFrames, call `onAck`, and never reach the message handler.
   */
  takeAcks(onAck: () => void): void {
    this.onAck = onAck;
  }

  private takeAck(raw: Record<string, unknown>, invalid: (e: Error) => void): void {
    let ack: PipeAckMessage;
    try {
      ack = HOST_TO_RUNNER.PIPE_ACK.validate(raw);
    } catch (e) {
      invalid(e as Error);
      return;
    }
    // A count never goes back, and never past what was sent (a confused peer cannot open the window wider).
    this.framesAcked = Math.min(this.framesSent, Math.max(this.framesAcked, ack.frames));
    this.onAck?.();
  }

  /** Frames sent that the peer has not yet said it took (with takeAcks; else every frame sent). */
  get untakenFrames(): number {
    return this.framesSent - this.framesAcked;
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

  /**
   * Sends a message. The first message is written at once (so a program that
   * then blocks in a busy loop has still reported it); what follows in the same
   * burst of microtasks (100,000 tasks resumed by one loop turn) is batched into
   * one write when the burst ends: a handful of syscalls, not 100,000.
   */
  send(message: Out): boolean {
    if (this.closed || this.writeFailed || this.stream.destroyed || this.stream.writableEnded) return false;
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
      this.framesSent++; // counted once written: a message that failed to encode is no frame the peer will ack
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
    this.framesSent++;
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
    if (this.writeFailed) {
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.stream.write(data);
  }

  /**
   * Ends this side's writing; resolves once every frame is handed to the stream (in the
   * kernel's buffer, which outlives this process: the peer reads it after we exit). It does not
   * wait for the peer to take them: a Stop's grace must not wait on how far behind the host is.
   */
  end(): Promise<void> {
    this.flush();
    if (this.closed || this.stream.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => this.stream.end(resolve));
  }
}

/**
 * A failed write must not take the reading side with it. A net.Socket destroys itself on a
 * write error, and with it whatever it has not read yet: a host that acks a runner which has
 * just exited (EPIPE) lost the runner's last frames, its SESSION_END among them. Here the
 * stream's own write calls report errors to `failed` instead, and the stream reads on to the
 * peer's end. (A write error says only that the peer reads no more; nothing written after it
 * can arrive, so nothing is lost by not raising it.)
 */
function keepReadingPastWriteErrors(stream: Duplex, failed: () => void): void {
  type WriteFn = (...args: unknown[]) => void;
  const s = stream as unknown as Record<"_write" | "_writev", WriteFn | undefined>;
  for (const name of ["_write", "_writev"] as const) {
    const write = s[name];
    if (typeof write !== "function") continue;
    s[name] = function (this: unknown, ...args: unknown[]) {
      const done = args.pop() as (e?: Error | null) => void;
      write.call(this, ...args, (e?: Error | null) => {
        if (e) failed();
        done();
      });
    };
  }
}
