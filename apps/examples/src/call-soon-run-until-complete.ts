/**
 * Twin of the low-level programs in Python's "Event Loop" docs ("Hello World with
 * call_soon()", `call_later`, `run_until_complete`): make a loop yourself, schedule plain
 * callbacks on it, run it, close it.
 *
 *     def hello_world(loop):
 *         print('Hello World')
 *         loop.stop()
 *
 *     loop = asyncio.new_event_loop()
 *     loop.call_soon(hello_world, loop)
 *     try:
 *         loop.run_forever()
 *     finally:
 *         loop.close()
 *
 * JavaScript cannot block, so `runForever()` and `runUntilComplete()` return Promises, and
 * this example's `main` is an `async function` (it drives a loop, so it cannot run inside
 * one) instead of a coroutine.
 * Run: `node dist/call-soon-run-until-complete.js`.
 */
import { pathToFileURL } from "node:url";
import { type AbstractEventLoop, type Coroutine, newEventLoop, sleep } from "asyncio-ts";

function helloWorld(loop: AbstractEventLoop): void {
  console.log("Hello World");
  loop.stop();
}

function say(what: string): void {
  console.log(`call_soon: ${what}`);
}

export async function main(): Promise<void> {
  const loop = newEventLoop();
  const start = loop.time();
  const elapsed = () => `${(loop.time() - start).toFixed(1)}s`;

  function* compute(): Coroutine<number> {
    console.log("compute() starts");
    yield* sleep(2);
    console.log(`compute() returns at ${elapsed()}`);
    return 42;
  }

  // Schedule a call to helloWorld(), which stops the loop it runs on.
  loop.callSoon(helloWorld, loop);
  try {
    // Blocks (here: resolves) once loop.stop() was called.
    await loop.runForever();
    console.log("run_forever() returned");

    loop.callLater(1, () => console.log(`call_later: fired at ${elapsed()}`));
    loop.callSoon(say, "first");
    loop.callSoon(say, "second"); // callbacks run in the order they were scheduled
    const result = await loop.runUntilComplete(compute());
    console.log(`run_until_complete() returned ${result}`);
  } finally {
    loop.close();
  }
  console.log(`loop.is_closed(): ${loop.isClosed() ? "True" : "False"}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
