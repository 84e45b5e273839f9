import type { AbstractEventLoop } from "./abstract-event-loop.js";
import type { BaseEventLoop } from "./base-event-loop.js";
import { CancelledError } from "./errors.js";
import { Future } from "./future.js";
import { describe } from "./internal/repr.js";
import { _defaultLoop } from "./internal/running.js";

/**
 * Mirrors `concurrent.futures.Future` as seen from the loop: a `PromiseLike` with `cancel()`,
 * `done()` and `cancelled()`. Executors return these from `submit()`.
 * @example
 * import type { ConcurrentFuture } from "@asyncio-ts/core";
 * function isSettled(cf: ConcurrentFuture<unknown>): boolean {
 *   return cf.done();
 * }
 */
export interface ConcurrentFuture<T> extends PromiseLike<T> {
  /** Cancel if the job has not started; returns whether it was cancelled. */
  cancel(): boolean;
  cancelled(): boolean;
  done(): boolean;
  /**
   * Optional, as `concurrent.futures.Future.add_done_callback`: when present (with a `result()`
   * that returns or throws without waiting once done), `wrapFuture` follows the future through
   * it instead of `then()`, one promise hop less per job.
   */
  addDoneCallback?(fn: (future: this) => void): void;
  result?(): T;
}

/**
 * Mirrors `concurrent.futures.Executor`, the interface `loop.runInExecutor` needs;
 * `@asyncio-ts/executors` provides thread and process pools.
 * @example
 * import type { Executor } from "@asyncio-ts/core";
 * function stop(ex: Executor) {
 *   return ex.shutdown({ wait: true });
 * }
 */
export interface Executor {
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): ConcurrentFuture<Awaited<R>>;
  shutdown(options?: { wait?: boolean; cancelFutures?: boolean }): void | PromiseLike<void>;
}

type ExecutorFactory = (loop: AbstractEventLoop) => Executor;
let factory: ExecutorFactory | null = null;

/**
 * asyncio-ts extension: register the factory that makes a loop's default executor on first use
 * of `runInExecutor(null, ...)`. `@asyncio-ts/executors` calls this when imported.
 * @example
 * import { setDefaultExecutorFactory } from "@asyncio-ts/core";
 * setDefaultExecutorFactory(null); // back to "no default executor"
 */
export function setDefaultExecutorFactory(f: ExecutorFactory | null): void {
  if (f !== null && typeof f !== "function") {
    throw new TypeError(`Expected \`factory\` to be a function or null, got \`${describe(f)}\``);
  }
  factory = f;
}

/** @internal */
export function _defaultExecutorFactory(): ExecutorFactory | null {
  return factory;
}

/** @internal Mirrors `asyncio.wrap_future`, for loops of this package. */
export function _wrapConcurrent<T>(cf: ConcurrentFuture<T>, loop: BaseEventLoop): Future<T> {
  const fut = new Future<T>(loop);
  const release = loop.beginExternalWork();
  fut.addDoneCallback((f) => {
    if (f.cancelled()) cf.cancel();
  });
  if (typeof cf.addDoneCallback === "function" && typeof cf.result === "function") {
    // Python's _chain_future: the state is copied over on the loop once the source is done.
    cf.addDoneCallback(() =>
      loop._fromOutside(release, () => {
        if (fut.done()) return;
        if (cf.cancelled()) {
          fut.cancel();
          return;
        }
        let value: T;
        try {
          value = cf.result!();
        } catch (e) {
          fut.setException(e);
          return;
        }
        fut.setResult(value);
      }),
    );
    return fut;
  }
  cf.then(
    (value) =>
      loop._fromOutside(release, () => {
        if (!fut.done()) fut.setResult(value);
      }),
    (err: unknown) =>
      loop._fromOutside(release, () => {
        if (fut.done()) return;
        if (cf.cancelled() || err instanceof CancelledError) fut.cancel();
        else fut.setException(err);
      }),
  );
  return fut;
}

/**
 * Mirrors `asyncio.wrap_future(future, *, loop=None)`: an asyncio Future that follows a
 * concurrent future; cancelling it cancels the concurrent one.
 * @example
 * import { type ConcurrentFuture, wrapFuture } from "@asyncio-ts/core";
 * function* waitFor(cf: ConcurrentFuture<number>) {
 *   return yield* wrapFuture(cf);
 * }
 */
export function wrapFuture<T>(
  future: ConcurrentFuture<T> | Future<T>,
  options?: { loop?: AbstractEventLoop | null },
): Future<T> {
  if (future instanceof Future) return future;
  if (
    future === null ||
    typeof future !== "object" ||
    typeof (future as ConcurrentFuture<T>).then !== "function" ||
    typeof (future as ConcurrentFuture<T>).cancel !== "function"
  ) {
    throw new TypeError(`concurrent.futures.Future is expected, got ${describe(future)}`);
  }
  const loop = (options?.loop ?? _defaultLoop()) as BaseEventLoop;
  return _wrapConcurrent(future, loop);
}
