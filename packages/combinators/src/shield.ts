import { type Awaitable, ensureFuture, type Future } from "@asyncio-ts/core";
import { isFailed } from "./internal/futures.js";

/**
 * Mirrors `asyncio.shield(aw)`: a future that follows `aw` but whose cancellation does not reach
 * it. Cancelling the caller (or the returned future) raises `CancelledError` there while the inner
 * work runs on; cancelling the inner work itself still cancels the returned future. An inner that
 * is already done is returned as is.
 * @example
 * import { createTask, run } from "@asyncio-ts/core";
 * import { shield } from "@asyncio-ts/combinators";
 * import { sleep } from "@asyncio-ts/time";
 * await run((function* () {
 *   const save = createTask(sleep(0.01, "saved"));
 *   const outer = shield(save);
 *   outer.cancel(); // the caller gives up...
 *   console.log(yield* save); // saved (...the work does not)
 * })());
 */
export function shield<T>(aw: Awaitable<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  // No strong reference to keep, unlike Python's docs warn: the loop holds its live tasks.
  const outer = inner.getLoop().createFuture<T>();

  const innerDoneCallback = (inner: Future<T>): void => {
    if (outer.cancelled()) {
      // Mark the inner result retrieved: nobody is left to read it, and that is not an error.
      if (!inner.cancelled()) inner.exception();
      return;
    }
    if (inner.cancelled()) outer.cancel();
    else if (isFailed(inner)) outer.setException(inner.exception());
    else outer.setResult(inner.result());
  };

  const outerDoneCallback = (): void => {
    if (!inner.done()) inner.removeDoneCallback(innerDoneCallback);
  };

  inner.addDoneCallback(innerDoneCallback);
  outer.addDoneCallback(outerDoneCallback);
  return outer;
}
