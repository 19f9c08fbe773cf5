/** A font shipped in media/fonts, gzipped into the bundle by scripts/build.mjs. */
declare module "scene-runner-font:*" {
  const gzippedTypefaceJson: Uint8Array;
  export default gzippedTypefaceJson;
}
