import {
  type AIterable,
  type AIterator,
  type Awaitable,
  type Coroutine,
  getRunningLoop,
  isCancelledError,
} from "@asyncio-ts/core";
import { fromPromise } from "./from-promise.js";
import { type Bridge, streamBridges } from "./internal/bridge.js";
import { describeValue, isPromiseLike } from "./internal/validate.js";

/**
 * No Python twin; adapter: what {@link fromAsyncIterable} returns, an asyncio-ts async iterator
 * (its own async iterable) whose `aclose()` closes the native source.
 * @example
 * import { asyncFor, type Coroutine } from "@asyncio-ts/core";
 * import { type AdaptedAIterator, fromAsyncIterable } from "@asyncio-ts/promise";
 * function* total(numbers: AsyncIterable<number>): Coroutine<number> {
 *   const it: AdaptedAIterator<number> = fromAsyncIterable(numbers);
 *   let sum = 0;
 *   yield* asyncFor(it, (n) => {
 *     sum += n;
 *   });
 *   return sum;
 * }
 */
export interface AdaptedAIterator<T> extends AIterator<T, void>, AIterable<T, void> {
  /** Python's `__aiter__`: the iterator itself. */
  aiter(): AdaptedAIterator<T>;
  /** Python's `__anext__`: awaits one native `next()` (or `read()`). */
  anext(): Awaitable<IteratorResult<T, void>>;
  /** Python's `aclose()`: the native `return()` (or the reader's `cancel()`), if still open. */
  aclose(): Awaitable<void>;
}

// Not opened yet; iterating; ran out or raised; closed by aclose() or a cancellation.
const IDLE = 0;
const ACTIVE = 1;
const FINISHED = 2;
const CLOSED = 3;

function done(): IteratorReturnResult<void> {
  return { done: true, value: undefined };
}

function ignore(): void {}

type NodeStreamLike = { destroy(): unknown; pipe(...args: unknown[]): unknown };

function isNodeStream(x: object): x is NodeStreamLike {
  return (
    typeof (x as NodeStreamLike).destroy === "function" &&
    typeof (x as NodeStreamLike).pipe === "function"
  );
}

class AsyncIterableAdapter<T> implements AdaptedAIterator<T> {
  private _state = IDLE;
  private readonly _source: AsyncIterable<T> | ReadableStream<T>;
  private _it: AsyncIterator<T> | null = null;
  private _reader: ReadableStreamDefaultReader<T> | null = null;
  /** Native requests not settled yet. */
  private _pending = 0;

  constructor(source: AsyncIterable<T> | ReadableStream<T>) {
    this._source = source;
  }

  aiter(): this {
    return this;
  }

  anext(): Awaitable<IteratorResult<T, void>> {
    return this._next();
  }

  aclose(): Awaitable<void> {
    return this._close();
  }

  toString(): string {
    const state = ["created", "open", "finished", "closed"][this._state];
    return `<AdaptedAIterator of ${describeValue(this._source)} ${state}>`;
  }

  private _bridge(): Bridge | undefined {
    return this._reader !== null ? streamBridges.get(this._source) : undefined;
  }

  private *_next(): Coroutine<IteratorResult<T, void>> {
    getRunningLoop(); // before any native request: outside a loop, nothing is read and lost
    if (this._state === IDLE) this._open();
    if (this._state !== ACTIVE) return done();
    let p: unknown;
    try {
      p = this._reader !== null ? this._reader.read() : this._it!.next();
    } catch (e) {
      this._finish();
      throw e;
    }
    let r: unknown;
    if (isPromiseLike(p)) {
      this._pending++;
      try {
        r = yield* this._wait(p);
      } catch (e) {
        if (isCancelledError(e)) this._abandon();
        else this._finish();
        throw e;
      } finally {
        this._pending--;
      }
    } else {
      r = p;
    }
    if (r === null || typeof r !== "object") {
      this._finish();
      throw new TypeError(`Iterator result ${describeValue(r)} is not an object`);
    }
    const result = r as IteratorResult<T>;
    if (result.done) {
      this._finish();
      return done();
    }
    return { done: false, value: result.value };
  }

  /** Await a native Promise through fromPromise: outside work, unless it is a bridge's. */
  private _wait<R>(p: PromiseLike<R>): Coroutine<R> {
    const fut = fromPromise(p);
    this._bridge()?.track(fut);
    return fut[Symbol.iterator]();
  }

  private _open(): void {
    const source = this._source;
    // Set first: a source that throws here is finished, not opened again.
    this._state = FINISHED;
    if (typeof (source as ReadableStream<T>).getReader === "function") {
      this._reader = (source as ReadableStream<T>).getReader();
    } else {
      const it = (source as AsyncIterable<T>)[Symbol.asyncIterator]();
      if (it === null || typeof it !== "object" || typeof it.next !== "function") {
        throw new TypeError(
          `[Symbol.asyncIterator]() of \`${describeValue(source)}\` returned a non-iterator: \`${describeValue(it)}\``,
        );
      }
      this._it = it;
    }
    this._state = ACTIVE;
  }

  /** The source ran out or raised: nothing to close; a reader's lock is released. */
  private _finish(): void {
    if (this._state !== ACTIVE) return;
    this._state = FINISHED;
    this._release();
  }

  private _release(): void {
    const reader = this._reader;
    if (reader === null) return;
    this._reader = null;
    try {
      reader.releaseLock();
    } catch {
      // An old implementation with reads still pending: the stream is cancelled anyway.
    }
  }

  /**
   * Cancelled while a native request is pending: close the source without waiting (a native
   * async generator queues return() behind the pending next(), which may never settle).
   */
  private _abandon(): void {
    if (this._state !== ACTIVE) return;
    this._state = CLOSED;
    const reader = this._reader;
    if (reader !== null) {
      // Resolves the pending read with done at once, then cancels the stream's source.
      swallow(() => reader.cancel());
      this._release();
      return;
    }
    const source = this._source as object;
    // A Node stream's iterator only destroys it once the pending next() settles.
    if (isNodeStream(source)) swallow(() => source.destroy());
    const it = this._it!;
    if (typeof it.return === "function") swallow(() => it.return!());
  }

  private *_close(): Coroutine<void> {
    if (this._state === IDLE) this._state = CLOSED;
    if (this._state !== ACTIVE) return;
    if (this._pending > 0) {
      // Another task waits on a native request: as for a cancellation, do not queue behind it.
      this._abandon();
      return;
    }
    this._state = CLOSED;
    const reader = this._reader;
    if (reader !== null) {
      try {
        yield* this._wait(reader.cancel());
      } finally {
        this._release();
      }
      return;
    }
    const it = this._it!;
    if (typeof it.return !== "function") return;
    const r = it.return();
    if (isPromiseLike(r)) yield* this._wait(r);
  }
}

/** Call `fn`, dropping what it throws and what its Promise rejects with. */
function swallow(fn: () => unknown): void {
  try {
    const r = fn();
    if (isPromiseLike(r)) r.then(undefined, ignore);
  } catch {
    // Nothing waits for the outcome of a close done on cancellation.
  }
}

/**
 * No Python twin; adapter: an asyncio-ts async iterator over a native async iterable (an async
 * generator, a Node `Readable`) or a web `ReadableStream` (closest: `async for` over an
 * `asyncio.StreamReader`). Each `anext()` awaits exactly one native `next()` or `read()` (no
 * read-ahead: the source's own buffer is the only one); `aclose()` calls its `return()` (a
 * reader's `cancel()`) if iterating started and did not finish. A cancellation while waiting
 * closes the source without waiting for it, then raises `CancelledError`.
 * @example
 * import { Readable } from "node:stream";
 * import { asyncFor, BREAK, run } from "@asyncio-ts/core";
 * import { fromAsyncIterable } from "@asyncio-ts/promise";
 * const readable = Readable.from(["a", "b", "c"]);
 * await run((function* () {
 *   yield* asyncFor(fromAsyncIterable<string>(readable), function* (chunk) {
 *     console.log(chunk); // a, b
 *     if (chunk === "b") return BREAK;
 *   });
 *   console.log(readable.destroyed); // true
 * })());
 */
export function fromAsyncIterable<T>(
  source: AsyncIterable<T> | ReadableStream<T>,
): AdaptedAIterator<T> {
  if (
    source === null ||
    (typeof source !== "object" && typeof source !== "function") ||
    (typeof (source as ReadableStream<T>).getReader !== "function" &&
      typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] !== "function")
  ) {
    throw new TypeError(
      `Expected \`source\` to be an async iterable or a ReadableStream, got \`${describeValue(source)}\`${badSourceHint(source)}`,
    );
  }
  if ((source as ReadableStream<T>).locked === true) {
    throw new TypeError(
      `Expected \`source\` to be an unlocked ReadableStream, got \`${describeValue(source)}\`, which already has a reader`,
    );
  }
  return new AsyncIterableAdapter(source);
}

function badSourceHint(x: unknown): string {
  if (x == null || (typeof x !== "object" && typeof x !== "function")) return "";
  if (
    typeof (x as AIterable<unknown>).aiter === "function" ||
    typeof (x as AIterator<unknown>).anext === "function"
  ) {
    return " (it already is an asyncio-ts async iterable: use it directly)";
  }
  if (typeof (x as Iterable<unknown>)[Symbol.iterator] === "function") {
    return " (a sync iterable: wrap it, e.g. with an asyncGenerator from @asyncio-ts/core)";
  }
  if (isPromiseLike(x)) return " (a Promise: await it with yield* fromPromise(p))";
  return "";
}
