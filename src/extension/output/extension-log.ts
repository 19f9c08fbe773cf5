/**
 * The extension's own log ("Scene Runner" in the Output panel, with the log
 * levels the user picks): sessions starting and ending, viewer warnings,
 * protocol problems. The program's own output goes elsewhere (program-output.ts).
 */
import * as vscode from "vscode";

let channel: vscode.LogOutputChannel | undefined;

export function createExtensionLog(): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel("Scene Runner", { log: true });
  return channel;
}

/** The log, for modules that have no reference to it; a no-op before activation. */
export const log = {
  info: (m: string) => channel?.info(m),
  warn: (m: string) => channel?.warn(m),
  error: (m: string | Error) => channel?.error(m),
  debug: (m: string) => channel?.debug(m),
  trace: (m: string) => channel?.trace(m),
};

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
