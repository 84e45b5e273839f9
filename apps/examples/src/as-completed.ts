/**
 * `asyncio.as_completed()` from Python's "Coroutines and Tasks" page: an iterator of
 * awaitables, each giving the next result in the order the tasks *complete*, not the order
 * they were passed in. With a `timeout`, whatever has not completed by then raises
 * `TimeoutError`, and is left running (cancelling it is up to the caller).
 *
 *     for coro in asyncio.as_completed(aws):
 *         earliest_result = await coro
 *         # ...
 *
 * Python's `for coro in as_completed(aws): await coro` is
 * `for (const next of asCompleted(aws)) { yield* next }`; `timeout=` is `{ timeout }`.
 * Run: `node dist/as-completed.js`.
 */
import { pathToFileURL } from "node:url";
import { asCompleted } from "@asyncio-ts/combinators";
import {
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
  run,
  sleep,
  TimeoutError,
} from "asyncio-ts";

function* fetch(name: string, delay: number): Coroutine<string> {
  yield* sleep(delay);
  return `${name} (after ${delay}s)`;
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  let start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  let tasks = [
    createTask(fetch("slow", 1.5)),
    createTask(fetch("fast", 0.5)),
    createTask(fetch("medium", 1.2)),
  ];
  let i = 0;
  for (const nextDone of asCompleted(tasks)) {
    const result = yield* nextDone;
    console.log(`${++i}. at ${elapsed()}: ${result}`);
  }

  // With a timeout: whatever has not completed by then raises TimeoutError.
  start = loop.time();
  tasks = [createTask(fetch("quick", 0.3)), createTask(fetch("late", 3600))];
  try {
    for (const nextDone of asCompleted(tasks, { timeout: 1.0 })) {
      const result = yield* nextDone;
      console.log(`at ${elapsed()}: ${result}`);
    }
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`TimeoutError at ${elapsed()}`);
  }
  // asCompleted() does not cancel what is left: that is up to us.
  const late = tasks[1]!;
  console.log(`late is still running: ${late.done() ? "False" : "True"}`);
  late.cancel();
  try {
    yield* late;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    console.log(`late cancelled: ${late.cancelled() ? "True" : "False"}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
