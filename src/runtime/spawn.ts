/**
 * Creating tasks from free functions (gather, task groups): the new task belongs
 * to the owner (session) of the task that creates it, so it is reported and
 * stopped with that session.
 */
import { currentTask } from "./current.js";
import { Task, type TaskOptions } from "./task.js";

/** Spawns in the current session if there is one, else as a bare task. */
export function spawnHere<T>(fn: () => T | PromiseLike<T>, options: TaskOptions = {}): Task<T> {
  const owner = currentTask()?._owner;
  return owner ? owner.spawnTask(fn, options) : new Task(fn, options);
}
