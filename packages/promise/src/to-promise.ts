import {
  type Awaitable,
  type Coroutine,
  ensureFuture,
  Future,
  getRunningLoop,
  isCoroutine,
} from "@asyncio-ts/core";
import type { ConcurrentHandle } from "./concurrent-handle.js";
import { describeValue, isPromiseLike } from "./internal/validate.js";

// The future behind each Promise toPromise made (or handle, for the Promises of
// toAsyncIterable), so fromPromise can chain a promise of its own loop to the future directly: the
// loop settles it, so it is no outside work, and going through the Promise would deliver the
// result only after the loop has gone idle.
const sources = new WeakMap<object, Future<unknown> | ConcurrentHandle<unknown>>();

/** @internal The future a Promise made by {@link toPromise} follows, if it is one. */
export function _sourceFuture(p: unknown): Future<unknown> | ConcurrentHandle<unknown> | undefined {
  return typeof p === "object" && p !== null ? sources.get(p) : undefined;
}

/** @internal Record that `p` settles exactly as `source` does (same value, same error). */
export function _registerSource(
  p: Promise<unknown>,
  source: Future<unknown> | ConcurrentHandle<unknown>,
): void {
  sources.set(p, source);
}

/**
 * No Python twin; the bridge to native Promises: a `Promise` that settles with `aw`'s outcome,
 * for native `async` code. A coroutine (or other awaitable) is scheduled as a task on the running
 * loop first (`ensureFuture`); a Future or Task is followed as is. Rejects with `CancelledError`
 * if it is cancelled; its exception counts as retrieved.
 * @example
 * import { type Coroutine, run } from "@asyncio-ts/core";
 * import { toPromise } from "@asyncio-ts/promise";
 * function* double(x: number): Coroutine<number> {
 *   return 2 * x;
 * }
 * await run((function* () {
 *   const p: Promise<number> = toPromise(double(21));
 *   void p.then((v) => console.log(v)); // 42
 * })());
 */
export function toPromise<T>(aw: Coroutine<T> | Future<T> | Awaitable<T>): Promise<T> {
  let fut: Future<T>;
  // Coroutines first: some are Futures too (time's sleep() is one object for both).
  if (isCoroutine(aw)) {
    fut = ensureFuture(aw, { loop: getRunningLoop() });
  } else if (aw instanceof Future) {
    fut = aw;
  } else if (isIterableObject(aw)) {
    fut = ensureFuture(aw, { loop: getRunningLoop() });
  } else {
    const hint = isPromiseLike(aw)
      ? ": it already is a Promise (PromiseLike), await it directly"
      : "";
    throw new TypeError(
      `Expected \`aw\` to be a coroutine, Future, Task or awaitable, got \`${describeValue(aw)}\` (${typeof aw})${hint}`,
    );
  }
  const p = fut.then(undefined, (exc: unknown) => {
    // Core's native waiter settles inside setException, before the future is flagged for the
    // "never retrieved" report, so its retrieval does not count; this handler runs a microtask
    // later, after the flag is set.
    if (!fut.cancelled()) fut.exception();
    throw exc;
  });
  sources.set(p, fut);
  return p;
}

function isIterableObject(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}
