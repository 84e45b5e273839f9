import { StopAsyncIteration } from "./errors.js";
import { describeValue, isAwaitable, isPromiseLike } from "./shared.js";
import type { Awaitable, Coroutine } from "./types.js";

/**
 * Mirrors Python's `collections.abc.AsyncIterator` (`__anext__`, plus `aclose()` when it holds
 * something to release). `anext()` gives an `IteratorResult`: `{ done: true }` is the end
 * (raising {@link StopAsyncIteration} is accepted too). The `A` prefix keeps it apart from JS's
 * Promise-based `AsyncIterator`; `@asyncio-ts/promise` converts between the two.
 * @example
 * import { type AIterator, type Coroutine } from "@asyncio-ts/core";
 * function countdown(n: number): AIterator<number, void> {
 *   return {
 *     *anext(): Coroutine<IteratorResult<number, void>> {
 *       return n > 0 ? { done: false, value: n-- } : { done: true, value: undefined };
 *     },
 *   };
 * }
 */
export interface AIterator<T, TReturn = unknown> {
  /** Python's `__anext__`: the next item as `{ done: false, value }`, or `{ done: true }`. */
  anext(): Awaitable<IteratorResult<T, TReturn>>;
  /** Python's `aclose()`: release what the iterator holds; `asyncFor` calls it on exit. */
  aclose?(): Awaitable<unknown>;
}

/**
 * Mirrors Python's `collections.abc.AsyncIterable` (`__aiter__`): what `asyncFor` loops over.
 * @example
 * import { type AIterable, type AIterator, type Coroutine } from "@asyncio-ts/core";
 * class Ticks implements AIterable<number> {
 *   aiter(): AIterator<number> {
 *     let i = 0;
 *     return {
 *       *anext(): Coroutine<IteratorResult<number>> {
 *         return i < 3 ? { done: false, value: i++ } : { done: true, value: undefined };
 *       },
 *     };
 *   }
 * }
 */
export interface AIterable<T, TReturn = unknown> {
  /** Python's `__aiter__`. */
  aiter(): AIterator<T, TReturn>;
}

/** The item type of an async iterable or iterator. */
export type AIteratedOf<S> = S extends AIterable<infer T> | AIterator<infer T> ? T : never;

function hasMethod(x: unknown, name: string): boolean {
  return (
    x !== null &&
    (typeof x === "object" || typeof x === "function") &&
    typeof (x as Record<string, unknown>)[name] === "function"
  );
}

function notAsyncIterable(source: unknown, name: string): TypeError {
  const hint =
    source != null && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
      ? " (a JS async iterable is Promise-based: adapt it with fromAsyncIterable(x) from @asyncio-ts/promise)"
      : "";
  return new TypeError(
    `Expected \`${name}\` to be an async iterable (an object with aiter() or anext()), got \`${describeValue(source)}\`${hint}`,
  );
}

/** @internal `aiter()` with the argument named as the caller names it. */
export function _aiter<T, R>(
  source: AIterable<T, R> | AIterator<T, R>,
  name: string,
): AIterator<T, R> {
  if (hasMethod(source, "aiter")) {
    const it = (source as AIterable<T, R>).aiter();
    if (!hasMethod(it, "anext")) {
      throw new TypeError(
        `aiter() of \`${describeValue(source)}\` returned a non-iterator: \`${describeValue(it)}\` has no anext() method`,
      );
    }
    return it;
  }
  if (hasMethod(source, "anext")) return source as AIterator<T, R>;
  throw notAsyncIterable(source, name);
}

/**
 * Mirrors Python's builtin `aiter(obj)`: the async iterator of an async iterable (an iterator
 * is its own). A `TypeError` for anything else.
 * @example
 * import { aiter, asyncGenerator, run } from "@asyncio-ts/core";
 * const one = asyncGenerator(function* (emit) {
 *   yield* emit(1);
 * });
 * await run((function* () {
 *   const it = aiter(one());
 *   console.log(yield* it.anext()); // { done: false, value: 1 }
 * })());
 */
export function aiter<T, R = unknown>(source: AIterable<T, R> | AIterator<T, R>): AIterator<T, R> {
  return _aiter(source, "source");
}

/** @internal The TypeError for an `anext()` that gave something `yield*` cannot await. */
export function _notAwaitableNext(it: unknown, next: unknown): TypeError {
  const hint = isPromiseLike(next) ? " (write anext() as a generator method, *anext())" : "";
  return new TypeError(
    `anext() of \`${describeValue(it)}\` returned \`${describeValue(next)}\`, which is not awaitable${hint}`,
  );
}

/** @internal Awaits `it.anext()`, turning a raised StopAsyncIteration into a done result. */
export function* _step<T, R>(it: AIterator<T, R>): Coroutine<IteratorResult<T, R | undefined>> {
  const next = it.anext();
  if (!isAwaitable(next)) throw _notAwaitableNext(it, next);
  try {
    return yield* next;
  } catch (e) {
    if (e instanceof StopAsyncIteration) return { done: true, value: undefined };
    throw e;
  }
}

/**
 * Mirrors Python's builtin `anext(iterator[, default])`: the next item, or `default` at the end;
 * without a default the end raises {@link StopAsyncIteration}.
 * @example
 * import { anext, asyncGenerator, run } from "@asyncio-ts/core";
 * const one = asyncGenerator(function* (emit) {
 *   yield* emit(1);
 * });
 * await run((function* () {
 *   const g = one();
 *   console.log(yield* anext(g), yield* anext(g, "end")); // 1 end
 * })());
 */
export function anext<T>(it: AIterator<T>): Coroutine<T>;
export function anext<T, D>(it: AIterator<T>, defaultValue: D): Coroutine<T | D>;
export function anext<T>(it: AIterator<T>, ...defaultValue: [] | [unknown]): Coroutine<unknown> {
  if (!hasMethod(it, "anext")) {
    throw new TypeError(
      `Expected \`it\` to be an async iterator (an object with anext()), got \`${describeValue(it)}\``,
    );
  }
  return nextOrDefault(it, defaultValue);
}

function* nextOrDefault<T>(it: AIterator<T>, defaultValue: [] | [unknown]): Coroutine<unknown> {
  const r = yield* _step(it);
  if (!r.done) return r.value;
  if (defaultValue.length === 0) throw new StopAsyncIteration();
  return defaultValue[0];
}
