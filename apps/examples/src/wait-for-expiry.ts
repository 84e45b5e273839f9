/**
 * Twin of the `eternity` program in Python's `asyncio.wait_for()` docs: waiting at most one
 * second for a coroutine that sleeps for an hour cancels it and raises `TimeoutError`.
 *
 *     async def eternity():
 *         await asyncio.sleep(3600)
 *         print('yay!')
 *
 *     async def main():
 *         try:
 *             await asyncio.wait_for(eternity(), timeout=1.0)
 *         except TimeoutError:
 *             print('timeout!')
 *
 * Python's keyword `timeout=1.0` is `waitFor`'s second argument.
 * Run: `node dist/wait-for-expiry.js`.
 */
import { pathToFileURL } from "node:url";
import {
  CancelledError,
  type Coroutine,
  getRunningLoop,
  run,
  sleep,
  TimeoutError,
  waitFor,
} from "asyncio-ts";

function* eternity(): Coroutine<void> {
  // Sleep for one hour
  try {
    yield* sleep(3600);
    console.log("yay!");
  } catch (e) {
    if (e instanceof CancelledError) console.log("eternity() was cancelled");
    throw e;
  }
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();

  // A coroutine that finishes in time gives its result.
  console.log(yield* waitFor(sleep(0.5, "in time"), 1.0));

  // Wait for at most 1 second
  try {
    yield* waitFor(eternity(), 1.0);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log("timeout!");
  }
  console.log(`gave up after ${(loop.time() - start).toFixed(1)}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
