import type { AbstractEventLoop, AIterable, AIterator } from "@asyncio-ts/core";
import { NEXT, Pump, RETURN, THROW } from "./internal/pump.js";

/**
 * No Python twin; adapter: the options of {@link toAsyncIterable}.
 * @example
 * import { newEventLoop } from "@asyncio-ts/core";
 * import type { ToAsyncIterableOptions } from "@asyncio-ts/promise";
 * const options: ToAsyncIterableOptions = { loop: newEventLoop() };
 */
export interface ToAsyncIterableOptions {
  /** The loop the source's steps run on; the running loop if omitted. */
  loop?: AbstractEventLoop | null;
}

/**
 * No Python twin; adapter: what {@link toAsyncIterable} returns, a native async iterator (its
 * own async iterable) whose `return()` and `throw()` always exist.
 * @example
 * import { asyncGenerator, run } from "@asyncio-ts/core";
 * import { type AdaptedAsyncIterator, fromPromise, toAsyncIterable } from "@asyncio-ts/promise";
 * const one = asyncGenerator<number>(function* (emit) {
 *   yield* emit(1);
 * });
 * await run((function* () {
 *   const it: AdaptedAsyncIterator<number> = toAsyncIterable(one());
 *   console.log(yield* fromPromise(it.next())); // { done: false, value: 1 }
 *   yield* fromPromise(it.return());
 * })());
 */
export interface AdaptedAsyncIterator<T> extends AsyncIterableIterator<T, void, undefined> {
  /** One `anext()` of the source, run as a task on the loop. */
  next(): Promise<IteratorResult<T, void>>;
  /** Ends the iteration: awaits the source's `aclose()`. */
  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>>;
  /** Ends the iteration with `error`: the source's `athrow(error)`, or `aclose()` then `error`. */
  throw(error?: unknown): Promise<IteratorResult<T, void>>;
  [Symbol.asyncIterator](): AdaptedAsyncIterator<T>;
}

class NativeAsyncIterator<T> implements AdaptedAsyncIterator<T> {
  readonly #pump: Pump<T>;

  constructor(pump: Pump<T>) {
    this.#pump = pump;
  }

  next(): Promise<IteratorResult<T, void>> {
    return this.#pump.request(NEXT) as Promise<IteratorResult<T, void>>;
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    return this.#pump.request(RETURN, value) as Promise<IteratorResult<T, void>>;
  }

  throw(error?: unknown): Promise<IteratorResult<T, void>> {
    return this.#pump.request(THROW, error) as Promise<IteratorResult<T, void>>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return "AsyncIterator";
  }
}

/**
 * No Python twin; adapter: a native async iterator (`for await`, `Readable.from`, …) over an
 * asyncio-ts async iterable, the JS side of an `async for` (closest: a consumer iterating an
 * async generator through `asyncio.run_coroutine_threadsafe` steps). Each `next()` runs one
 * `anext()` as a task on the loop (the running one, or `options.loop`) and nothing is produced
 * until it is called; `return()` awaits the source's `aclose()`, `throw(e)` its `athrow(e)`.
 * @example
 * import { asyncGenerator, run } from "@asyncio-ts/core";
 * import { fromPromise, toAsyncIterable } from "@asyncio-ts/promise";
 * const letters = asyncGenerator<string>(function* (emit) {
 *   try {
 *     yield* emit("a");
 *     yield* emit("b");
 *   } finally {
 *     console.log("closed");
 *   }
 * });
 * async function firstOf(items: AsyncIterable<string>): Promise<string | undefined> {
 *   for await (const s of items) return s; // return() closes the generator
 *   return undefined;
 * }
 * await run((function* () {
 *   console.log(yield* fromPromise(firstOf(toAsyncIterable(letters())))); // closed, then a
 * })());
 */
export function toAsyncIterable<T>(
  source: AIterable<T> | AIterator<T>,
  options?: ToAsyncIterableOptions | null,
): AdaptedAsyncIterator<T> {
  return new NativeAsyncIterator(new Pump<T>(source, options, "toAsyncIterable"));
}
