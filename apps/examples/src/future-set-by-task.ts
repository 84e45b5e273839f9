/**
 * Twin of the `set_after` program in Python's "Futures" docs: a task sets the result of a
 * Future that `main` is waiting on.
 *
 *     async def set_after(fut, delay, value):
 *         await asyncio.sleep(delay)
 *         fut.set_result(value)
 *
 *     async def main():
 *         loop = asyncio.get_running_loop()
 *         fut = loop.create_future()
 *         loop.create_task(set_after(fut, 1, '... world'))
 *         print('hello ...')
 *         print(await fut)
 *
 * Run: `node dist/future-set-by-task.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, type Future, getRunningLoop, run, sleep } from "asyncio-ts";

function* setAfter(fut: Future<string>, delay: number, value: string): Coroutine<void> {
  // Sleep for `delay` seconds.
  yield* sleep(delay);
  // Set `value` as a result of the `fut` Future.
  fut.setResult(value);
}

export function* main(): Coroutine<void> {
  // Get the current event loop.
  const loop = getRunningLoop();
  const start = loop.time();
  // Create a new Future object.
  const fut = loop.createFuture<string>();
  // Run "setAfter()" in a parallel Task. We use the low-level `loop.createTask()` because we
  // already have the loop at hand; `createTask()` would do the same.
  loop.createTask(setAfter(fut, 1, "... world"));
  console.log("hello ...");
  // Wait until `fut` has a result (1 second) and print it.
  console.log(yield* fut);
  console.log(`(the future was set after ${(loop.time() - start).toFixed(1)}s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
