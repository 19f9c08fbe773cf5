/**
 * Which Python interpreter a run in VS Code uses, as VS Code users expect: the Python
 * extension's active interpreter for that file when the extension is installed, else the
 * `sceneRunner.pythonPath` setting, else `python3` (then `python`) on PATH. Pure: the Python
 * extension is reached through an injected source (src/extension/installed-vuer/python-extension.ts),
 * so the order and the fallbacks are unit-tested without VS Code.
 */

/** The Python extension, as far as a run needs it. */
export interface ActiveInterpreterSource {
  /** The executable of the extension's active interpreter for `file`; undefined when it has none. */
  activeFor(file: string): Promise<string | undefined>;
}

export interface InterpreterChoice {
  /** The interpreter to run; undefined: discover python3, then python (launcher.ts findPython). */
  python?: string;
  /** Why this one, for the run header. */
  why: string;
}

/** How long the Python extension may take to answer (it may still be activating, or discovering environments). */
export const EXTENSION_TIMEOUT_MS = 15_000;

export interface ChooseOptions {
  /** Undefined when ms-python.python is not installed. */
  pythonExtension?: ActiveInterpreterSource;
  /** sceneRunner.pythonPath, trimmed; undefined when empty. */
  setting?: string;
  timeoutMs?: number;
}

export async function chooseInterpreter(file: string, o: ChooseOptions): Promise<InterpreterChoice> {
  let passed = "";
  if (o.pythonExtension) {
    const answer = await askWithin(o.pythonExtension, file, o.timeoutMs ?? EXTENSION_TIMEOUT_MS);
    if (answer.python) return { python: answer.python, why: "the Python extension's interpreter for this file" };
    passed = `the Python extension ${answer.problem}; `;
  }
  if (o.setting) return { python: o.setting, why: `${passed}sceneRunner.pythonPath` };
  return { why: `${passed}${o.pythonExtension ? "" : "no Python extension, "}sceneRunner.pythonPath is empty: python3 from PATH` };
}

async function askWithin(source: ActiveInterpreterSource, file: string, ms: number): Promise<{ python?: string; problem: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ problem: string }>((resolve) => {
    timer = setTimeout(() => resolve({ problem: `did not answer within ${ms / 1000} s` }), ms);
  });
  try {
    return await Promise.race([
      source.activeFor(file).then(
        (python) => (python?.trim() ? { python: python.trim(), problem: "" } : { problem: "has no interpreter selected for this file" }),
        (e: unknown) => ({ problem: `failed (${e instanceof Error ? e.message : String(e)})` }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
