/** What `run` and `snapshot` share when reading their arguments. */
import { existsSync, statSync } from "node:fs";
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
