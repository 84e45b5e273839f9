/**
 * Twin of the `say_after` program on Python's "Coroutines and Tasks" page: two coroutines
 * awaited one after the other, so their sleeps add up (1 s + 2 s = 3 s).
 *
 *     async def say_after(delay, what):
 *         await asyncio.sleep(delay)
 *         print(what)
 *
 *     async def main():
 *         print(f"started at {elapsed()}")
 *         await say_after(1, 'hello')
 *         await say_after(2, 'world')
 *         print(f"finished at {elapsed()}")
 *
 * Times are seconds since `main` started on the loop's clock (the docs print the wall clock).
 * Run: `node dist/say-after-sequential.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, getRunningLoop, run, sleep } from "asyncio-ts";

function* sayAfter(delay: number, what: string): Coroutine<void> {
  yield* sleep(delay);
  console.log(what);
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  console.log(`started at ${elapsed()}`);
  yield* sayAfter(1, "hello");
  yield* sayAfter(2, "world");
  console.log(`finished at ${elapsed()}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
