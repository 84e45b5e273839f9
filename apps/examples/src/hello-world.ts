/**
 * Twin of the first program on Python's "Coroutines and Tasks" page:
 *
 *     async def main():
 *         print('hello')
 *         await asyncio.sleep(1)
 *         print('world')
 *
 *     asyncio.run(main())
 *
 * Run: `node dist/hello-world.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, run, sleep } from "asyncio-ts";

export function* main(): Coroutine<void> {
  console.log("hello");
  yield* sleep(1);
  console.log("world");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
