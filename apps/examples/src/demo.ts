/**
 * Runs every example in turn on the real clock (about 40 s in all), each introduced by one
 * line saying what it shows. `pnpm demo` at the repository root builds and runs this.
 */
import { type Coroutine, run } from "asyncio-ts";
import * as addDoneCallback from "./add-done-callback.js";
import * as asCompleted from "./as-completed.js";
import * as asyncWithResource from "./async-with-resource.js";
import * as callSoonRunUntilComplete from "./call-soon-run-until-complete.js";
import * as cancelWithFinally from "./cancel-with-finally.js";
import * as createTaskAwait from "./create-task-await.js";
import * as fetchWithCancellation from "./fetch-with-cancellation.js";
import * as futureSetByTask from "./future-set-by-task.js";
import * as gatherSayAfter from "./gather-say-after.js";
import * as helloWorld from "./hello-world.js";
import * as nodeStream from "./node-stream.js";
import * as paginatedProducer from "./paginated-producer.js";
import * as producerConsumerQueue from "./producer-consumer-queue.js";
import * as runCoroutineThreadsafe from "./run-coroutine-threadsafe.js";
import * as runInExecutor from "./run-in-executor.js";
import * as sayAfterConcurrent from "./say-after-concurrent.js";
import * as sayAfterSequential from "./say-after-sequential.js";
import * as sleepSort from "./sleep-sort.js";
import * as taskApi from "./task-api.js";
import * as taskGroup from "./task-group.js";
import * as timeoutExpiry from "./timeout-expiry.js";
import * as toThread from "./to-thread.js";
import * as waitForExpiry from "./wait-for-expiry.js";
import * as waitTimeoutCancelPending from "./wait-timeout-cancel-pending.js";

type Example = [name: string, shows: string, start: () => Promise<unknown>];

/** Most examples are coroutines for `run()`; one drives its own loop (an async function). */
const coroutine = (main: () => Coroutine<void>) => () => run(main());

const examples: Example[] = [
  ["hello-world", "a coroutine sleeps 1 s between two prints", coroutine(helloWorld.main)],
  [
    "say-after-sequential",
    "awaiting coroutines one after the other (1 s + 2 s = 3 s)",
    coroutine(sayAfterSequential.main),
  ],
  [
    "say-after-concurrent",
    "two tasks run concurrently (3 s of sleeps in 2 s)",
    coroutine(sayAfterConcurrent.main),
  ],
  [
    "create-task-await",
    "coroutines are lazy; createTask schedules one, awaiting it gives its result",
    coroutine(createTaskAwait.main),
  ],
  [
    "future-set-by-task",
    "a Future awaited by main is set by another task after 1 s",
    coroutine(futureSetByTask.main),
  ],
  [
    "add-done-callback",
    "done-callbacks run in order, before the awaiting task resumes",
    coroutine(addDoneCallback.main),
  ],
  [
    "cancel-with-finally",
    "cancelling a sleeping task runs its except/finally; the awaiter sees CancelledError",
    coroutine(cancelWithFinally.main),
  ],
  [
    "task-api",
    "currentTask, allTasks, getName/setName, getCoro, done, result",
    coroutine(taskApi.main),
  ],
  [
    "call-soon-run-until-complete",
    "a hand-made loop: callSoon, callLater, runForever/stop, runUntilComplete, close",
    callSoonRunUntilComplete.main,
  ],
  [
    "sleep-sort",
    "timers fire in deadline order, so sleeping n/100 s sorts (50 ms)",
    coroutine(sleepSort.main),
  ],
  [
    "timeout-expiry",
    "timeout() cancels an hour-long sleep after 1 s and raises TimeoutError; reschedule()",
    coroutine(timeoutExpiry.main),
  ],
  [
    "wait-for-expiry",
    "waitFor() gives up on eternity() after 1 s and raises TimeoutError",
    coroutine(waitForExpiry.main),
  ],
  [
    "gather-say-after",
    "gather() runs coroutines concurrently and gives results in argument order",
    coroutine(gatherSayAfter.main),
  ],
  [
    "wait-timeout-cancel-pending",
    "wait() returns [done, pending] on FIRST_COMPLETED or a timeout; we cancel the pending",
    coroutine(waitTimeoutCancelPending.main),
  ],
  [
    "as-completed",
    "asCompleted() gives results in completion order; with a timeout, TimeoutError",
    coroutine(asCompleted.main),
  ],
  [
    "producer-consumer-queue",
    "three workers drain a Queue; join() waits for taskDone() of every item",
    coroutine(producerConsumerQueue.main),
  ],
  [
    "task-group",
    "taskGroup() waits for its children; a failure cancels the rest, ExceptionGroup",
    coroutine(taskGroup.main),
  ],
  [
    "async-with-resource",
    "asyncWith on a resource, an asyncContextManager, a Lock and an AsyncExitStack",
    coroutine(asyncWithResource.main),
  ],
  [
    "paginated-producer",
    "an async generator of paged items; leaving asyncFor early closes it at once",
    coroutine(paginatedProducer.main),
  ],
  [
    "node-stream",
    "a coroutine reads a child process's output line by line (a Node stream) with asyncFor",
    coroutine(nodeStream.main),
  ],
  [
    "to-thread",
    "toThread() blocks a worker thread for 1 s while main sleeps 1 s: both done at 1.0 s",
    coroutine(toThread.main),
  ],
  [
    "run-in-executor",
    "runInExecutor() on the default thread pool, a ThreadPoolExecutor, a ProcessPoolExecutor",
    coroutine(runInExecutor.main),
  ],
  [
    "run-coroutine-threadsafe",
    "code outside the loop submits coroutines with runCoroutineThreadsafe, awaits, cancels one",
    coroutine(runCoroutineThreadsafe.main),
  ],
  [
    "fetch-with-cancellation",
    "cancelling fromPromise(signal => fetch(...)) aborts the request; the server sees it",
    coroutine(fetchWithCancellation.main),
  ],
];

for (const [name, shows, start] of examples) {
  console.log(`=== ${name}: ${shows}`);
  await start();
}
console.log(`=== done: ${examples.length} examples`);
