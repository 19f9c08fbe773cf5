/**
 * Creating tasks from free functions (gather, task groups): the new task belongs
 * to the session of the task that creates it, so it is reported and stopped
 * with that session.
 */
import { currentTask } from "./current.js";
import { Task, type TaskOptions } from "./task.js";

export interface TaskFactory {
  spawnTask<T>(fn: () => T | PromiseLike<T>, options?: { name?: string }): Task<T>;
}

const factories = new WeakMap<Task<unknown>, TaskFactory>();

/** @internal the session registers each of its tasks here. */
export function registerTaskFactory(task: Task<unknown>, factory: TaskFactory): void {
  factories.set(task, factory);
}

export function factoryOf(task: Task<unknown> | undefined): TaskFactory | undefined {
  return task ? factories.get(task) : undefined;
}

/** Spawns in the current session if there is one, else as a bare task. */
export function spawnHere<T>(fn: () => T | PromiseLike<T>, options: TaskOptions = {}): Task<T> {
  const factory = factoryOf(currentTask());
  return factory ? factory.spawnTask(fn, options) : new Task(fn, options);
}
