import {
  CancelledError,
  type ConcurrentFuture,
  InvalidStateError,
  RuntimeError,
} from "@asyncio-ts/core";

/** @internal The name messages give a job (run-job.mjs builds the same). */
export function jobLabel(job: { id: number; fnName: string }): string {
  return `job #${job.id} (${job.fnName || "anonymous"})`;
}

type State = "PENDING" | "RUNNING" | "CANCELLED" | "CANCELLED_AND_NOTIFIED" | "FINISHED";

const DESCRIPTION: Record<State, string> = {
  PENDING: "pending",
  RUNNING: "running",
  CANCELLED: "cancelled",
  CANCELLED_AND_NOTIFIED: "cancelled",
  FINISHED: "finished",
};

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object" || typeof v === "function") {
    return (v as { constructor?: { name?: string } }).constructor?.name || typeof v;
  }
  return typeof v;
}

/**
 * Mirrors `concurrent.futures.Future`: the handle `submit()` returns. It is a `PromiseLike`, so
 * native code can `await` it and a coroutine can `yield* wrapFuture(cf)`. JS cannot block, so
 * `result()` and `exception()` never wait: they throw `InvalidStateError` while the job runs.
 * @example
 * import { ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function square(x: number) {
 *   return x * x;
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
 * const cf = ex.submit(square, 7);
 * console.log(await cf, cf.done(), cf.result()); // 49 true 49
 * await ex.shutdown();
 */
export class ExecutorFuture<T> implements ConcurrentFuture<T> {
  #state: State = "PENDING";
  #result: T | undefined = undefined;
  #exception: unknown = undefined;
  #failed = false;
  #callbacks: Array<(f: this) => void> = [];
  #promise: Promise<T> | null = null;
  #resolve: ((v: T) => void) | null = null;
  #reject: ((e: unknown) => void) | null = null;
  /** @internal The job this future stands for (0: none), for messages. */
  _jobId = 0;
  /** @internal Its function's name. */
  _fnName = "";

  /** @internal `job #3 (fib)`: how messages name the job (as the worker does, run-job.mjs). */
  get _label(): string {
    return this._jobId === 0 ? "" : jobLabel({ id: this._jobId, fnName: this._fnName });
  }
  /**
   * @internal Set by the executor: told when the future is cancelled while queued (`running` is
   * false) and asked whether a running job may be cancelled (terminated).
   */
  _onCancel: ((running: boolean) => boolean) | null = null;

  /**
   * Mirrors `Future.cancel()`: a job that has not started is cancelled and never runs (`true`);
   * a running or finished one is not (`false`), unless the executor was made with
   * `terminateOnCancel: true`, which stops its worker.
   */
  cancel(): boolean {
    const state = this.#state;
    if (state === "FINISHED") return false;
    if (state === "CANCELLED" || state === "CANCELLED_AND_NOTIFIED") return true;
    if (state === "RUNNING") {
      if (this._onCancel === null || !this._onCancel(true)) return false;
    } else {
      this._onCancel?.(false);
    }
    this.#state = "CANCELLED";
    this.#settle();
    return true;
  }

  /** Mirrors `Future.cancelled()`. */
  cancelled(): boolean {
    return this.#state === "CANCELLED" || this.#state === "CANCELLED_AND_NOTIFIED";
  }

  /** Mirrors `Future.running()`: the job is executing in a worker. */
  running(): boolean {
    return this.#state === "RUNNING";
  }

  /** Mirrors `Future.done()`: finished or cancelled. */
  done(): boolean {
    return this.#state !== "PENDING" && this.#state !== "RUNNING";
  }

  /**
   * Mirrors `Future.result()` without blocking: the result, or throws the job's error, or
   * `CancelledError`; `InvalidStateError` while the job is pending or running (await the future
   * to wait for it).
   */
  result(): T {
    if (this.cancelled()) throw new CancelledError();
    if (this.#state !== "FINISHED") throw new InvalidStateError("Result is not set.");
    if (this.#failed) throw this.#exception;
    return this.#result as T;
  }

  /**
   * Mirrors `Future.exception()` without blocking: the job's error, or `null` if it succeeded;
   * throws `CancelledError` if cancelled and `InvalidStateError` while pending or running.
   */
  exception(): unknown {
    if (this.cancelled()) throw new CancelledError();
    if (this.#state !== "FINISHED") throw new InvalidStateError("Exception is not set.");
    return this.#failed ? this.#exception : null;
  }

  /**
   * Mirrors `Future.add_done_callback(fn)`: `fn(future)` runs when the future finishes or is
   * cancelled, on whatever code completes it (not on an event loop); at once if it is done.
   */
  addDoneCallback(fn: (future: this) => void): void {
    if (typeof fn !== "function") {
      throw new TypeError(`Expected \`fn\` to be a function, got \`${typeName(fn)}\``);
    }
    if (this.done()) this.#invoke(fn);
    else this.#callbacks.push(fn);
  }

  /**
   * Mirrors `Future.set_running_or_notify_cancel()`, for executor implementations: `false` if
   * the future was cancelled (do not run the job), else marks it running and returns `true`.
   */
  setRunningOrNotifyCancel(): boolean {
    if (this.#state === "CANCELLED") {
      this.#state = "CANCELLED_AND_NOTIFIED";
      return false;
    }
    if (this.#state === "PENDING") {
      this.#state = "RUNNING";
      return true;
    }
    throw new RuntimeError("Future in unexpected state");
  }

  /** Mirrors `Future.set_result(result)`, for executor implementations. */
  setResult(result: T): void {
    this.#checkSettable();
    this.#result = result;
    this.#state = "FINISHED";
    this.#settle();
  }

  /** Mirrors `Future.set_exception(exception)`, for executor implementations. */
  setException(exception: unknown): void {
    this.#checkSettable();
    this.#exception = exception;
    this.#failed = true;
    this.#state = "FINISHED";
    this.#settle();
  }

  // biome-ignore lint/suspicious/noThenProperty: a concurrent future is a PromiseLike on purpose.
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (this.#promise === null) {
      this.#promise = new Promise<T>((resolve, reject) => {
        this.#resolve = resolve;
        this.#reject = reject;
      });
      if (this.done()) this.#settlePromise();
    }
    return this.#promise.then(onfulfilled, onrejected);
  }

  toString(): string {
    const where = this._label === "" ? "" : ` ${this._label}`;
    let outcome = "";
    if (this.#state === "FINISHED") {
      outcome = this.#failed
        ? ` raised ${(this.#exception as { name?: string } | null)?.name ?? typeName(this.#exception)}`
        : ` returned ${typeName(this.#result)}`;
    }
    return `<ExecutorFuture${where} state=${DESCRIPTION[this.#state]}${outcome}>`;
  }

  get [Symbol.toStringTag](): string {
    return "ExecutorFuture";
  }

  #checkSettable(): void {
    if (this.done()) throw new InvalidStateError(`${this.#state}: ${this.toString()}`);
  }

  #settle(): void {
    this._onCancel = null;
    if (this.#promise !== null) this.#settlePromise();
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const fn of callbacks) this.#invoke(fn);
  }

  #settlePromise(): void {
    if (this.cancelled()) this.#reject?.(new CancelledError());
    else if (this.#failed) this.#reject?.(this.#exception);
    else this.#resolve?.(this.#result as T);
    this.#resolve = this.#reject = null;
  }

  #invoke(fn: (f: this) => void): void {
    try {
      fn(this);
    } catch (e) {
      // Python logs and goes on (LOGGER.exception); there is no loop to report to here.
      console.error(`exception calling callback for ${this.toString()}`, e);
    }
  }
}
