/**
 * Finds the `main` functions of a scene file by reading its text: where the
 * code lens goes, and which line the "main" task points at. A scan of the text
 * rather than a parse, so it costs nothing on the extension host and works on
 * files that do not compile yet.
 */
export interface MainFunction {
  /** 0-based line of the `main` definition (the decorator, for decorated Python). */
  line: number;
  /** 0-based column where `main` starts. */
  column: number;
  language: "typescript" | "python";
}

const TS_MAIN = [
  /^\s*export\s+(?:default\s+)?async\s+function\s*\*?\s*(main)\s*\(/,
  /^\s*export\s+(?:const|let|var)\s+(main)\s*(?::[^=]+)?=\s*async\b/,
  /^\s*export\s+(?:default\s+)?function\s+(main)\s*\(/,
];
const PY_MAIN = /^(\s*)async\s+def\s+(main)\s*\(/;

export function languageOf(file: string): MainFunction["language"] | undefined {
  if (/\.(?:[cm]?[jt]s|tsx|jsx)$/i.test(file)) return "typescript";
  if (/\.py$/i.test(file)) return "python";
  return undefined;
}

export function findMainFunctions(text: string, language: MainFunction["language"]): MainFunction[] {
  const lines = text.split(/\r?\n/);
  const found: MainFunction[] = [];
  lines.forEach((line, i) => {
    if (language === "typescript") {
      for (const re of TS_MAIN) {
        const m = re.exec(line);
        if (m) {
          found.push({ line: i, column: line.search(/\bmain\b/), language });
          break;
        }
      }
    } else {
      const m = PY_MAIN.exec(line);
      if (m && m[1].length === 0) {
        // Lenses go above the decorators (for example @app.spawn(start=True)).
        let top = i;
        while (top > 0 && /^\s*@/.test(lines[top - 1])) top--;
        found.push({ line: top, column: line.indexOf("main"), language });
      }
    }
  });
  return found;
}
