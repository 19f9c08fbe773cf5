/**
 * Which task is running. A JavaScript async function keeps no link to "its"
 * task across awaits, so the task is carried in an AsyncLocalStorage that each
 * task enters before its function is first called; every continuation of that
 * function (and every function it calls) then sees the same task.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Task } from "./task.js";

export const taskStorage = new AsyncLocalStorage<Task<unknown>>();

/** The task whose code is running now, or undefined outside any task. */
export function currentTask(): Task<unknown> | undefined {
  return taskStorage.getStore();
}

/**
 * Runs fn as no task. Not AsyncLocalStorage.exit(): in Node 20 that disables and
 * re-enables the storage (promise hooks included) on every call.
 */
export function outsideTasks(fn: () => void): void {
  taskStorage.run(undefined as unknown as Task<unknown>, fn);
}
