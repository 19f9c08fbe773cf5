// Issue 11, item 4: callSoon/callLater and done callbacks run as no task (asyncio:
// current_task() is None there), even when scheduled from inside a task.
import { currentTask, Event, type Session } from "scene-runner";

export async function main(sess: Session) {
  const where = () => (currentTask() ? `task ${currentTask()!.name}` : "no task");
  const done = new Event();
  const worker = sess.spawnTask(async () => {
    console.log(`worker runs as ${where()}`);
    sess.callSoon(() => console.log(`callSoon from the worker: ${where()}`));
    sess.callLater(10, () => {
      console.log(`callLater from the worker: ${where()}`);
      done.set();
    });
  }, { name: "worker" });
  worker.addDoneCallback(() => console.log(`done callback: ${where()}`));
  await done.wait();
}
