/** Record, save and replay sessions (docs/recording-format.md). Pure: no vscode. */
export * from "./format.js";
export * from "./timeline.js";
export * from "./recorder.js";
export * from "./writer.js";
export * from "./reader.js";
