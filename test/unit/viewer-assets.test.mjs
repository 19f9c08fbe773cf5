// The program's own files: vuer's URLs mapped to the program's folder (src/viewer/assets.ts),
// and the host's reader that refuses `..` and symbolic-link escapes (src/viewer/asset-files.ts).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadTs } from "../helpers/load-ts.mjs";

const { mapAssetUrl, normalizeUnder, pathOfFileUrl, fileUrl, mimeOf, resolveNested } = await loadTs("src/viewer/assets.ts");
const { readAssetFile, assetFolders } = await loadTs("src/viewer/asset-files.ts");

const scope = { base: "https://res.example/ws", workspace: "scenes" };
const file = (path) => ({ kind: "file", path, url: fileUrl(scope, path) });

test("vuer's file URLs map into the program's workspace folder", () => {
  const cases = [
    ["http://localhost:8012/workspace/robot.urdf", "scenes/robot.urdf"],
    ["http://localhost:8012/static/meshes/a.stl", "scenes/meshes/a.stl"],
    ["https://127.0.0.1:9000/workspace/x.glb?v=2#frag", "scenes/x.glb"],
    ["http://0.0.0.0:8012/workspace/a%20b.png", "scenes/a b.png"],
    ["http://vuer.localhost:8012/workspace/a.png", "scenes/a.png"],
    ["models/box.obj", "scenes/models/box.obj"],
    ["./models/box.obj", "scenes/models/box.obj"],
    ["/static/img.jpg", "scenes/img.jpg"],
    ["/img.jpg", "scenes/img.jpg"],
    ["models/../img.jpg", "scenes/img.jpg"],
  ];
  for (const [src, path] of cases) assert.deepEqual(mapAssetUrl(src, scope), file(path), src);
  assert.equal(fileUrl(scope, "scenes/a b#.png"), "https://res.example/ws/scenes/a%20b%23.png");
  // An already-mapped URL (a nested reference resolved against a mapped file) stays as it is.
  assert.deepEqual(mapAssetUrl("https://res.example/ws/scenes/m/a.stl", scope), file("scenes/m/a.stl"));
});

test("remote and inline URLs pass through; other schemes and local routes are refused with a reason", () => {
  for (const url of ["https://example.com/a.glb", "http://example.com/a.glb", "data:image/png;base64,AAAA", "blob:https://x/1"]) {
    assert.deepEqual(mapAssetUrl(url, scope), { kind: "remote", url });
  }
  const refused = [
    ["http://localhost:8012/other/x.glb", /only vuer's \/workspace\/ and \/static\//],
    ["file:///etc/passwd", /file:\/\/ URLs are not read/],
    ["ftp://host/x", /ftp: scheme/],
    ["javascript:alert(1)", /javascript: scheme/],
    ["http://localhost:8012/workspace/%2e%2e/%2e%2e/etc/passwd", /leaves the program's folder/],
    ["http://localhost:8012/workspace/../../etc/passwd", /leaves the program's folder/],
    ["http://localhost:8012/static/a/../../../x", /leaves the program's folder/],
    ["http://localhost:8012/workspace/..%2f..%2fsecret", /leaves the program's folder/],
    ["../secret.txt", /leaves the program's folder/],
    ["models/../../secret.txt", /leaves the program's folder/],
    ["a\\..\\..\\x", /leaves the program's folder/],
    ["http://localhost:8012/workspace/%zz", /broken percent-encoding/],
    ["http://localhost:8012/workspace/", /names a folder/],
    ["https://res.example/ws/%2e%2e/x", /leaves the program's folder/],
    ["https://res.example/other/x.glb", /leaves the program's folder/],
  ];
  for (const [src, re] of refused) {
    const t = mapAssetUrl(src, scope);
    assert.equal(t.kind, "refused", src);
    assert.match(t.reason, re, src);
    assert.ok(!t.reason.includes("\n"), "one line");
  }
  // No program folder: only remote URLs load.
  assert.equal(mapAssetUrl("x.glb", null).kind, "refused");
  assert.equal(mapAssetUrl("http://localhost:8012/workspace/x.glb", null).kind, "refused");
  assert.equal(mapAssetUrl("https://example.com/x.glb", null).kind, "remote");
});

test("normalizeUnder never climbs above its folder; pathOfFileUrl inverts fileUrl", () => {
  assert.equal(normalizeUnder("a/b", "c/../d"), "a/b/d");
  assert.equal(normalizeUnder("a/b", ".."), null);
  assert.equal(normalizeUnder("", "x/\0y"), null);
  assert.equal(normalizeUnder("", "./x//y/"), "x/y");
  for (const p of ["a.png", "dir/a b.png", "d/é.glb", "x/%41.bin"]) assert.equal(pathOfFileUrl(scope.base, fileUrl(scope, p)), p);
  assert.equal(pathOfFileUrl(scope.base, "https://res.example/other/a.png"), null);
  assert.equal(pathOfFileUrl(scope.base, "https://res.example/ws/%2e%2e/a.png"), null);
  assert.equal(pathOfFileUrl(scope.base, "https://res.example/ws/"), null);
  assert.equal(resolveNested("../meshes/a.stl", "http://localhost:8012/workspace/robot/urdf/r.urdf"), "http://localhost:8012/workspace/robot/meshes/a.stl");
  assert.equal(mimeOf("a/B.PNG"), "image/png");
  assert.equal(mimeOf("a.splat"), "application/octet-stream");
});

const dir = mkdtempSync(join(tmpdir(), "sr-assets-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the host reads only files under the root: no .., no symbolic link out, missing files named", async () => {
  const root = join(dir, "ws");
  mkdirSync(join(root, "scenes", "sub"), { recursive: true });
  writeFileSync(join(root, "scenes", "sub", "a.txt"), "inside");
  writeFileSync(join(dir, "secret.txt"), "outside");
  symlinkSync(join(dir, "secret.txt"), join(root, "scenes", "leak.txt"));
  symlinkSync(dir, join(root, "scenes", "up"));
  symlinkSync(join(root, "scenes", "sub", "a.txt"), join(root, "scenes", "alias.txt"));

  const ok = await readAssetFile(root, "scenes/sub/a.txt");
  assert.equal(ok.ok, true);
  assert.equal(ok.bytes.toString(), "inside");
  assert.equal((await readAssetFile(root, "scenes/alias.txt")).bytes.toString(), "inside", "a link inside the root is fine");

  for (const p of ["../secret.txt", "scenes/../../secret.txt", "scenes/leak.txt", "scenes/up/secret.txt", ""]) {
    const r = await readAssetFile(root, p);
    assert.equal(r.ok, false, p);
    assert.equal(r.status, 403, p);
  }
  const missing = await readAssetFile(root, "scenes/nope.glb");
  assert.deepEqual([missing.ok, missing.status], [false, 404]);
  assert.match(missing.reason, /^scenes\/nope\.glb: no such file in the program's folder$/);
  assert.equal((await readAssetFile(root, "scenes/sub")).status, 404, "a folder is not a file");

  assert.deepEqual(assetFolders(join(root, "scenes", "prog.py"), root), { root, workspace: "scenes" });
  assert.deepEqual(assetFolders(join(root, "prog.py")), { root, workspace: "" });
  assert.deepEqual(assetFolders(join(dir, "prog.py"), root), { root, workspace: "" }, "a program outside the root gets the root's top");
});
