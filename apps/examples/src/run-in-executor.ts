/**
 * Twin of the `run_in_executor` program in Python's event loop docs ("Executing code in thread
 * or process pools"): `loop.runInExecutor()` runs a blocking function in the loop's default
 * thread pool and in a custom `ThreadPoolExecutor`, and a CPU-bound one in a
 * `ProcessPoolExecutor`, each awaited like any Future.
 *
 *     async def main():
 *         loop = asyncio.get_running_loop()
 *
 *         # 1. Run in the default loop's executor:
 *         result = await loop.run_in_executor(None, blocking_io)
 *         print('default thread pool', result)
 *
 *         # 2. Run in a custom thread pool:
 *         with concurrent.futures.ThreadPoolExecutor() as pool:
 *             result = await loop.run_in_executor(pool, blocking_io)
 *             print('custom thread pool', result)
 *
 *         # 3. Run in a custom process pool:
 *         with concurrent.futures.ProcessPoolExecutor() as pool:
 *             result = await loop.run_in_executor(pool, cpu_bound)
 *             print('custom process pool', result)
 *
 * The pools come from `@asyncio-ts/executors` (importing it also gives every loop its default
 * thread pool). A function handed to a pool is shipped to the worker as source, so it is a
 * self-contained top-level function: it reaches Node's modules with `process.getBuiltinModule()`
 * (Node ≥ 20.16) rather than an import. Python's `with pool:` (shut the pool down, waiting for its work, on the
 * way out) is a `try`/`finally` around the pool's `shutdown()`.
 * On the real clock only: the work happens on real threads and processes.
 * Run: `node dist/run-in-executor.js`.
 */
import { pathToFileURL } from "node:url";
import { ProcessPoolExecutor, ThreadPoolExecutor } from "@asyncio-ts/executors";
import { fromPromise } from "@asyncio-ts/promise";
import { type Coroutine, type Executor, getRunningLoop, run } from "asyncio-ts";

function blockingIo(): string {
  // File operations (such as logging) can block the
  // event loop: run them in a thread pool.
  // (The docs read /dev/urandom; /dev/zero prints the same on every run.)
  const fs = process.getBuiltinModule("node:fs");
  const { isMainThread } = process.getBuiltinModule("node:worker_threads");
  const data = Buffer.alloc(100);
  const fd = fs.openSync("/dev/zero", "r");
  let n: number;
  try {
    n = fs.readSync(fd, data, 0, data.length, null);
  } finally {
    fs.closeSync(fd);
  }
  return `read ${n} bytes (in a worker thread: ${isMainThread ? "False" : "True"})`;
}

function cpuBound(parentPid: number): string {
  // CPU-bound operations will block the event loop:
  // in general it is preferable to run them in a
  // process pool.
  // (10 ** 5 rather than the docs' 10 ** 7: the sum stays below 2 ** 53, exact as a number.)
  let total = 0;
  for (let i = 0; i < 10 ** 5; i++) total += i * i;
  return `${total} (in a child process: ${process.pid !== parentPid ? "True" : "False"})`;
}

/** Python's `with pool:` on the way out: `shutdown(wait=True)`, awaited. */
function* shutdown(pool: Executor): Coroutine<void> {
  yield* fromPromise(Promise.resolve(pool.shutdown({ wait: true })));
}

export function* main(): Coroutine<void> {
  const loop = getRunningLoop();

  // Options:

  // 1. Run in the default loop's executor:
  let result = yield* loop.runInExecutor(null, blockingIo);
  console.log("default thread pool:", result);

  // 2. Run in a custom thread pool:
  const threads = new ThreadPoolExecutor({ maxWorkers: 2 });
  try {
    result = yield* loop.runInExecutor(threads, blockingIo);
    console.log("custom thread pool:", result);
  } finally {
    yield* shutdown(threads);
  }

  // 3. Run in a custom process pool:
  const processes = new ProcessPoolExecutor({ maxWorkers: 2 });
  try {
    result = yield* loop.runInExecutor(processes, cpuBound, process.pid);
    console.log("custom process pool:", result);
  } finally {
    yield* shutdown(processes);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await run(main());
