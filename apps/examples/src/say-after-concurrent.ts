/**
 * Twin of the `create_task` version of `say_after` on Python's "Coroutines and Tasks" page:
 * both coroutines run as tasks at the same time, so 1 s + 2 s of sleeping takes 2 s.
 *
 *     async def main():
 *         task1 = asyncio.create_task(say_after(1, 'hello'))
 *         task2 = asyncio.create_task(say_after(2, 'world'))
 *         print(f"started at {elapsed()}")
 *         await task1
 *         await task2
 *         print(f"finished at {elapsed()}")
 *
 * Run: `node dist/say-after-concurrent.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, createTask, getRunningLoop, run, sleep } from "asyncio-ts";

function* sayAfter(delay: number, what: string): Coroutine<void> {
  yield* sleep(delay);
  console.log(what);
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  const task1 = createTask(sayAfter(1, "hello"));
  const task2 = createTask(sayAfter(2, "world"));

  console.log(`started at ${elapsed()}`);
  // Wait until both tasks are completed (should take around 2 seconds.)
  yield* task1;
  yield* task2;
  console.log(`finished at ${elapsed()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
