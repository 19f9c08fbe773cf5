/**
 * The scene program's own stdout and stderr: one output channel per scene file
 * ("Scene: cube.ts"), shared by its runs, each run opened by a header line so
 * two runs never blur together. Separate files get separate channels, so two
 * scenes running at once do not interleave.
 */
import { StringDecoder } from "node:string_decoder";
import * as vscode from "vscode";
import { AnsiStripper, stripAnsi } from "./ansi-stripper.js";

export class ProgramOutputs implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();

  /** The channel of `file`, created on first use. */
  channel(file: string, label: string): vscode.OutputChannel {
    let c = this.channels.get(file);
    if (!c) {
      c = vscode.window.createOutputChannel(`Scene: ${label}`);
      this.channels.set(file, c);
    }
    return c;
  }

  /** Forgets (and closes) the channel of a file no session refers to any more. */
  release(file: string): void {
    this.channels.get(file)?.dispose();
    this.channels.delete(file);
  }

  dispose(): void {
    for (const c of this.channels.values()) c.dispose();
    this.channels.clear();
  }
}

/**
 * Writes one run's output: a header, then the two streams decoded as UTF-8 (chunks may split
 * characters), terminal colour codes removed.
 */
export class RunOutput {
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private readonly escapes = { stdout: new AnsiStripper(), stderr: new AnsiStripper() };
  private atLineStart = true;

  constructor(readonly channel: vscode.OutputChannel) {}

  header(text: string): void {
    this.channel.appendLine(`${this.atLineStart ? "" : "\n"}──── ${text} ────`);
    this.atLineStart = true;
  }

  /** A line under the header saying how the run was set up ("python: /usr/bin/python3 …: why"). */
  detail(what: string, text: string): void {
    this.append(`${this.atLineStart ? "" : "\n"}  ${what}: ${text}\n`);
  }

  /** Text that is already decoded (a LOG message), kept apart from the byte streams' decoders. */
  text(text: string): void {
    if (text) this.append(stripAnsi(text));
  }

  write(stream: "stdout" | "stderr", chunk: Buffer): void {
    const text = this.escapes[stream].write(this.decoders[stream].write(chunk));
    if (text) this.append(text);
  }

  /** A line from the extension about this run (exit status, kill), set apart from program output. */
  note(text: string): void {
    this.append(`${this.atLineStart ? "" : "\n"}[scene-runner] ${text}\n`);
  }

  private append(text: string): void {
    this.channel.append(text);
    this.atLineStart = text.endsWith("\n");
  }
}
