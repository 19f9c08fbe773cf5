/** The codicon stylesheet and font from @vscode/codicons, bundled by scripts/build.mjs (text and bytes). */
declare module "@vscode/codicons/dist/codicon.css" {
  const css: string;
  export default css;
}
declare module "@vscode/codicons/dist/codicon.ttf" {
  const ttf: Uint8Array;
  export default ttf;
}
