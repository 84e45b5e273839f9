import {
  type AbstractEventLoop,
  type AIterator,
  type Awaitable,
  type AwaitedOf,
  type Coroutine,
  ensureFuture,
  Future,
  getEventLoop,
  TimeoutError,
  type TimerHandle,
} from "@asyncio-ts/core";
import { WakeupQueue } from "./internal/queue.js";
import { checkIterable, checkOptionalSeconds, isCoroutine, typeName } from "./internal/validate.js";

/**
 * Mirrors `as_completed`'s keyword argument `timeout=`.
 * @example
 * import type { AsCompletedOptions } from "@asyncio-ts/combinators";
 * const options: AsCompletedOptions = { timeout: 10 };
 */
export interface AsCompletedOptions {
  /** Seconds until the awaitables still to come raise `TimeoutError` (`null`: no limit). */
  timeout?: number | null;
}

/**
 * Mirrors Python 3.13's `asyncio.tasks._AsCompletedIterator`, what {@link asCompleted} returns.
 *
 * Iterating it (Python's plain `for next in as_completed(fs)`) gives one coroutine per awaitable;
 * each, when awaited, gives the result (or raises the error) of the next awaitable to complete.
 * {@link AsCompletedIterator.futures} is Python's `async for f in as_completed(fs)`: its
 * coroutines give the completed future itself (the one passed in, or the task made for a
 * coroutine). Both draw from the same completions, as Python's `__next__` and `__anext__` do.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { type AsCompletedIterator, asCompleted } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const it: AsCompletedIterator<number> = asCompleted([sleep(0.02, 2), sleep(0.01, 1)]);
 *   const first = it.next();
 *   if (!first.done) console.log(yield* first.value); // 1
 *   for (const next of it) console.log(yield* next); // 2
 * })());
 */
export class AsCompletedIterator<T>
  implements Iterator<Coroutine<T>, undefined>, AIterator<Future<T>, undefined>
{
  private readonly _done = new WakeupQueue<Future<T> | null>();
  private _timeoutHandle: TimerHandle | null = null;
  private readonly _todo: Set<Future<T>>;
  private _todoLeft: number;

  /** Prefer {@link asCompleted}, which checks its arguments. */
  constructor(aws: Iterable<Awaitable<T>>, timeout: number | null, loop: AbstractEventLoop) {
    const todo = new Set<Future<T>>();
    for (const aw of new Set(aws)) todo.add(ensureFuture(aw, { loop }));
    for (const f of todo) f.addDoneCallback(this._handleCompletion);
    if (todo.size > 0 && timeout !== null) {
      this._timeoutHandle = loop.callLater(timeout, this._handleTimeout);
    }
    this._todo = todo;
    this._todoLeft = todo.size;
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** Mirrors `__next__`: a coroutine giving the next result in completion order. */
  next(): IteratorResult<Coroutine<T>, undefined> {
    if (this._todoLeft === 0) return { value: undefined, done: true };
    this._todoLeft -= 1;
    return { value: this._waitForOne(true) as Coroutine<T>, done: false };
  }

  /**
   * Mirrors `__aiter__`/`__anext__` (Python's `async for`): an iterable of coroutines, each giving
   * the next future to complete (the original future or task, so it can be told apart), done.
   * @example
   * import { createTask, run } from "@asyncio-ts/core";
   * import { asCompleted } from "@asyncio-ts/combinators";
   * import { sleep } from "@asyncio-ts/time";
   * await run((function* () {
   *   const slow = createTask(sleep(0.02, "slow"));
   *   const fast = createTask(sleep(0.01, "fast"));
   *   for (const next of asCompleted([slow, fast]).futures()) {
   *     const t = yield* next;
   *     console.log(t === fast ? "fast first" : "then slow", t.result());
   *   }
   * })());
   */
  futures(): IterableIterator<Coroutine<Future<T>>> {
    const next = (): IteratorResult<Coroutine<Future<T>>, undefined> => {
      if (this._todoLeft === 0) return { value: undefined, done: true };
      this._todoLeft -= 1;
      return { value: this._waitForOne(false) as Coroutine<Future<T>>, done: false };
    };
    const it: IterableIterator<Coroutine<Future<T>>> = {
      next,
      [Symbol.iterator]: () => it,
    } as IterableIterator<Coroutine<Future<T>>>;
    return it;
  }

  /**
   * Mirrors `__aiter__`: the iterator itself, for `asyncFor(asCompleted(fs), body)`, Python's
   * `async for f in as_completed(fs)`; its items are the completed futures (see {@link futures}).
   * @example
   * import { asyncFor, createTask, run } from "@asyncio-ts/core";
   * import { asCompleted } from "@asyncio-ts/combinators";
   * import { sleep } from "@asyncio-ts/time";
   * await run((function* () {
   *   const slow = createTask(sleep(0.02, "slow"));
   *   const fast = createTask(sleep(0.01, "fast"));
   *   yield* asyncFor(asCompleted([slow, fast]), (t) => {
   *     console.log(t === fast, t.result()); // true fast, then false slow
   *   });
   * })());
   */
  aiter(): this {
    return this;
  }

  /**
   * Mirrors `__anext__`: the next future to complete, `{ done: true }` once every one has been
   * given; raises `TimeoutError` once the timeout has passed.
   */
  *anext(): Coroutine<IteratorResult<Future<T>, undefined>> {
    if (this._todoLeft === 0) return { done: true, value: undefined };
    this._todoLeft -= 1;
    return { done: false, value: (yield* this._waitForOne(false)) as Future<T> };
  }

  private readonly _handleTimeout = (): void => {
    for (const f of this._todo) {
      f.removeDoneCallback(this._handleCompletion);
      this._done.putNowait(null); // The sentinel for _waitForOne().
    }
    this._todo.clear();
  };

  private readonly _handleCompletion = (f: Future<T>): void => {
    if (this._todo.size === 0) return; // _handleTimeout() was here first.
    this._todo.delete(f);
    this._done.putNowait(f);
    if (this._todo.size === 0 && this._timeoutHandle !== null) this._timeoutHandle.cancel();
  };

  private *_waitForOne(resolve: boolean): Coroutine<T | Future<T>> {
    const f = yield* this._done.get();
    if (f === null) throw new TimeoutError();
    return resolve ? f.result() : f;
  }
}

/**
 * Mirrors `asyncio.as_completed(fs, *, timeout=None)`: run the awaitables concurrently (coroutines
 * are wrapped in tasks) and iterate over awaitables that give their results in completion order.
 * Those still to come when `timeout` seconds have passed raise `TimeoutError`.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { asCompleted } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   for (const next of asCompleted([sleep(0.02, "slow"), sleep(0.01, "fast")])) {
 *     console.log(yield* next); // fast, then slow
 *   }
 * })());
 */
export function asCompleted<A extends Awaitable<unknown>>(
  fs: Iterable<A>,
  options?: AsCompletedOptions,
): AsCompletedIterator<AwaitedOf<A>> {
  if (fs instanceof Future || isCoroutine(fs)) {
    throw new TypeError(`expects an iterable of awaitables, not ${typeName(fs)}`);
  }
  checkIterable(fs, "fs");
  const timeout = options?.timeout;
  checkOptionalSeconds(timeout, "timeout");
  return new AsCompletedIterator(
    fs as Iterable<Awaitable<AwaitedOf<A>>>,
    timeout ?? null,
    getEventLoop(),
  );
}
