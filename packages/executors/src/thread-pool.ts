import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { ResourceLimits } from "node:worker_threads";
import { Piscina } from "piscina";
import { BrokenThreadPool } from "./errors.js";
import {
  checkMaxWorkers,
  type JobPayload,
  PoolExecutor,
  type WorkerPool,
} from "./pool-executor.js";
import { checkBoolean, checkOptions, describeValue } from "./util.js";

// Plain .mjs next to src/ and dist/, so the same file serves both.
const THREAD_ENTRY = fileURLToPath(new URL("../worker/thread-entry.mjs", import.meta.url));

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

function threadDeath(reason: unknown): string {
  const e = reason as { name?: unknown; message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : describeValue(reason);
  if (e?.code === "ERR_WORKER_OUT_OF_MEMORY") return `it ran out of memory (${message})`;
  const exit = /^worker exited with code: (-?\d+)$/.exec(message);
  if (exit !== null) return `it exited with code ${exit[1]}`;
  return `an uncaught ${typeof e?.name === "string" ? e.name : "exception"} ended it: ${message}`;
}

class PiscinaPool implements WorkerPool {
  readonly #piscina: Piscina;

  constructor(maxWorkers: number, resourceLimits: ResourceLimits | undefined) {
    this.#piscina = new Piscina({
      filename: THREAD_ENTRY,
      // Threads start on demand and stay until shutdown, as in CPython; idle ones are unref'd by
      // Piscina, so they do not keep the process alive.
      minThreads: 0,
      maxThreads: maxWorkers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
      ...(resourceLimits !== undefined ? { resourceLimits } : {}),
    });
    this.#piscina.on("error", (e: unknown) => reportIdleWorkerDeath("ThreadPoolExecutor", e));
  }

  run(job: JobPayload, signal: AbortSignal | undefined): Promise<unknown> {
    return this.#piscina.run(job, signal !== undefined ? { signal } : {});
  }

  failure(label: string, reason: unknown): unknown {
    const e = reason as { name?: unknown; message?: unknown } | null;
    if (e?.name === "DataCloneError") {
      return new DOMException(
        `the arguments of ${label} cannot be sent to a worker thread: ${String(e.message)}`,
        "DataCloneError",
      );
    }
    return new BrokenThreadPool(
      `A worker thread died while running ${label}: ${threadDeath(reason)}. Only that job ` +
        "failed; the pool starts a new thread for the next jobs.",
      { cause: reason },
    );
  }

  async destroy(): Promise<void> {
    await this.#piscina.destroy();
    // The pool resolves on the workers' exit; their message ports close a moment later.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Mirrors `concurrent.futures.ThreadPoolExecutor` on Node worker threads (Piscina), so jobs run
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
  protected _createPool(maxWorkers: number): WorkerPool {
    return new PiscinaPool(maxWorkers, this.#resourceLimits);
  }

  /** @internal */
  protected _attachArgs(payload: JobPayload, args: unknown[]): JobPayload {
    payload.args = args;
    return payload;
  }
}
