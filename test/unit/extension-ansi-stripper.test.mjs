// A program's terminal colour codes do not reach its output channel as text; its words do.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { AnsiStripper, stripAnsi } = await loadTs("src/extension/output/ansi-stripper.ts");

test("colour, cursor and title sequences go; the text stays", () => {
  assert.equal(stripAnsi("\x1b[1;32mVisit:\x1b[0m http://localhost:8012"), "Visit: http://localhost:8012");
  assert.equal(stripAnsi("a\x1b[2Kb\x1b[?25lc"), "abc");
  assert.equal(stripAnsi("\x1b]0;title\x07x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\"), "xlink");
  assert.equal(stripAnsi("\x1bcreset"), "reset");
  assert.equal(stripAnsi("plain [32m text, 100% \\ ok"), "plain [32m text, 100% \\ ok");
});

test("a sequence split across chunks is removed whole, at any split point", () => {
  const line = "\x1b[38;5;208mwarn\x1b[0m: \x1b]0;t\x07done\n";
  for (let cut = 0; cut <= line.length; cut++) {
    const s = new AnsiStripper();
    assert.equal(s.write(line.slice(0, cut)) + s.write(line.slice(cut)), "warn: done\n", `cut at ${cut}`);
  }
});

test("a stray escape never holds the output back for long", () => {
  const s = new AnsiStripper();
  const out = s.write("\x1b]" + "x".repeat(300));
  assert.equal(out, "\x1b]" + "x".repeat(300), "past the bound it is text");
  assert.equal(s.write("next"), "next");
});
