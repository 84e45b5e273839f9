/**
 * Twin of the example on Python's "Queues" page: three workers take "work items" (seconds to
 * sleep) from a `Queue` and mark each one done; `main` waits on `queue.join()` until every
 * item is processed, then cancels the workers, which would otherwise wait on `get()` forever.
 *
 *     async def worker(name, queue):
 *         while True:
 *             sleep_for = await queue.get()
 *             await asyncio.sleep(sleep_for)
 *             queue.task_done()
 *             print(f'{name} has slept for {sleep_for:.2f} seconds')
 *
 * The docs draw `random.uniform(0.05, 1.0)` per item; both twins use the same fixed list
 * instead, so they print the same lines. Python's `put_nowait`/`task_done` are
 * `putNowait`/`taskDone`. Run: `node dist/producer-consumer-queue.js`.
 */
import { pathToFileURL } from "node:url";
import { gather } from "@asyncio-ts/combinators";
import { Queue } from "@asyncio-ts/sync";
import { CancelledError, type Coroutine, createTask, getRunningLoop, run, sleep } from "asyncio-ts";

/** The docs draw random.uniform(0.05, 1.0) per item; a fixed list keeps both twins in step. */
const SLEEPS = [0.45, 0.8, 0.2, 0.65, 0.3, 0.95, 0.1, 0.55, 0.7, 0.25, 0.6, 0.15];

function* worker(name: string, queue: Queue<number>): Coroutine<never> {
  while (true) {
    // Get a "work item" out of the queue.
    const sleepFor = yield* queue.get();

    // Sleep for the "sleepFor" seconds.
    yield* sleep(sleepFor);

    // Notify the queue that the "work item" has been processed.
    queue.taskDone();

    console.log(`${name} has slept for ${sleepFor.toFixed(2)} seconds`);
  }
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();

  // Create a queue that we will use to store our "workload".
  const queue = new Queue<number>();

  // Put the sleep times into the queue.
  let totalSleepTime = 0;
  for (const sleepFor of SLEEPS) {
    totalSleepTime += sleepFor;
    queue.putNowait(sleepFor);
  }

  // Create three worker tasks to process the queue concurrently.
  const tasks = [];
  for (let i = 0; i < 3; i++) {
    const task = createTask(worker(`worker-${i}`, queue));
    tasks.push(task);
  }

  // Wait until the queue is fully processed.
  const startedAt = loop.time();
  yield* queue.join();
  const totalSleptFor = loop.time() - startedAt;

  // Cancel our worker tasks.
  for (const task of tasks) task.cancel();
  // Wait until all worker tasks are cancelled.
  const results = yield* gather(...tasks, { returnExceptions: true });
  const cancelled = results.filter((r) => r instanceof CancelledError).length;
  console.log(`workers cancelled: ${cancelled}`);

  console.log("====");
  console.log(`3 workers slept in parallel for ${totalSleptFor.toFixed(2)} seconds`);
  console.log(`total expected sleep time: ${totalSleepTime.toFixed(2)} seconds`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
