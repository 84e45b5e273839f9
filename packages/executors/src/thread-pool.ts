import { availableParallelism } from "node:os";
import type { ResourceLimits } from "node:worker_threads";
import { ThreadWorkers } from "./internal/thread-workers.js";
import {
  checkMaxWorkers,
  type JobPayload,
  PoolExecutor,
  type WorkerPool,
} from "./pool-executor.js";
import { checkBoolean, checkOptions, describeValue } from "./util.js";

/**
 * Options of {@link ThreadPoolExecutor} (Python's `max_workers`, plus Node's own).
 * @example
 * import { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from "@asyncio-ts/executors";
 * const options: ThreadPoolExecutorOptions = {
 *   maxWorkers: 4,
 *   terminateOnCancel: true,
 *   resourceLimits: { maxOldGenerationSizeMb: 256 },
 * };
 * await new ThreadPoolExecutor(options).shutdown();
 */
export interface ThreadPoolExecutorOptions {
  /** How many worker threads run jobs at once; Python's default, `min(32, cpus + 4)`. */
  maxWorkers?: number | null;
  /**
   * asyncio-ts extension: let `cancel()` (or cancelling the awaiting task) stop a running job by
   * terminating its worker thread (a new one replaces it). Default `false`: as in Python, a
   * running job cannot be cancelled and runs to its end.
   */
  terminateOnCancel?: boolean;
  /** Each worker thread's V8 heap limits (Node's `Worker` option); a job that exceeds them fails with `BrokenThreadPool`. */
  resourceLimits?: ResourceLimits;
}

/** @internal */
export function reportIdleWorkerDeath(kind: string, error: unknown): void {
  console.error(`asyncio-ts: an idle worker of a ${kind} died (no job was lost):`, error);
}

/**
 * Mirrors `concurrent.futures.ThreadPoolExecutor` on Node worker threads, so jobs run
 * in parallel with the loop and with each other. Arguments are structured-cloned when a job
 * starts (a `SharedArrayBuffer` is shared); results are v8-serialized back.
 * @example
 * import { ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function fib(n: number): number {
 *   return n < 2 ? n : fib(n - 1) + fib(n - 2);
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 2 });
 * console.log(await Promise.all([ex.submit(fib, 25), ex.submit(fib, 26)])); // [ 75025, 121393 ]
 * await ex.shutdown();
 */
export class ThreadPoolExecutor extends PoolExecutor {
  readonly #resourceLimits: ResourceLimits | undefined;

  constructor(options?: ThreadPoolExecutorOptions) {
    const o = checkOptions(
      options,
      ["maxWorkers", "terminateOnCancel", "resourceLimits"],
      "ThreadPoolExecutor",
    );
    super(
      checkMaxWorkers(o.maxWorkers, Math.min(32, availableParallelism() + 4)),
      checkBoolean(o.terminateOnCancel, "terminateOnCancel", false),
    );
    const limits = o.resourceLimits;
    if (
      limits !== undefined &&
      limits !== null &&
      (typeof limits !== "object" || Array.isArray(limits))
    ) {
      throw new TypeError(
        `Expected \`resourceLimits\` to be an object, got ${describeValue(limits)}`,
      );
    }
    this.#resourceLimits = (limits ?? undefined) as ResourceLimits | undefined;
  }

  /** @internal */
  protected _createPool(): WorkerPool {
    return new ThreadWorkers(this.#resourceLimits, (e) =>
      reportIdleWorkerDeath("ThreadPoolExecutor", e),
    );
  }

  /** @internal */
  protected _attachArgs(payload: JobPayload, args: unknown[]): JobPayload {
    payload.args = args;
    return payload;
  }
}
