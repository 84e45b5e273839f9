/**
 * Twin of Python's `Future.add_done_callback` docs: callbacks run (scheduled with
 * `call_soon`, in registration order) once the future is done, before the task awaiting it
 * resumes; `remove_done_callback` removes every registration of a callback and says how many.
 *
 *     fut.add_done_callback(functools.partial(print, "Future:"))
 *
 * JavaScript has no `functools.partial`: a closure passes the extra arguments.
 * Run: `node dist/add-done-callback.js`.
 */
import { pathToFileURL } from "node:url";
import { type Coroutine, type Future, getRunningLoop, run, sleep } from "asyncio-ts";

function report(label: string, fut: Future<number>): void {
  console.log(`${label}: result is ${fut.result()}`);
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();
  const fut = loop.createFuture<number>();

  // The docs' callback: print "Future:" and the future itself.
  fut.addDoneCallback((f) => console.log("Future:", String(f)));
  const first = (f: Future<number>) => report("first", f);
  fut.addDoneCallback(first);
  fut.addDoneCallback((f) => report("second", f));
  fut.addDoneCallback(first); // registered twice
  console.log(`removed ${fut.removeDoneCallback(first)} callback(s)`);

  loop.callLater(1, fut.setResult.bind(fut), 42);
  console.log("waiting ...");
  // The callbacks run before this task resumes: its wake-up was registered after them.
  console.log(`awaited: ${yield* fut}`);

  // On a done future, a new callback is scheduled at once but still runs later, via the loop.
  fut.addDoneCallback((f) => report("late", f));
  console.log("registered a callback on the done future");
  yield* sleep(0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
