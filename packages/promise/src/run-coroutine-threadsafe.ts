import {
  type AbstractEventLoop,
  type Coroutine,
  ensureFuture,
  type Future,
  isCoroutine,
} from "@asyncio-ts/core";
import { ConcurrentHandle } from "./concurrent-handle.js";
import { checkLoop } from "./internal/validate.js";

/**
 * Mirrors `asyncio.run_coroutine_threadsafe(coro, loop)`: schedule `coro` as a task on `loop`
 * from code outside it (a native callback, a promise continuation, another loop's task) and get
 * a {@link ConcurrentHandle} for its outcome. `handle.cancel()` cancels the task on its loop.
 * @example
 * import { type Coroutine, newEventLoop } from "@asyncio-ts/core";
 * import { runCoroutineThreadsafe } from "@asyncio-ts/promise";
 * function* add(a: number, b: number): Coroutine<number> {
 *   return a + b;
 * }
 * const loop = newEventLoop();
 * const running = loop.runForever();
 * setTimeout(async () => {
 *   console.log(await runCoroutineThreadsafe(add(1, 2), loop)); // 3
 *   loop.stop();
 * }, 10);
 * await running;
 * loop.close();
 */
export function runCoroutineThreadsafe<T>(
  coro: Coroutine<T>,
  loop: AbstractEventLoop,
): ConcurrentHandle<T> {
  if (!isCoroutine(coro)) throw new TypeError("A coroutine object is required");
  checkLoop(loop, "loop");
  const handle = new ConcurrentHandle<T>(loop);
  loop.callSoonThreadsafe(() => {
    let task: Future<T>;
    try {
      task = ensureFuture(coro, { loop });
    } catch (exc) {
      if (handle._setRunningOrNotifyCancel()) handle._setException(exc);
      throw exc;
    }
    chain(task, handle, loop);
  });
  return handle;
}

/** CPython's `futures._chain_future(task, handle)`, for an asyncio source and a concurrent one. */
function chain<T>(task: Future<T>, handle: ConcurrentHandle<T>, loop: AbstractEventLoop): void {
  handle.addDoneCallback((h) => {
    // CPython raises (and concurrent.futures logs) when the loop is closed; nothing is left to
    // cancel then.
    if (h.cancelled() && !loop.isClosed()) loop.callSoonThreadsafe(() => task.cancel());
  });
  task.addDoneCallback((t) => {
    // CPython's `_set_concurrent_future_state`.
    if (t.cancelled()) handle.cancel();
    if (!handle._setRunningOrNotifyCancel()) return;
    let value: T;
    try {
      value = t.result();
    } catch (exc) {
      handle._setException(exc);
      return;
    }
    handle._setResult(value);
  });
}
