/**
 * Twin of the "Awaitables" programs on Python's "Coroutines and Tasks" page: calling a
 * coroutine function does nothing until the coroutine is awaited; `createTask` schedules it
 * to run soon, and awaiting the task gives its result.
 *
 *     async def nested():
 *         print("nested() runs")
 *         return 42
 *
 *     async def main():
 *         coro = nested()            # nothing runs yet
 *         print(await coro)          # nested() runs, 42
 *         task = asyncio.create_task(nested())
 *         ...
 *
 * Run: `node dist/create-task-await.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, createTask, run } from "asyncio-ts";

// biome-ignore lint/correctness/useYield: as `async def nested(): return 42`, a coroutine need not await.
function* nested(): Coroutine<number> {
  console.log("nested() runs");
  return 42;
}

export function* main(): Coroutine<void> {
  // Nothing happens if we just call "nested()": a coroutine object is created, not run.
  const coro = nested();
  console.log("coroutine created, not started");
  // Awaiting it runs it to completion and gives its return value.
  console.log(yield* coro);

  // Schedule nested() to run soon, concurrently with "main()".
  const task = createTask(nested());
  console.log(`task is ${task.done() ? "done" : "pending"}`);
  // "task" can now be used to cancel "nested()", or simply be awaited until it is complete.
  const result = yield* task;
  console.log(`task result: ${result}`);
  console.log(`task is ${task.done() ? "done" : "pending"}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
