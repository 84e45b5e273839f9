/**
 * Twin of the `asyncio.timeout()` programs on Python's "Coroutines and Tasks" page: a scope
 * that cancels its body when the deadline passes and raises `TimeoutError` instead; and a
 * scope opened with no deadline (`None`) that gets one later with `reschedule()`.
 *
 *     try:
 *         async with asyncio.timeout(1):
 *             await long_running_task()
 *     except TimeoutError:
 *         print("The long operation timed out, but we've handled it.")
 *
 * `async with asyncio.timeout(d) as cm:` is `yield* timeout(d, function* (cm) { ... })`.
 * Run: `node dist/timeout-expiry.js`.
 */
import { pathToFileURL } from "node:url";
import {
  type Coroutine,
  getRunningLoop,
  run,
  sleep,
  type Timeout,
  TimeoutError,
  timeout,
} from "asyncio-ts";

function* longRunningTask(): Coroutine<void> {
  yield* sleep(3600); // an hour
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  try {
    yield* timeout(1, function* () {
      yield* longRunningTask();
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
    console.log(`The long operation timed out at ${elapsed()}, but we've handled it.`);
    console.log(`(its cause: ${(e.cause as Error).name})`);
  }
  console.log("This statement will run regardless.");

  let cm!: Timeout;
  try {
    // We do not know the timeout when starting, so we pass null (Python's None).
    yield* timeout(null, function* (c) {
      cm = c;
      console.log(`no deadline yet: ${cm.when() === null ? "True" : "False"}`);
      // We know the timeout now, so we reschedule it.
      const newDeadline = loop.time() + 1;
      cm.reschedule(newDeadline);
      yield* longRunningTask();
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
  if (cm.expired()) console.log(`Looks like we haven't finished on time (${elapsed()}).`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
