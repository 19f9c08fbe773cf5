// Which files a browser tab may have opened in VS Code (src/viewer-server/source-link.ts): only
// one the run's tasks were created in, inside the program's workspace folder, links resolved.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { sourceRefusal } = await loadTs("src/viewer-server/source-link.ts");
const dir = mkdtempSync(join(tmpdir(), "sr-source-link-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ws = join(dir, "ws");
mkdirSync(join(ws, "sub"), { recursive: true });
writeFileSync(join(ws, "sub", "prog.py"), "");
writeFileSync(join(dir, "secret.py"), "");
symlinkSync(join(dir, "secret.py"), join(ws, "out.py"));
symlinkSync(join(ws, "sub", "prog.py"), join(ws, "in.py"));
writeFileSync(join(dir, "ws-other.py"), ""); // a sibling whose name starts like the folder's

test("a file of the run's tasks inside the workspace may be opened, also through a link that stays inside", () => {
  assert.equal(sourceRefusal(join(ws, "sub", "prog.py"), ws, true), undefined);
  assert.equal(sourceRefusal(join(ws, "in.py"), ws, true), undefined);
  assert.equal(sourceRefusal(join(ws, "sub", "..", "sub", "prog.py"), ws, true), undefined);
});

test("anything else is refused with one line saying why", () => {
  assert.match(sourceRefusal(join(ws, "sub", "prog.py"), ws, false), /not a file one of the run's tasks was created in/);
  assert.match(sourceRefusal(join(ws, "sub", "prog.py"), undefined, true), /no workspace folder/);
  assert.match(sourceRefusal("sub/prog.py", ws, true), /not an absolute path/);
  assert.match(sourceRefusal(join(dir, "secret.py"), ws, true), /outside the program's workspace folder/);
  assert.match(sourceRefusal(join(ws, "..", "secret.py"), ws, true), /outside the program's workspace folder/);
  assert.match(sourceRefusal(join(ws, "out.py"), ws, true), /outside the program's workspace folder/, "a link inside that points out");
  assert.match(sourceRefusal(join(dir, "ws-other.py"), ws, true), /outside/, "a name that only starts like the folder's");
  assert.match(sourceRefusal(join(ws, "gone.py"), ws, true), /no such file/);
  for (const r of [sourceRefusal(join(dir, "secret.py"), ws, true), sourceRefusal("x", ws, false)]) assert.ok(!r.includes("\n"));
});
