/**
 * Twin of the `cancel_me` program in Python's `Task.cancel()` docs: cancelling a task throws
 * `CancelledError` into it where it awaits, so its `except`/`finally` cleanup runs; the task
 * that awaits it then sees `CancelledError` too, and `task.cancelled()` is true.
 *
 *     async def cancel_me():
 *         print('cancel_me(): before sleep')
 *         try:
 *             await asyncio.sleep(3600)      # wait for 1 hour
 *         except asyncio.CancelledError:
 *             print('cancel_me(): cancel sleep')
 *             raise
 *         finally:
 *             print('cancel_me(): after sleep')
 *
 * Run: `node dist/cancel-with-finally.js`.
 */
import { pathToFileURL } from "node:url";
import { CancelledError, type Coroutine, createTask, getRunningLoop, run, sleep } from "asyncio-ts";

function* cancelMe(): Coroutine<void> {
  console.log("cancel_me(): before sleep");
  try {
    // Wait for 1 hour
    yield* sleep(3600);
  } catch (e) {
    if (e instanceof CancelledError) console.log("cancel_me(): cancel sleep");
    throw e;
  } finally {
    console.log("cancel_me(): after sleep");
  }
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  // Create a "cancel_me" Task
  const task = createTask(cancelMe());
  // Wait for 1 second
  yield* sleep(1);

  task.cancel();
  try {
    yield* task;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log("main(): cancel_me is cancelled now");
  }
  console.log(`task.cancelled() is ${task.cancelled() ? "True" : "False"}`);
  console.log(`done after ${(loop.time() - start).toFixed(1)}s, not an hour`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
