/** What `run` and `snapshot` share when reading their arguments. */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";

/** A mistake in the command line: reported in one line with the usage, exit status 2. */
export class UsageError extends Error {}

/** Options take a value (`--events path`, `--at 500`...) or are flags (`--hud`). */
export type SceneOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses `<file> [options]`: exactly one positional, an existing regular file. */
export type SceneValues<O extends SceneOptions> = { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };

export function parseSceneArgs<O extends SceneOptions>(argv: string[], options: O, what: string): { file: string; values: SceneValues<O> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError(`missing the scene file ${what}`);
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  return { file, values: parsed.values as SceneValues<O> };
}

/** The latest --at: a day. Longer is a typo, not a plan. */
export const MAX_AT_MS = 24 * 3600 * 1000;

/** The options of every command that writes a picture (`snapshot`, `snapshot --from`, `snapshot --connect`). */
export const PICTURE_OPTIONS = { out: { type: "string", short: "o" }, at: { type: "string" }, size: { type: "string" }, hud: { type: "boolean" } } as const;

/** Where and how big a picture is written, and when it is taken. */
export interface PictureArgs {
  out: string;
  atMs?: number;
  width: number;
  height: number;
  /** Draw the viewer's status line and toolbar into the picture (off: the scene alone). */
  hud: boolean;
}

/** Reads the picture options, checking the output folder before Chromium starts or a program runs. */
export function parsePictureArgs(values: { out?: string; at?: string; size?: string; hud?: boolean }): PictureArgs {
  const out = values.out;
  if (!out) throw new UsageError("missing --out <file.png>");
  if (!existsSync(dirname(resolve(out)))) throw new UsageError(`${dirname(resolve(out))}: no such directory`);
  const args: PictureArgs = { out, width: 960, height: 540, hud: values.hud === true };
  const at = milliseconds(values.at, "--at");
  if (at !== undefined) args.atMs = at;
  if (values.size !== undefined) {
    const m = /^(\d{2,5})x(\d{2,5})$/.exec(values.size);
    if (!m || +m[1] > 8192 || +m[2] > 8192) throw new UsageError(`--size needs <W>x<H> in pixels (e.g. 1280x720), got ${JSON.stringify(values.size)}`);
    args.width = +m[1];
    args.height = +m[2];
  }
  return args;
}

/** A `--name <ms>` option: a number of milliseconds from 0 to a day, or undefined when not given. */
export function milliseconds(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`${name} needs a number of milliseconds >= 0, got ${JSON.stringify(text)}`);
  if (ms > MAX_AT_MS) throw new UsageError(`${name} ${text} is more than a day (${MAX_AT_MS} ms)`);
  return ms;
}
