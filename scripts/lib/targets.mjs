// The platforms one VSIX each is packaged for (`vsce package --target`), and where esbuild keeps its
// native binary in the npm package of each (@esbuild/<target>, an optional dependency of esbuild
// that npm installs only for the machine it runs on). esbuild's JS API finds it with
// require.resolve("@esbuild/<target>/<binary>").
export const TARGETS = {
  "linux-x64": { binary: "bin/esbuild" },
  "linux-arm64": { binary: "bin/esbuild" },
  "darwin-x64": { binary: "bin/esbuild" },
  "darwin-arm64": { binary: "bin/esbuild" },
  "win32-x64": { binary: "esbuild.exe" },
};

/** The target of this machine (`${process.platform}-${process.arch}`), or undefined when none fits. */
export function hostTarget(platform = process.platform, arch = process.arch) {
  const t = `${platform}-${arch}`;
  return t in TARGETS ? t : undefined;
}

/** One line naming the targets, for errors. */
export const targetList = () => Object.keys(TARGETS).join(", ");
