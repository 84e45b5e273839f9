/**
 * Twin of the `blocking_io` program in Python's `asyncio.to_thread()` docs: a blocking function
 * runs in a worker thread while the event loop goes on with other work (here `sleep(1)`), so the
 * two one-second waits end together, at 1.0 s, not one after the other at 2.0 s.
 *
 *     def blocking_io():
 *         print(f"start blocking_io at {time.strftime('%X')}")
 *         # Note that time.sleep() can be replaced with any blocking
 *         # IO-bound operation, such as file operations.
 *         time.sleep(1)
 *         print(f"blocking_io complete at {time.strftime('%X')}")
 *
 *     async def main():
 *         print(f"started main at {time.strftime('%X')}")
 *         await asyncio.gather(
 *             asyncio.to_thread(blocking_io),
 *             asyncio.sleep(1))
 *         print(f"finished main at {time.strftime('%X')}")
 *
 * `toThread` comes from `@asyncio-ts/executors` and runs the function on a real worker thread,
 * so the function is shipped as source: it must be self-contained (no closure, no imports).
 * The worker cannot print through this thread's `console`, so `blockingIo` returns how long it
 * blocked, and `main` prints every line after `gather()`, which also fixes their order. Before
 * the clock starts, one `toThread(blockingIo, 0)` starts the default pool's thread: a Node worker
 * thread takes some 50 ms to start (a Python thread, well under 1 ms), which would otherwise
 * show in the times printed (1.1s instead of 1.0s).
 * On the real clock only: virtual time would not wait for the thread before jumping the clock.
 * Run: `node dist/to-thread.js`.
 */
import { pathToFileURL } from "node:url";
import { toThread } from "@asyncio-ts/executors";
import { type Awaitable, type Coroutine, gather, getRunningLoop, run, sleep } from "asyncio-ts";

/**
 * Blocks its thread for `seconds`: `Atomics.wait` on a fresh shared buffer that nobody will
 * notify stands for any blocking call (Python's `time.sleep()`). Returns the seconds it blocked.
 */
function blockingIo(seconds: number): number {
  const t0 = performance.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  return (performance.now() - t0) / 1000;
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  // Start the default thread pool's worker first (see above).
  yield* toThread(blockingIo, 0);
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  // Await `aw`, then note when that happened.
  function* finishedAt<T>(aw: Awaitable<T>): Coroutine<[T, string]> {
    const result = yield* aw;
    return [result, elapsed()];
  }

  console.log(`started main at ${elapsed()}`);

  const [[blocked, ioDone], [, sleepDone]] = yield* gather(
    finishedAt(toThread(blockingIo, 1)),
    finishedAt(sleep(1)),
  );

  console.log(`blocking_io blocked its thread for ${blocked.toFixed(1)}s`);
  console.log(`blocking_io complete at ${ioDone}`);
  console.log(`asyncio.sleep(1) complete at ${sleepDone}`);
  console.log(`finished main at ${elapsed()}, not 2.0s: the two ran at the same time`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
