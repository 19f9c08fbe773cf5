export * from "./validate.js";
export * from "./scene.js";
export * from "./events.js";
export * from "./tasks.js";
export * from "./runner.js";
export * from "./viewer.js";
