/**
 * Terminal escape sequences out of a program's output. Output channels show text as it is, so
 * a coloured banner (vuer's, a logger's) would read as "\x1b[32m…"; colour and cursor codes are
 * dropped, the text kept. Streamed: a sequence split across two chunks is held back until its end
 * arrives (bounded, so a stray ESC never swallows the output). A stream that ends inside a
 * sequence loses only that sequence.
 */

/** CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), or a two-byte ESC sequence (ESC c, ESC 7…). */
const SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\^-~])/g;
/** A sequence begun at the end of a chunk and not finished there. */
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?$/;
/** Longest unfinished sequence held back; past that it is passed through as text. */
const MAX_HELD = 256;

/** `text` without escape sequences (a whole message, nothing held back). */
export function stripAnsi(text: string): string {
  return text.replace(SEQUENCE, "");
}

export class AnsiStripper {
  private held = "";

  /** The text of `chunk` without escape sequences; an unfinished one at its end waits for the next chunk. */
  write(chunk: string): string {
    let text = this.held + chunk;
    this.held = "";
    const tail = UNFINISHED.exec(text);
    if (tail && tail[0].length <= MAX_HELD) {
      this.held = tail[0];
      text = text.slice(0, tail.index);
    }
    return stripAnsi(text);
  }
}
