import {
  type Awaitable,
  type Coroutine,
  type Future,
  RuntimeError,
  wrapFuture,
} from "@asyncio-ts/core";
import type { ExecutorFuture } from "./executor-future.js";

/** @internal One job of a `map()`: a single call, or a chunk of calls when `chunked`. */
export interface MapEntry {
  readonly future: ExecutorFuture<unknown>;
  readonly size: number;
  readonly chunked: boolean;
  wrapped: Future<unknown> | null;
}

function pick<R>(entry: MapEntry, index: number, value: unknown): R {
  return (entry.chunked ? (value as unknown[])[index] : value) as R;
}

/**
 * One result of `Executor.map()` (an item of Python's result iterator), awaitable both ways:
 * `yield* item` in a coroutine (on the running loop) and `await item` in native code.
 * @example
 * import { type MapItem, ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function inc(x: number) {
 *   return x + 1;
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 1 });
 * const items: MapItem<number>[] = [...ex.map(inc, [1, 2])];
 * console.log(await Promise.all(items)); // [ 2, 3 ]
 * await ex.shutdown();
 */
export interface MapItem<R> extends Awaitable<R>, PromiseLike<R> {}

class Item<R> implements MapItem<R> {
  readonly #entry: MapEntry;
  readonly #index: number;

  constructor(entry: MapEntry, index: number) {
    this.#entry = entry;
    this.#index = index;
  }

  *[Symbol.iterator](): Generator<Future<unknown> | undefined, R, unknown> {
    const entry = this.#entry;
    // Wrapped on first await, so on the loop of the coroutine that iterates.
    if (entry.wrapped === null) entry.wrapped = wrapFuture(entry.future);
    return pick<R>(entry, this.#index, yield* entry.wrapped);
  }

  // biome-ignore lint/suspicious/noThenProperty: an item is a PromiseLike on purpose.
  then<R1 = R, R2 = never>(
    onfulfilled?: ((value: R) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#entry.future
      .then((value) => pick<R>(this.#entry, this.#index, value))
      .then(onfulfilled, onrejected);
  }
}

/**
 * Mirrors the iterator `Executor.map()` returns: the results in input order. Every job is
 * submitted when `map()` is called. Iterate it once: in a coroutine,
 * `for (const next of results) { const r = yield* next; }` (the SPEC's form of `async for`; each
 * item is also a `PromiseLike`) or `yield* results.toArray()`; in native code,
 * `for await (const r of results)`. As in Python, leaving the loop early (an error, `break`, a
 * cancelled task) cancels the jobs that have not started.
 * @example
 * import { run } from "@asyncio-ts/core";
 * import { ThreadPoolExecutor } from "@asyncio-ts/executors";
 * function square(x: number) {
 *   return x * x;
 * }
 * const ex = new ThreadPoolExecutor({ maxWorkers: 2 });
 * await run(
 *   (function* () {
 *     for (const next of ex.map(square, [1, 2, 3])) console.log(yield* next); // 1, 4, 9
 *     console.log(yield* ex.map(square, [4, 5]).toArray()); // [ 16, 25 ]
 *   })(),
 * );
 * for await (const r of ex.map(square, [6, 7])) console.log(r); // 36, 49
 * await ex.shutdown();
 */
export class ExecutorMap<R> implements Iterable<MapItem<R>>, AsyncIterable<R> {
  readonly #entries: readonly MapEntry[];
  #consumed = false;

  /** @internal Made by `Executor.map()`. */
  constructor(entries: readonly MapEntry[]) {
    this.#entries = entries;
  }

  /** The results in order, each awaitable with `yield*` (on a running loop) or `await`. */
  *[Symbol.iterator](): Generator<MapItem<R>, void, undefined> {
    this.#claim();
    const entries = this.#entries;
    let i = 0;
    try {
      for (; i < entries.length; i++) {
        const entry = entries[i]!;
        for (let j = 0; j < entry.size; j++) yield new Item<R>(entry, j);
      }
    } finally {
      this.#cancelFrom(i);
    }
  }

  /** The results in order, for `for await` in native async code. */
  async *[Symbol.asyncIterator](): AsyncGenerator<R, void, undefined> {
    this.#claim();
    const entries = this.#entries;
    let i = 0;
    try {
      for (; i < entries.length; i++) {
        const entry = entries[i]!;
        const value = await entry.future;
        if (entry.chunked) yield* value as R[];
        else yield value as R;
      }
    } finally {
      this.#cancelFrom(i);
    }
  }

  /** A coroutine giving all the results in order (Python's `list(executor.map(...))`). */
  *toArray(): Coroutine<R[]> {
    const out: R[] = [];
    const it = this[Symbol.iterator]();
    try {
      for (let r = it.next(); !r.done; r = it.next()) out.push(yield* r.value);
    } finally {
      it.return?.();
    }
    return out;
  }

  #claim(): void {
    if (this.#consumed) {
      throw new RuntimeError("the results of this map() were already iterated; call map() again");
    }
    this.#consumed = true;
  }

  #cancelFrom(i: number): void {
    for (let k = i; k < this.#entries.length; k++) this.#entries[k]!.future.cancel();
  }
}
