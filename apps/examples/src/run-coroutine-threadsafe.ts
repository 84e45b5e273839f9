/**
 * Twin of `run_coroutine_threadsafe()` in Python's "Coroutines and Tasks" docs ("Scheduling From
 * Other Threads"): code outside the loop submits a coroutine to the running loop and waits for
 * its result; when it takes too long, it cancels it.
 *
 *     # Create a coroutine
 *     coro = asyncio.sleep(1, result=3)
 *     # Submit the coroutine to a given loop
 *     future = asyncio.run_coroutine_threadsafe(coro, loop)
 *     # Wait for the result with an optional timeout argument
 *     assert future.result(timeout) == 3
 *
 *     try:
 *         result = future.result(timeout)
 *     except TimeoutError:
 *         print('The coroutine took too long, cancelling the task...')
 *         future.cancel()
 *     except Exception as exc:
 *         print(f'The coroutine raised an exception: {exc!r}')
 *     else:
 *         print(f'The coroutine returned: {result!r}')
 *
 * In Python "outside" is another thread, which blocks in `future.result(timeout)`. Here it is
 * plain Node code started from a host callback (`setImmediate`), outside every task and every
 * loop callback: it cannot block, so it `await`s the handle `runCoroutineThreadsafe` returns
 * (a Promise-like with `cancel()`), and `resultWithin` plays `future.result(timeout)`.
 * On the real clock only: the outside code waits on host timers.
 * Run: `node dist/run-coroutine-threadsafe.js`.
 */
import { pathToFileURL } from "node:url";
import { fromPromise, runCoroutineThreadsafe } from "@asyncio-ts/promise";
import { Event } from "@asyncio-ts/sync";
import {
  type AbstractEventLoop,
  type Coroutine,
  getRunningLoop,
  isCancelledError,
  run,
  sleep,
  TimeoutError,
} from "asyncio-ts";

class Boom extends Error {
  override name = "Boom";
}

// biome-ignore lint/correctness/useYield: as `async def fail(): raise Boom(...)`, it need not await.
function* fail(): Coroutine<never> {
  throw new Boom("no luck");
}

function* hourLong(cancelled: Event): Coroutine<void> {
  try {
    yield* sleep(3600);
  } catch (e) {
    if (isCancelledError(e)) {
      console.log("hour_long(): cancelled, inside the loop");
      cancelled.set();
    }
    throw e;
  }
}

/** Python's `future.result(timeout)` for code that cannot block: the result, or TimeoutError. */
function resultWithin<T>(future: PromiseLike<T>, seconds: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError()), seconds * 1000);
    future.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Runs outside the loop: it reaches the loop only through `runCoroutineThreadsafe`. */
async function fromOutside(
  loop: AbstractEventLoop,
  start: number,
  cancelled: Event,
): Promise<void> {
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  // Create a coroutine
  const coro = sleep(1, 3);
  // Submit the coroutine to a given loop
  const future = runCoroutineThreadsafe(coro, loop);
  // Wait for the result with an optional timeout argument
  console.log(`The coroutine returned: ${await resultWithin(future, 2)} at ${elapsed()}`);

  try {
    await resultWithin(runCoroutineThreadsafe(fail(), loop), 2);
  } catch (exc) {
    const e = exc as Error;
    console.log(`The coroutine raised an exception: ${e.name}: ${e.message} at ${elapsed()}`);
  }

  const hour = runCoroutineThreadsafe(hourLong(cancelled), loop);
  try {
    const result = await resultWithin(hour, 0.5);
    console.log(`The coroutine returned: ${String(result)}`);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`The coroutine took too long (${elapsed()}), cancelling the task...`);
    hour.cancel();
  }
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  console.log("started at 0.0s");
  const cancelled = new Event();
  // A host callback starts the outside code (Python: `await asyncio.to_thread(from_outside, ...)`).
  const outside = new Promise<void>((resolve, reject) => {
    setImmediate(() => fromOutside(loop, start, cancelled).then(resolve, reject));
  });
  yield* fromPromise(outside);
  yield* cancelled.wait();
  console.log(`main: done at ${(loop.time() - start).toFixed(1)}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
