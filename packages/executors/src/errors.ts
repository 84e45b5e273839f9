import { RuntimeError } from "@asyncio-ts/core";

/**
 * Mirrors `concurrent.futures.BrokenExecutor`: a worker died while it ran a job (it exited, was
 * killed, or ran out of memory). Unlike Python, only the job that was running fails; the pool
 * starts a new worker for the next jobs. The original error, if any, is the `cause`.
 * @example
 * import { BrokenExecutor, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function crash() {
 *   process.exit(3);
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
 * try {
 *   await ex.submit(crash);
 * } catch (e) {
 *   console.log(e instanceof BrokenExecutor); // true
 * }
 * await ex.shutdown();
 */
export class BrokenExecutor extends RuntimeError {
  override name = "BrokenExecutor";
}

/**
 * Mirrors `concurrent.futures.thread.BrokenThreadPool`: the worker thread running a job died.
 * @example
 * import { BrokenThreadPool, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function crash() {
 *   process.exit(3);
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
 * const error = await ex.submit(crash).then(null, (e: unknown) => e);
 * console.log(error instanceof BrokenThreadPool); // true
 * await ex.shutdown();
 */
export class BrokenThreadPool extends BrokenExecutor {
  override name = "BrokenThreadPool";
}

/**
 * Mirrors `concurrent.futures.process.BrokenProcessPool`: the child process running a job died.
 * @example
 * import { BrokenProcessPool, ProcessPoolExecutor } from "@asyncio-ts/executors";
 * function crash() {
 *   process.exit(3);
 * }
 * const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
 * const error = await ex.submit(crash).then(null, (e: unknown) => e);
 * console.log((error as Error).message); // … exited with code 3 …
 * console.log(error instanceof BrokenProcessPool); // true
 * await ex.shutdown();
 */
export class BrokenProcessPool extends BrokenExecutor {
  override name = "BrokenProcessPool";
}
