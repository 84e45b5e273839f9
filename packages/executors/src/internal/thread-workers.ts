import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { BrokenThreadPool } from "../errors.js";
import type { JobDone, JobPayload, WorkerPool } from "../pool-executor.js";
import { describeValue } from "../util.js";

// Plain .mjs next to src/ and dist/, so the same file serves both.
const THREAD_ENTRY = fileURLToPath(new URL("../../worker/thread-entry.mjs", import.meta.url));

/** Why a worker thread ended while it ran a job: what `failure()` turns into a message. */
class ThreadDeath {
  constructor(
    /** The uncaught error (or out-of-memory error) that ended it, if any. */
    readonly error: unknown,
    readonly exitCode: number,
  ) {}

  describe(): string {
    if (this.error === undefined) return `it exited with code ${this.exitCode}`;
    const e = this.error as { name?: unknown; message?: unknown; code?: unknown } | null;
    const message = typeof e?.message === "string" ? e.message : describeValue(this.error);
    if (e?.code === "ERR_WORKER_OUT_OF_MEMORY") return `it ran out of memory (${message})`;
    return `an uncaught ${typeof e?.name === "string" ? e.name : "exception"} ended it: ${message}`;
  }
}

interface InFlight {
  done: JobDone;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
}

class ThreadWorker {
  readonly worker: Worker;
  job: InFlight | null = null;
  /** Keys of the function sources this thread has been sent (see `#key`). */
  readonly known = new Set<number>();
  /** The 'error' event's value, until 'exit' (which follows it) fails the job with it. */
  error: unknown = undefined;

  constructor(resourceLimits: ResourceLimits | undefined) {
    this.worker = new Worker(THREAD_ENTRY, resourceLimits !== undefined ? { resourceLimits } : {});
  }
}

/**
 * The worker threads of a `ThreadPoolExecutor`: at most one job per thread at a time (the
 * executor never hands over more than `maxWorkers`), sent with a bare `postMessage` and answered
 * the same way. Threads start on demand and stay until `destroy()`; an idle one is unref'd so it
 * does not keep the process alive. A thread that dies fails only its job and is replaced by the
 * next job that needs one.
 *
 * Not Piscina (which this package used first): on the same machine and run, Piscina's
 * `run()` alone costs about twice a raw `postMessage` round trip, which puts the latency
 * target (≤ 1.5× raw) out of reach for anything built on it; see the README.
 */
export class ThreadWorkers implements WorkerPool {
  readonly #resourceLimits: ResourceLimits | undefined;
  readonly #idle: ThreadWorker[] = [];
  /** Every live thread, with the promise of its exit. */
  readonly #exits = new Map<ThreadWorker, Promise<void>>();
  readonly #onIdleDeath: (error: unknown) => void;
  readonly #keys = new Map<string, number>();

  constructor(resourceLimits: ResourceLimits | undefined, onIdleDeath: (error: unknown) => void) {
    this.#resourceLimits = resourceLimits;
    this.#onIdleDeath = onIdleDeath;
  }

  run(job: JobPayload, signal: AbortSignal | undefined, done: JobDone): void {
    const w = this.#idle.pop() ?? this.#spawn();
    const key = this.#key(job);
    const compact = key >= 0 && w.known.has(key);
    try {
      w.worker.postMessage(
        key < 0
          ? job
          : compact
            ? [job.id, key, job.args]
            : [job.id, key, job.args, job.source, job.globals, job.fnName],
      );
    } catch (e) {
      // Arguments that cannot be cloned: the thread never saw the job (nor its source) and stays
      // idle.
      this.#idle.push(w);
      queueMicrotask(() => done(false, e));
      return;
    }
    if (key >= 0 && !compact) w.known.add(key);
    const inFlight: InFlight = { done, signal, onAbort: null };
    if (signal !== undefined) {
      inFlight.onAbort = () => void w.worker.terminate();
      signal.addEventListener("abort", inFlight.onAbort, { once: true });
    }
    w.job = inFlight;
    w.worker.ref();
  }

  failure(label: string, reason: unknown): unknown {
    if (reason instanceof ThreadDeath) {
      return new BrokenThreadPool(
        `A worker thread died while running ${label}: ${reason.describe()}. Only that job ` +
          "failed; the pool starts a new thread for the next jobs.",
        {
          cause: reason.error ?? new Error(`the worker thread exited with code ${reason.exitCode}`),
        },
      );
    }
    const e = reason as { name?: unknown; message?: unknown } | null;
    if (e?.name === "DataCloneError") {
      return new DOMException(
        `the arguments of ${label} cannot be sent to a worker thread: ${String(e.message)}`,
        "DataCloneError",
      );
    }
    return reason;
  }

  destroy(): Promise<void> {
    for (const w of this.#exits.keys()) void w.worker.terminate();
    return Promise.all(this.#exits.values()).then(() => undefined);
  }

  // A plain call of a function sent as source travels as `[id, key, args]` once the thread has
  // had its source (`[id, key, args, source, globals, fnName]`, the first time): the commonest
  // job, and the smallest message to clone. Anything else (key -1) goes as the payload object.
  #key(job: JobPayload): number {
    const source = job.source;
    if (source === undefined || job.chunk) return -1;
    let key = this.#keys.get(source);
    if (key === undefined) {
      key = this.#keys.size;
      this.#keys.set(source, key);
    }
    return key;
  }

  #spawn(): ThreadWorker {
    const w = new ThreadWorker(this.#resourceLimits);
    const worker = w.worker;
    worker.on("message", (reply: unknown) => {
      const job = this.#release(w);
      if (job === null) return;
      this.#idle.push(w);
      worker.unref();
      job.done(true, reply);
    });
    worker.on("error", (error: unknown) => {
      w.error = error;
    });
    this.#exits.set(
      w,
      new Promise<void>((resolve) => {
        worker.once("exit", (code: number) => {
          this.#exits.delete(w);
          const i = this.#idle.indexOf(w);
          if (i >= 0) this.#idle.splice(i, 1);
          const job = this.#release(w);
          if (job !== null) job.done(false, new ThreadDeath(w.error, code));
          else if (w.error !== undefined) this.#onIdleDeath(w.error);
          resolve();
        });
      }),
    );
    return w;
  }

  #release(w: ThreadWorker): InFlight | null {
    const job = w.job;
    w.job = null;
    if (job?.onAbort != null) job.signal!.removeEventListener("abort", job.onAbort);
    return job;
  }
}
