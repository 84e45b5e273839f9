import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { serialize } from "node:v8";
import { Tinypool } from "tinypool";
import { BrokenProcessPool } from "./errors.js";
import { jobLabel } from "./executor-future.js";
import {
  checkMaxWorkers,
  type JobDone,
  type JobPayload,
  PoolExecutor,
  type WorkerPool,
} from "./pool-executor.js";
import { reportIdleWorkerDeath } from "./thread-pool.js";
import { checkBoolean, checkOptions, describeValue } from "./util.js";

const PROCESS_ENTRY = fileURLToPath(new URL("../worker/process-entry.mjs", import.meta.url));

/**
 * Options of {@link ProcessPoolExecutor} (Python's `max_workers`, plus Node's own).
 * @example
 * import { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from "@asyncio-ts/executors";
 * const options: ProcessPoolExecutorOptions = { maxWorkers: 2, execArgv: ["--max-old-space-size=512"] };
 * await new ProcessPoolExecutor(options).shutdown();
 */
export interface ProcessPoolExecutorOptions {
  /** How many child processes run jobs at once; Python's default, the number of CPUs. */
  maxWorkers?: number | null;
  /**
   * asyncio-ts extension: let `cancel()` (or cancelling the awaiting task) stop a running job by
   * killing its process (a new one replaces it). Default `false`: as in Python, a running job
   * cannot be cancelled and runs to its end.
   */
  terminateOnCancel?: boolean;
  /** Node options for the child processes (default: this process's `process.execArgv`). */
  execArgv?: string[];
}

interface ChildLike {
  on(event: "exit", listener: (code: number | null, signal: string | null) => void): unknown;
  kill(): boolean;
}

function childOf(worker: unknown): ChildLike | undefined {
  return (worker as { process?: ChildLike }).process;
}

// Idle children do not keep this process alive; when it exits without shutdown(), they are
// stopped here rather than left to notice the closed IPC channel a second or so later.
const livePools = new Set<Tinypool>();
let exitHookInstalled = false;
function stopChildrenAtExit(pool: Tinypool): void {
  livePools.add(pool);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const p of livePools) for (const w of p.threads) childOf(w)?.kill();
  });
}

class TinypoolPool implements WorkerPool {
  readonly #tinypool: Tinypool;
  readonly #watched = new WeakSet<object>();
  #lastExit: { code: number | null; signal: string | null } | null = null;

  constructor(maxWorkers: number, execArgv: string[] | undefined) {
    this.#tinypool = new Tinypool({
      runtime: "child_process",
      filename: PROCESS_ENTRY,
      // Without it, Map, Set, Date, BigInt and typed arrays would not survive the IPC channel.
      serialization: "advanced",
      // tinypool would otherwise give the children an environment with nothing in it.
      env: process.env as Record<string, string>,
      ...(execArgv !== undefined ? { execArgv } : {}),
      minThreads: 0,
      maxThreads: maxWorkers,
      // Processes stay until shutdown (idle ones are unref'd); the longest timer Node allows.
      idleTimeout: 2 ** 31 - 1,
    });
    this.#tinypool.on("error", (e: unknown) => reportIdleWorkerDeath("ProcessPoolExecutor", e));
    stopChildrenAtExit(this.#tinypool);
  }

  run(job: JobPayload, signal: AbortSignal | undefined, done: JobDone): void {
    let reply: Promise<unknown>;
    try {
      reply = this.#tinypool.run(job, signal !== undefined ? { signal } : {});
    } catch (e) {
      reply = Promise.reject(e);
    }
    this.#watchExits();
    reply.then(
      (data) => done(true, data),
      (reason: unknown) => done(false, reason),
    );
  }

  // tinypool reports a dead child as "Worker exited unexpectedly"; its exit code or signal comes
  // from the child process itself (tinypool's own "exit" listener runs first, so the record is in
  // place before the job's rejection is handled).
  #watchExits(): void {
    for (const worker of this.#tinypool.threads) {
      const child = childOf(worker);
      if (child === undefined || this.#watched.has(child)) continue;
      this.#watched.add(child);
      child.on("exit", (code, signal) => {
        this.#lastExit = { code, signal };
      });
    }
  }

  failure(label: string, reason: unknown): unknown {
    const message =
      typeof (reason as { message?: unknown } | null)?.message === "string"
        ? (reason as { message: string }).message
        : describeValue(reason);
    let why = message;
    const exit = this.#lastExit;
    if (message === "Worker exited unexpectedly" && exit !== null) {
      this.#lastExit = null;
      why =
        exit.signal !== null
          ? `it was killed by ${exit.signal}`
          : `it exited with code ${exit.code}`;
    }
    return new BrokenProcessPool(
      `A child process died while running ${label}: ${why}. Only that job failed; the pool ` +
        "starts a new process for the next jobs.",
      { cause: reason },
    );
  }

  async destroy(): Promise<void> {
    livePools.delete(this.#tinypool);
    await this.#tinypool.destroy();
    // The pool resolves on the workers' exit; their message ports close a moment later.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Mirrors `concurrent.futures.ProcessPoolExecutor` on child processes (tinypool). Arguments are
 * v8-serialized when `submit()` is called (a value that cannot be serialized is refused there
 * with a `DataCloneError`), results on the way back.
 * @example
 * import { ProcessPoolExecutor } from "@asyncio-ts/executors";
 * function pid() {
 *   return process.pid;
 * }
 * const ex = new ProcessPoolExecutor({ maxWorkers: 1 });
 * console.log((await ex.submit(pid)) !== process.pid); // true
 * await ex.shutdown();
 */
export class ProcessPoolExecutor extends PoolExecutor {
  readonly #execArgv: string[] | undefined;

  constructor(options?: ProcessPoolExecutorOptions) {
    const o = checkOptions(
      options,
      ["maxWorkers", "terminateOnCancel", "execArgv"],
      "ProcessPoolExecutor",
    );
    super(
      checkMaxWorkers(o.maxWorkers, availableParallelism()),
      checkBoolean(o.terminateOnCancel, "terminateOnCancel", false),
    );
    const execArgv = o.execArgv;
    if (
      execArgv !== undefined &&
      execArgv !== null &&
      !(Array.isArray(execArgv) && execArgv.every((a) => typeof a === "string"))
    ) {
      throw new TypeError(
        `Expected \`execArgv\` to be an array of strings, got ${describeValue(execArgv)}`,
      );
    }
    this.#execArgv = (execArgv ?? undefined) as string[] | undefined;
  }

  /** @internal */
  protected _createPool(maxWorkers: number): WorkerPool {
    return new TinypoolPool(maxWorkers, this.#execArgv);
  }

  /** @internal */
  protected _attachArgs(payload: JobPayload, args: unknown[]): JobPayload {
    try {
      payload.data = serialize(args);
    } catch (e) {
      throw new DOMException(
        `the arguments of ${jobLabel(payload)} cannot be sent to a child process: ${(e as Error).message}`,
        "DataCloneError",
      );
    }
    return payload;
  }
}
