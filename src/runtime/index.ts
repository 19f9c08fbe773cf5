/**
 * scene-runner: the library scene programs import.
 *
 *   import { sleep, gather, Box, type Session } from "scene-runner";
 *   export async function main(sess: Session) { ... }
 */
export { CancelledError, TimeoutError, InvalidStateError } from "./errors.js";
export { Future } from "./future.js";
export { Task } from "./task.js";
export { sleep } from "./sleep.js";
export { gather, GatheringFuture, type GatherOptions, type Awaitable } from "./gather.js";
export { taskGroup, TaskGroup } from "./taskgroup.js";
export { timeout } from "./timeout.js";
export { Event } from "./event.js";
export { currentTask } from "./current.js";
export { Session, type SessionOptions, type SessionResult, type MessageSink, type EventHandler } from "./session.js";
export type { Handle } from "./loop.js";
// The clock seam: tests run the loop on virtual time (asyncio's test loop does the same).
export { EventLoop, setEventLoop, type EventLoopOptions } from "./loop.js";
export { VirtualClock, type Clock } from "./clock.js";
export * from "./nodes.js";
export type { ClientEvent, ClickValue, CameraValue, ObjectMoveValue, KeyValue } from "../protocol/events.js";
export type { SceneNode, Vec3, Quat } from "../protocol/scene.js";
export type { TaskState } from "../protocol/tasks.js";
