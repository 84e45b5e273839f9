// `@asyncio-ts/core/shared`: helpers the @asyncio-ts packages share, so every package words its
// bad-input errors the same way. Not part of the public API: no stability promise to users.

import type { ConcurrentFuture } from "./executor.js";

/**
 * A short description of a bad argument for error messages: `"1"`, `NaN`, `10n`,
 * `[Function f]`, `[Object]`, `[Object Point]`.
 */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case "bigint":
      return `${v}n`;
    case "symbol":
      return v.toString();
    case "function":
      return `[Function ${(v as { name?: string }).name || "(anonymous)"}]`;
    case "object": {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      const name = (v as { constructor?: { name?: string } }).constructor?.name;
      return name && name !== tag ? `[${tag} ${name}]` : `[${tag}]`;
    }
    default:
      return String(v);
  }
}

/** True for anything `await` would treat as a thenable. */
export function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return (
    x !== null &&
    (typeof x === "object" || typeof x === "function") &&
    typeof (x as PromiseLike<unknown>).then === "function"
  );
}

/** True for what `yield*` can await: coroutines, futures, tasks, other awaitables. */
export function isAwaitable(x: unknown): boolean {
  return (
    x !== null &&
    typeof x === "object" &&
    typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

/** `ensureFuture`'s wording for something that cannot be awaited. */
export function notAwaitableMessage(x: unknown): string {
  return `An asyncio.Future, a coroutine or an awaitable is required${
    isPromiseLike(x) ? " (wrap a Promise with fromPromise(p) from @asyncio-ts/promise)" : ""
  }`;
}

/** Python's `Optional[float]` for a timeout: `null`/`undefined` mean none; NaN is refused. */
export function checkOptionalSeconds(
  value: unknown,
  name: string,
): asserts value is number | null | undefined {
  if (value != null && (typeof value !== "number" || Number.isNaN(value))) {
    throw new TypeError(
      `Expected \`${name}\` to be a number of seconds or null, got \`${describeValue(value)}\` (${typeof value})`,
    );
  }
}

/** Throws unless a scope's `body` is callable (its result is checked once called). */
export function checkBody(body: unknown, fn: string): void {
  if (typeof body !== "function") {
    throw new TypeError(
      `Expected \`body\` of ${fn}() to be a generator function, got \`${describeValue(body)}\` (${typeof body})`,
    );
  }
}

/** The TypeError for a scope body that returned something `yield*` cannot await. */
export function badBodyResult(result: unknown, fn: string): TypeError {
  const hint = isPromiseLike(result)
    ? ": write the body as a generator function (function*), not an async function"
    : "";
  return new TypeError(
    `The body of ${fn}() must return a coroutine, got \`${describeValue(result)}\`${hint}`,
  );
}

/**
 * A native Promise as a concurrent future (that cannot be cancelled), so a coroutine can await
 * it with `wrapFuture` (an `aexit` awaiting a Promise-returning shutdown, for example).
 */
export function followPromise<T>(p: Promise<T>): ConcurrentFuture<T> {
  let settled = false;
  const settle = () => {
    settled = true;
  };
  p.then(settle, settle);
  return {
    // biome-ignore lint/suspicious/noThenProperty: a concurrent future is PromiseLike.
    then: (onFulfilled, onRejected) => p.then(onFulfilled, onRejected),
    cancel: () => false,
    cancelled: () => false,
    done: () => settled,
  };
}

/** Python 3.14's `future_add_to_awaited_by` / `future_discard_from_awaited_by`. */
export { _addAwaitedBy, _discardAwaitedBy } from "./call-graph.js";

/** A CancelledError made by the machinery: a stack trace only in debug mode. */
export { _cancelledError as cancelledError } from "./errors.js";
/** The values of a Future's (internal) state. */
export { CANCELLED, FAILED, FINISHED, PENDING } from "./future.js";
