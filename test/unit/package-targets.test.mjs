// One VSIX per platform: `scripts/package.mjs` packages every target of scripts/lib/targets.mjs
// (with the real vsce) and each package must hold esbuild's binary for its own platform — the
// right format and CPU by its header, the hash esbuild publishes, executable where that
// matters — and no native binary of any other platform; plus the TypeScript plugin and the
// declarations it points at. The first run fetches the other platforms' packages from npm once.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import yauzl from "yauzl";
import { packageAll } from "../../scripts/package.mjs";
import { TARGETS } from "../../scripts/lib/targets.mjs";

const root = join(import.meta.dirname, "..", "..");
const esbuildManifest = JSON.parse(readFileSync(join(root, "node_modules", "esbuild", "package.json"), "utf8"));

// What each platform's executable looks like (written from the formats' specs, not from esbuild).
const EXPECTED = {
  "linux-x64": { format: "elf", machine: 0x3e },
  "linux-arm64": { format: "elf", machine: 0xb7 },
  "darwin-x64": { format: "macho", machine: 0x01000007 },
  "darwin-arm64": { format: "macho", machine: 0x0100000c },
  "win32-x64": { format: "pe", machine: 0x8664 },
};

/** The executable format and CPU of a file by its header, or undefined when it is not one. */
function executableKind(b) {
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) return { format: "elf", machine: b.readUInt16LE(18) };
  if (b.length >= 8 && b.readUInt32LE(0) === 0xfeedfacf) return { format: "macho", machine: b.readUInt32LE(4) };
  if (b.length >= 0x40 && b.toString("latin1", 0, 2) === "MZ") {
    const pe = b.readUInt32LE(0x3c);
    if (b.length >= pe + 6 && b.toString("latin1", pe, pe + 4) === "PE\0\0") return { format: "pe", machine: b.readUInt16LE(pe + 4) };
  }
  return undefined;
}

/** Every entry of a zip: name, unix mode, contents. */
function readZip(file) {
  return new Promise((res, rej) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return rej(err);
      const entries = [];
      zip.on("error", rej);
      zip.on("end", () => res(entries));
      zip.on("entry", (entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return rej(e);
          const chunks = [];
          stream.on("data", (c) => chunks.push(c));
          stream.on("end", () => {
            entries.push({ name: entry.fileName, mode: (entry.externalFileAttributes >>> 16) & 0o777, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

let outDir;
const packages = new Map();
before(async () => {
  assert.ok(existsSync(join(root, "dist", "extension.js")), "run node scripts/build.mjs first");
  outDir = mkdtempSync(join(tmpdir(), "scene-runner-vsix-test-"));
  for (const made of await packageAll({ outDir, build: false, log: () => {} })) packages.set(made.target, await readZip(made.file));
});
after(() => outDir && rmSync(outDir, { recursive: true, force: true }));

test("every target of the marketplace is packaged", () => {
  assert.deepEqual([...packages.keys()].sort(), Object.keys(EXPECTED).sort());
  assert.deepEqual(Object.keys(TARGETS).sort(), Object.keys(EXPECTED).sort());
});

for (const [target, want] of Object.entries(EXPECTED)) {
  test(`${target}: its own esbuild binary and nothing of another platform`, () => {
    const entries = packages.get(target);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifest = byName.get("extension.vsixmanifest").data.toString();
    assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));

    const binaryPath = `extension/node_modules/@esbuild/${target}/${TARGETS[target].binary}`;
    const binary = byName.get(binaryPath);
    assert.ok(binary, `${binaryPath} missing`);
    assert.deepEqual(executableKind(binary.data), want, `${binaryPath} is not a ${target} executable`);
    assert.equal(createHash("sha256").update(binary.data).digest("hex"), esbuildManifest["esbuild.binaryHashes"][`@esbuild/${target}/${TARGETS[target].binary}`]);
    if (!target.startsWith("win32")) assert.equal(binary.mode & 0o111, 0o111, `${binaryPath} is not executable (mode ${binary.mode.toString(8)})`);

    // Only that platform's esbuild package, and no other native executable anywhere in the VSIX.
    const platformPackages = new Set(entries.filter((e) => e.name.startsWith("extension/node_modules/@esbuild/")).map((e) => e.name.split("/")[3]));
    assert.deepEqual([...platformPackages], [target]);
    const executables = entries.filter((e) => executableKind(e.data)).map((e) => e.name);
    assert.deepEqual(executables, [binaryPath]);

    // esbuild's JS API and the pieces of the editor's types come along on every platform.
    for (const f of ["node_modules/esbuild/lib/main.js", "node_modules/esbuild/package.json", "node_modules/scene-runner-ts-plugin/index.js", "node_modules/scene-runner-ts-plugin/package.json", "dist/types/scene-runner.d.ts", "dist/extension.js", "dist/runner-node.js"]) {
      assert.ok(byName.has(`extension/${f}`), `${f} missing from the ${target} VSIX`);
    }
    const pkg = JSON.parse(byName.get("extension/package.json").data.toString());
    assert.deepEqual(pkg.contributes.typescriptServerPlugins.map((p) => p.name), ["scene-runner-ts-plugin"]);
  });
}
