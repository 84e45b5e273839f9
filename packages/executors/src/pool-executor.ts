import {
  type AsyncContextManager,
  type Coroutine,
  type Executor,
  RuntimeError,
  wrapFuture,
} from "@asyncio-ts/core";
import { followPromise } from "@asyncio-ts/core/shared";
import { ExecutorFuture } from "./executor-future.js";
import { ExecutorMap, type MapEntry } from "./map.js";
import { decodeReply } from "./remote.js";
import { type Callable, type ModuleReference, prepareCallable } from "./sendable.js";
import { checkBoolean, checkOptions, describeValue } from "./util.js";

/**
 * Options of `shutdown()`, Python's `shutdown(wait=True, *, cancel_futures=False)`.
 * @example
 * import { type ShutdownOptions, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * const now: ShutdownOptions = { wait: false, cancelFutures: true };
 * await new ThreadPoolExecutor().shutdown(now);
 */
export interface ShutdownOptions {
  /** Resolve only once every job has finished and every worker has exited (default `true`). */
  wait?: boolean;
  /** Cancel the jobs that have not started (default `false`). */
  cancelFutures?: boolean;
}

/**
 * Options of `map()` (Python's `chunksize=`), given as a trailing plain object after the iterables.
 * @example
 * import { type MapOptions, ProcessPoolExecutor } from "@asyncio-ts/executors";
 * function double(x: number) {
 *   return 2 * x;
 * }
 * const options: MapOptions = { chunksize: 100 };
 * const ex = new ProcessPoolExecutor({ maxWorkers: 2 });
 * for await (const r of ex.map(double, Array.from({ length: 1000 }, (_, i) => i), options)) {
 *   if (r === 1998) console.log("last");
 * }
 * await ex.shutdown();
 */
export interface MapOptions {
  /** Send this many calls per job (default 1); fewer, bigger jobs cost less per item. */
  chunksize?: number;
}

/**
 * The iterables `map()` takes, one per parameter of the function (Python's `*iterables`).
 * @example
 * import type { MapIterables } from "@asyncio-ts/executors";
 * const args: MapIterables<[number, string]> = [[1, 2], new Set(["a", "b"])];
 * console.log(args.length); // 2
 */
export type MapIterables<A extends unknown[]> = { [K in keyof A]: Iterable<A[K]> };

/** @internal What a worker receives (see worker/run-job.mjs). */
export interface JobPayload {
  id: number;
  fnName: string;
  chunk: boolean;
  args?: unknown[];
  data?: Uint8Array;
  source?: string;
  globals?: string[];
  url?: string;
  name?: string;
}

/** @internal How a {@link WorkerPool} reports the end of a job. */
export type JobDone = (replied: boolean, data: unknown) => void;

/** @internal The workers an executor hands its jobs to (worker threads, or tinypool's processes). */
export interface WorkerPool {
  /**
   * Sends the job; `done(true, reply)` gets the worker's reply, `done(false, reason)` says why
   * the job could not run to a reply. `done` is called once, never synchronously.
   */
  run(job: JobPayload, signal: AbortSignal | undefined, done: JobDone): void;
  /** The error a job gets when `run()` rejected with `reason` (its worker died, ...). */
  failure(label: string, reason: unknown): unknown;
  /** Stops every worker; resolves once they have exited. */
  destroy(): Promise<void>;
}

class Job {
  prev: Job | null = null;
  next: Job | null = null;
  abort: AbortController | null = null;
  constructor(
    readonly future: ExecutorFuture<unknown>,
    public payload: JobPayload | null,
  ) {}
}

/** @internal Checks `maxWorkers` as CPython checks `max_workers`. */
export function checkMaxWorkers(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(
      `Expected \`maxWorkers\` to be a positive integer, got ${describeValue(value)}`,
    );
  }
  if (value <= 0) throw new RangeError("max_workers must be greater than 0");
  return value;
}

function isOptionsObject(v: unknown): boolean {
  if (v === null || typeof v !== "object" || Symbol.iterator in v) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * The queue, cancellation and shutdown logic shared by both pools; the workers themselves are
 * worker_threads' (thread-workers.ts) or tinypool's. Jobs wait in this queue, not in the pool's, and at most `maxWorkers`
 * are handed over at a time, so that a queued job can be cancelled without touching a worker and
 * a running one is never cancelled by accident.
 *
 * Python's `with executor:` (which calls `shutdown(wait=True)` at the end) is `await using` here,
 * or, from a coroutine, `yield* asyncWith(executor, function* (ex) { ... })`.
 */
export abstract class PoolExecutor implements Executor, AsyncContextManager<PoolExecutor, false> {
  readonly #maxWorkers: number;
  readonly #terminateOnCancel: boolean;
  #shutdown = false;
  #head: Job | null = null;
  #tail: Job | null = null;
  #queued = 0;
  #running = 0;
  #nextId = 1;
  #pumpScheduled = false;
  #pool: WorkerPool | null = null;
  #closing = false;
  #resolveClosed!: () => void;
  readonly #closed = new Promise<void>((resolve) => {
    this.#resolveClosed = resolve;
  });

  /** @internal */
  constructor(maxWorkers: number, terminateOnCancel: boolean) {
    this.#maxWorkers = maxWorkers;
    this.#terminateOnCancel = terminateOnCancel;
  }

  /** How many jobs run at once (Python's `_max_workers`). */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /** @internal Makes the worker pool, on the first job. */
  protected abstract _createPool(maxWorkers: number): WorkerPool;

  /** @internal Puts the arguments into the payload (cloned later, or serialized now). */
  protected abstract _attachArgs(payload: JobPayload, args: unknown[]): JobPayload;

  /**
   * Mirrors `Executor.submit(fn, /, *args)`: schedules `fn(...args)` in a worker and returns a
   * concurrent future. `fn` is a self-contained function or a module reference; anything else
   * is refused here with a `TypeError` that says why. After `shutdown()` it throws
   * `RuntimeError('cannot schedule new futures after shutdown')`.
   */
  submit<A extends unknown[], R>(
    fn: ((...args: A) => R) | ModuleReference,
    ...args: A
  ): ExecutorFuture<Awaited<R>> {
    this.#checkOpen();
    const callable = prepareCallable(fn);
    return this.#enqueue(callable, args, false) as ExecutorFuture<Awaited<R>>;
  }

  /**
   * Mirrors `Executor.map(fn, *iterables, chunksize=1)`: submits `fn` over the iterables zipped
   * together (stopping at the shortest) and returns the results in order as an
   * {@link ExecutorMap}. A trailing plain object holds the options (`{ chunksize }`).
   */
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterables: MapIterables<A>
  ): ExecutorMap<Awaited<R>>;
  map<A extends unknown[], R>(
    fn: (...args: A) => R,
    ...iterablesAndOptions: [...MapIterables<A>, MapOptions]
  ): ExecutorMap<Awaited<R>>;
  map(fn: ModuleReference, ...iterablesAndOptions: unknown[]): ExecutorMap<unknown>;
  map(fn: unknown, ...rest: unknown[]): ExecutorMap<unknown> {
    let iterables = rest;
    let options: unknown;
    if (rest.length > 0 && isOptionsObject(rest[rest.length - 1])) {
      options = rest[rest.length - 1];
      iterables = rest.slice(0, -1);
    }
    const o = checkOptions(options, ["chunksize"], "map()");
    let chunksize = 1;
    if (o.chunksize !== undefined && o.chunksize !== null) {
      if (typeof o.chunksize !== "number" || !Number.isInteger(o.chunksize)) {
        throw new TypeError(
          `Expected \`chunksize\` to be a positive integer, got ${describeValue(o.chunksize)}`,
        );
      }
      if (o.chunksize < 1) throw new RangeError("chunksize must be >= 1.");
      chunksize = o.chunksize;
    }
    this.#checkOpen();
    const callable = prepareCallable(fn);
    const iterators = iterables.map((it, i) => {
      if (
        it === null ||
        it === undefined ||
        typeof (it as Iterable<unknown>)[Symbol.iterator] !== "function"
      ) {
        throw new TypeError(
          `map() argument ${i + 2} must support iteration, got ${describeValue(it)}`,
        );
      }
      return (it as Iterable<unknown>)[Symbol.iterator]();
    });
    const entries: MapEntry[] = [];
    const add = (batch: unknown[][]) => {
      const chunked = chunksize > 1;
      const future = this.#enqueue(callable, chunked ? batch : batch[0]!, chunked);
      entries.push({ future, size: batch.length, chunked, wrapped: null });
    };
    try {
      let batch: unknown[][] = [];
      zip: while (iterators.length > 0) {
        const tuple: unknown[] = [];
        for (const it of iterators) {
          const r = it.next();
          if (r.done) break zip;
          tuple.push(r.value);
        }
        batch.push(tuple);
        if (batch.length === chunksize) {
          add(batch);
          batch = [];
        }
      }
      if (batch.length > 0) add(batch);
    } catch (e) {
      for (const entry of entries) entry.future.cancel();
      throw e;
    }
    return new ExecutorMap(entries);
  }

  /**
   * Mirrors `Executor.shutdown(wait=True, *, cancel_futures=False)`: no new jobs are accepted;
   * jobs already submitted still run (those not started are cancelled with `cancelFutures`),
   * then every worker exits. With `wait` (the default) the promise resolves once that is done;
   * without, it resolves at once and the pool winds down by itself. Calling it again is fine.
   */
  shutdown(options?: ShutdownOptions): Promise<void> {
    const o = checkOptions(options, ["wait", "cancelFutures"], "shutdown()");
    const wait = checkBoolean(o.wait, "wait", true);
    const cancelFutures = checkBoolean(o.cancelFutures, "cancelFutures", false);
    this.#shutdown = true;
    if (cancelFutures) {
      for (let job = this.#head; job !== null; ) {
        const next = job.next;
        job.future.cancel();
        job = next;
      }
    }
    this.#maybeClose();
    return wait ? this.#closed : Promise.resolve();
  }

  /**
   * Mirrors `Executor.__enter__` (Python's executors are synchronous context managers; this is the
   * `asyncWith` form): gives the executor itself to the body.
   * @example
   * import { asyncWith, run, wrapFuture } from "@asyncio-ts/core";
   * import { ThreadPoolExecutor } from "@asyncio-ts/executors";
   * function square(x: number) {
   *   return x * x;
   * }
   * await run((function* () {
   *   const r = yield* asyncWith(new ThreadPoolExecutor({ maxWorkers: 2 }), function* (ex) {
   *     return yield* wrapFuture(ex.submit(square, 7));
   *   });
   *   console.log(r); // 49, and every worker has exited
   * })());
   */
  // biome-ignore lint/correctness/useYield: Python's `__enter__` awaits nothing.
  *aenter(): Coroutine<this> {
    return this;
  }

  /**
   * Mirrors `Executor.__exit__`: `shutdown({ wait: true })`, awaited without blocking the loop (the
   * submitted jobs finish, then the workers exit); never suppresses the body's error. Cancelling
   * the waiting task stops the wait, not the shutdown.
   * @example
   * import { asyncWith, run } from "@asyncio-ts/core";
   * import { ProcessPoolExecutor } from "@asyncio-ts/executors";
   * function hello() {
   *   return "hello";
   * }
   * await run((function* () {
   *   const f = yield* asyncWith(new ProcessPoolExecutor(), function* (ex) {
   *     return ex.submit(hello);
   *   });
   *   console.log(f.done()); // true: the exit waited for the job
   * })());
   */
  *aexit(_exc: unknown): Coroutine<undefined> {
    yield* wrapFuture(followPromise(this.shutdown({ wait: true })));
    return undefined;
  }

  /** `await using ex = new ThreadPoolExecutor()`: Python's `with` block, `shutdown(wait=True)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  #checkOpen(): void {
    if (this.#shutdown) throw new RuntimeError("cannot schedule new futures after shutdown");
  }

  #enqueue(callable: Callable, args: unknown[], chunk: boolean): ExecutorFuture<unknown> {
    const id = this.#nextId++;
    const base: JobPayload =
      callable.kind === "source"
        ? {
            id,
            fnName: callable.fnName,
            chunk,
            source: callable.source,
            globals: callable.globals,
          }
        : { id, fnName: callable.fnName, chunk, url: callable.url, name: callable.name };
    const payload = this._attachArgs(base, args);
    const future = new ExecutorFuture<unknown>();
    future._jobId = id;
    future._fnName = callable.fnName;
    const job = new Job(future, payload);
    future._onCancel = (running) => {
      if (running) {
        if (job.abort === null) return false;
        job.abort.abort();
        return true;
      }
      this.#unlink(job);
      this.#maybeClose();
      return true;
    };
    if (this.#tail === null) {
      this.#head = this.#tail = job;
    } else {
      job.prev = this.#tail;
      this.#tail.next = job;
      this.#tail = job;
    }
    this.#queued++;
    // Handed over on a microtask, as a CPython worker thread picks a job up a moment later: a
    // job cancelled right after submit() never starts.
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      queueMicrotask(() => this.#pump());
    }
    return future;
  }

  #unlink(job: Job): void {
    if (job.prev !== null) job.prev.next = job.next;
    else this.#head = job.next;
    if (job.next !== null) job.next.prev = job.prev;
    else this.#tail = job.prev;
    job.prev = job.next = null;
    this.#queued--;
  }

  #pump(): void {
    this.#pumpScheduled = false;
    while (this.#running < this.#maxWorkers && this.#head !== null) {
      const job = this.#head;
      this.#unlink(job);
      if (!job.future.setRunningOrNotifyCancel()) continue;
      this.#running++;
      this.#start(job);
    }
  }

  #start(job: Job): void {
    if (this.#pool === null) this.#pool = this._createPool(this.#maxWorkers);
    const pool = this.#pool;
    if (this.#terminateOnCancel) job.abort = new AbortController();
    const payload = job.payload!;
    job.payload = null;
    pool.run(payload, job.abort?.signal, (replied, data) => this.#finish(job, pool, replied, data));
  }

  #finish(job: Job, pool: WorkerPool, replied: boolean, data: unknown): void {
    this.#running--;
    const future = job.future;
    // A job terminated by cancel() is already cancelled.
    if (!future.done()) {
      let ok: boolean;
      let value: unknown;
      try {
        [ok, value] = replied ? decodeReply(data) : [false, pool.failure(future._label, data)];
      } catch (e) {
        [ok, value] = [false, e];
      }
      if (ok) future.setResult(value);
      else future.setException(value);
    }
    this.#pump();
    this.#maybeClose();
  }

  #maybeClose(): void {
    if (!this.#shutdown || this.#closing || this.#queued > 0 || this.#running > 0) return;
    this.#closing = true;
    const pool = this.#pool;
    this.#pool = null;
    if (pool === null) {
      this.#resolveClosed();
      return;
    }
    const done = () => this.#resolveClosed();
    pool.destroy().then(done, done);
  }
}
