import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  ensureFuture,
  type Future,
  getRunningLoop,
  TimeoutError,
} from "@asyncio-ts/core";
import { checkOptionalSeconds, isAwaitable, notAwaitableMessage } from "./internal/validate.js";
import { timeout as timeoutScope } from "./timeout.js";

function releaseWaiter(waiter: Future<unknown>): void {
  if (!waiter.done()) waiter.setResult(undefined);
}

/** Python's `tasks._cancel_and_wait`: cancel `fut` and wait until it is done. */
function* cancelAndWait(fut: Future<unknown>): Coroutine<void> {
  const waiter = getRunningLoop().createFuture<unknown>();
  const cb = (): void => releaseWaiter(waiter);
  fut.addDoneCallback(cb);
  try {
    fut.cancel();
    // Not `yield* fut`: awaiting a separate waiter keeps this coroutine itself cancellable.
    yield* waiter;
  } finally {
    fut.removeDoneCallback(cb);
  }
}

/**
 * Mirrors `asyncio.wait_for(aw, timeout)`: await `aw`, cancelling it and raising `TimeoutError`
 * (its `cause`: the `CancelledError`) if it takes longer than `timeout` seconds (`null`: wait
 * forever). A coroutine is awaited in the caller's task, as in Python 3.12+; with a
 * `timeout <= 0` it is wrapped in a task and cancelled before it starts unless already done.
 * @example
 * import { TimeoutError, run } from "@asyncio-ts/core";
 * import { sleep, waitFor } from "@asyncio-ts/time";
 * await run((function* () {
 *   console.log(yield* waitFor(sleep(0.01, "fast"), 1)); // fast
 *   try {
 *     yield* waitFor(sleep(1), 0.01);
 *   } catch (e) {
 *     console.log(e instanceof TimeoutError); // true
 *   }
 * })());
 */
export function* waitFor<T>(aw: Awaitable<T>, timeout: number | null): Coroutine<T> {
  checkOptionalSeconds(timeout, "timeout");
  if (!isAwaitable(aw)) throw new TypeError(notAwaitableMessage(aw));

  if (timeout != null && timeout <= 0) {
    const fut = ensureFuture(aw);
    if (fut.done()) return fut.result();
    yield* cancelAndWait(fut);
    try {
      return fut.result();
    } catch (e) {
      if (e instanceof CancelledError) throw new TimeoutError(undefined, { cause: e });
      throw e;
    }
  }

  return yield* timeoutScope(timeout ?? null, function* (): Coroutine<T> {
    return yield* aw;
  });
}
