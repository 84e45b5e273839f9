import {
  type AbstractEventLoop,
  type Coroutine,
  Future,
  getRunningLoop,
  type TimerHandle,
} from "@asyncio-ts/core";
import { isFailed } from "./internal/futures.js";
import {
  checkIterable,
  checkOptionalSeconds,
  describeValue,
  isCoroutine,
  isPromiseLike,
  typeName,
} from "./internal/validate.js";

/**
 * Mirrors `asyncio.FIRST_COMPLETED`: {@link wait} returns when any future finishes or is cancelled.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { FIRST_COMPLETED, wait } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const fast = createTask(sleep(0.01));
 *   const slow = createTask(sleep(1));
 *   const [done] = yield* wait([fast, slow], { returnWhen: FIRST_COMPLETED });
 *   console.log(done.has(fast)); // true
 *   slow.cancel();
 * })());
 */
export const FIRST_COMPLETED = "FIRST_COMPLETED";

/**
 * Mirrors `asyncio.FIRST_EXCEPTION`: {@link wait} returns when any future finishes with an error,
 * or when all are done.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { FIRST_EXCEPTION, wait } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * function* fail() {
 *   yield* sleep(0.01);
 *   throw new Error("boom");
 * }
 * await run((function* () {
 *   const bad = createTask(fail());
 *   const slow = createTask(sleep(1));
 *   const [, pending] = yield* wait([bad, slow], { returnWhen: FIRST_EXCEPTION });
 *   console.log(pending.has(slow), (bad.exception() as Error).message); // true boom
 *   slow.cancel();
 * })());
 */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";

/**
 * Mirrors `asyncio.ALL_COMPLETED` (the default): {@link wait} returns when every future is done.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { ALL_COMPLETED, wait } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const ts = [createTask(sleep(0.01)), createTask(sleep(0.02))];
 *   const [done, pending] = yield* wait(ts, { returnWhen: ALL_COMPLETED });
 *   console.log(done.size, pending.size); // 2 0
 * })());
 */
export const ALL_COMPLETED = "ALL_COMPLETED";

/**
 * Mirrors the values of `wait`'s `return_when=`: {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION}
 * or {@link ALL_COMPLETED}.
 * @example
 * import { FIRST_COMPLETED, type ReturnWhen } from "@asyncio-ts/combinators";
 * const when: ReturnWhen = FIRST_COMPLETED;
 */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/**
 * Mirrors `wait`'s keyword arguments `timeout=` and `return_when=`.
 * @example
 * import { FIRST_EXCEPTION, type WaitOptions } from "@asyncio-ts/combinators";
 * const options: WaitOptions = { timeout: 5, returnWhen: FIRST_EXCEPTION };
 */
export interface WaitOptions {
  /** Seconds to wait at most (`null`/`undefined`: no limit). Not an error when it passes. */
  timeout?: number | null;
  /** When to return (default {@link ALL_COMPLETED}). */
  returnWhen?: ReturnWhen | null;
}

/** Python's `f.exception() is not None`, retrieving the exception as that does. */
function raised(f: Future<unknown>): boolean {
  f.exception();
  return isFailed(f);
}

function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/**
 * Mirrors `asyncio.wait(fs, *, timeout=None, return_when=ALL_COMPLETED)`: wait until the futures
 * and tasks in `fs` are done as `returnWhen` says, or `timeout` seconds pass, and return
 * `[done, pending]`. Never raises on timeout and never cancels anything. Bad arguments raise
 * when the coroutine is first stepped: `TypeError` for a coroutine in `fs` ("Passing coroutines
 * is forbidden, use tasks explicitly."), `RangeError` for an empty `fs` or a bad `returnWhen`.
 * The sets hold the futures in the order of `fs` (Python's sets have no order).
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { wait } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const quick = createTask(sleep(0.01, "quick"));
 *   const slow = createTask(sleep(10, "slow"));
 *   const [done, pending] = yield* wait([quick, slow], { timeout: 1 });
 *   console.log(done.has(quick), pending.has(slow)); // true true
 *   slow.cancel();
 * })());
 */
export function* wait<F extends Future<unknown>>(
  fs: Iterable<F>,
  options?: WaitOptions,
): Coroutine<[done: Set<F>, pending: Set<F>]> {
  if (fs instanceof Future || isCoroutine(fs)) {
    throw new TypeError(`expect a list of futures, not ${typeName(fs)}`);
  }
  checkIterable(fs, "fs");
  const timeout = options?.timeout;
  const returnWhen = options?.returnWhen ?? ALL_COMPLETED;
  const unique = new Set<F>(fs);
  if (unique.size === 0) throw new RangeError("Set of Tasks/Futures is empty.");
  if (
    returnWhen !== FIRST_COMPLETED &&
    returnWhen !== FIRST_EXCEPTION &&
    returnWhen !== ALL_COMPLETED
  ) {
    throw new RangeError(`Invalid return_when value: ${String(returnWhen)}`);
  }
  for (const f of unique) {
    if (isCoroutine(f))
      throw new TypeError("Passing coroutines is forbidden, use tasks explicitly.");
  }
  for (const f of unique) {
    if (!(f instanceof Future)) {
      const hint = isPromiseLike(f)
        ? " (wrap a Promise with fromPromise(p) from @asyncio-ts/promise)"
        : "";
      throw new TypeError(
        `Expected \`fs\` to hold futures or tasks, got \`${describeValue(f)}\` (${typeName(f)})${hint}`,
      );
    }
  }
  checkOptionalSeconds(timeout, "timeout");
  const loop = getRunningLoop();
  return yield* waitImpl(unique, timeout ?? null, returnWhen, loop);
}

/** Python's `tasks._wait`: `fs` is a non-empty set of futures. */
function* waitImpl<F extends Future<unknown>>(
  fs: Set<F>,
  timeout: number | null,
  returnWhen: ReturnWhen,
  loop: AbstractEventLoop,
): Coroutine<[done: Set<F>, pending: Set<F>]> {
  const waiter = loop.createFuture<void>();
  let timeoutHandle: TimerHandle | null = null;
  if (timeout !== null) timeoutHandle = loop.callLater(timeout, releaseWaiter, waiter);
  let counter = fs.size;

  const onCompletion = (f: Future<unknown>): void => {
    counter -= 1;
    if (
      counter <= 0 ||
      returnWhen === FIRST_COMPLETED ||
      (returnWhen === FIRST_EXCEPTION && !f.cancelled() && raised(f))
    ) {
      timeoutHandle?.cancel();
      if (!waiter.done()) waiter.setResult(undefined);
    }
  };

  for (const f of fs) f.addDoneCallback(onCompletion);

  try {
    yield* waiter;
  } finally {
    timeoutHandle?.cancel();
    for (const f of fs) f.removeDoneCallback(onCompletion);
  }

  const done = new Set<F>();
  const pending = new Set<F>();
  for (const f of fs) {
    if (f.done()) done.add(f);
    else pending.add(f);
  }
  return [done, pending];
}
