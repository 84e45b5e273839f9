// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import type { Readable } from "node:stream";
import type {
  AbstractEventLoop,
  AGenerator,
  AIterable,
  AIterator,
  Awaitable,
  ConcurrentFuture,
  Coroutine,
  Future,
  Task,
} from "@asyncio-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AdaptedAIterator,
  type AdaptedAsyncIterator,
  type ConcurrentHandle,
  type FromPromiseOptions,
  fromAsyncIterable,
  fromPromise,
  type PromiseFactory,
  runCoroutineThreadsafe,
  type ToAsyncIterableOptions,
  type ToReadableStreamOptions,
  toAsyncIterable,
  toPromise,
  toReadableStream,
} from "../src/index.js";

declare const pn: Promise<number>;
declare const coro: Coroutine<string>;
declare const task: Task<boolean>;
declare const fut: Future<bigint>;
declare const loop: AbstractEventLoop;
declare const agen: AGenerator<number>;
declare const aiterable: AIterable<string>;
declare const aiterator: AIterator<bigint>;
declare const nativeGen: AsyncGenerator<string, void>;
declare const stream: ReadableStream<Uint8Array>;
declare const readable: Readable;

describe("types", () => {
  it("fromPromise(Promise<T>) is Future<T>", () => {
    expectTypeOf(fromPromise(pn)).toEqualTypeOf<Future<number>>();
    expectTypeOf(fromPromise(Promise.resolve("s"))).toEqualTypeOf<Future<string>>();
    expectTypeOf(fromPromise(pn, { loop })).toEqualTypeOf<Future<number>>();
  });

  it("fromPromise(factory) is Future of what the factory's Promise gives", () => {
    expectTypeOf(fromPromise(async (_signal) => 1)).toEqualTypeOf<Future<number>>();
    expectTypeOf(fromPromise((signal) => fetch("x", { signal }))).toEqualTypeOf<Future<Response>>();
    expectTypeOf<PromiseFactory<number>>().parameter(0).toEqualTypeOf<AbortSignal>();
    fromPromise((signal) => {
      expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
      return pn;
    });
  });

  it("the future is awaited with yield* to T", () => {
    function* body(): Coroutine<number> {
      const n = yield* fromPromise(pn);
      expectTypeOf(n).toEqualTypeOf<number>();
      return n;
    }
    expectTypeOf(body).returns.toEqualTypeOf<Coroutine<number>>();
  });

  it("fromPromise rejects what is not a Promise or a factory", () => {
    // @ts-expect-error a number is neither
    fromPromise(42);
    // @ts-expect-error options is an object with `loop`
    fromPromise(pn, { loop: 1 });
    expectTypeOf<FromPromiseOptions>().toEqualTypeOf<{ loop?: AbstractEventLoop | null }>();
  });

  it("toPromise(aw) is Promise<T>", () => {
    expectTypeOf(toPromise(coro)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(toPromise(task)).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(toPromise(fut)).toEqualTypeOf<Promise<bigint>>();
    expectTypeOf(
      toPromise({
        *[Symbol.iterator]() {
          return 1 as const;
        },
      }),
    ).toEqualTypeOf<Promise<1>>();
    // @ts-expect-error a Promise is not a coroutine, Future or awaitable
    toPromise(pn);
  });

  it("runCoroutineThreadsafe gives a ConcurrentHandle<T>, a ConcurrentFuture<T>", () => {
    const h = runCoroutineThreadsafe(coro, loop);
    expectTypeOf(h).toEqualTypeOf<ConcurrentHandle<string>>();
    expectTypeOf(h).toMatchTypeOf<ConcurrentFuture<string>>();
    expectTypeOf(h).toMatchTypeOf<PromiseLike<string>>();
    expectTypeOf(h.result()).toEqualTypeOf<string>();
    expectTypeOf(h.exception()).toEqualTypeOf<unknown>();
    expectTypeOf(h.cancel()).toEqualTypeOf<boolean>();
    expectTypeOf(fromPromise(h)).toEqualTypeOf<Future<string>>();
    // @ts-expect-error a coroutine is required
    runCoroutineThreadsafe(pn, loop);
  });

  it("await on a handle gives T", async () => {
    const v = await runCoroutineThreadsafe(coro, loop);
    expectTypeOf(v).toEqualTypeOf<string>();
  });

  it("fromAsyncIterable gives an asyncio-ts async iterator of the element type", () => {
    const iter = fromAsyncIterable(nativeGen);
    expectTypeOf(iter).toEqualTypeOf<AdaptedAIterator<string>>();
    expectTypeOf(iter).toMatchTypeOf<AIterator<string, void>>();
    expectTypeOf(iter).toMatchTypeOf<AIterable<string, void>>();
    expectTypeOf(iter.anext()).toEqualTypeOf<Awaitable<IteratorResult<string, void>>>();
    expectTypeOf(iter.aclose()).toEqualTypeOf<Awaitable<void>>();
    expectTypeOf(fromAsyncIterable(stream)).toEqualTypeOf<AdaptedAIterator<Uint8Array>>();
    // A Node Readable is an AsyncIterable<any>: name the chunk type.
    expectTypeOf(fromAsyncIterable<Buffer>(readable)).toEqualTypeOf<AdaptedAIterator<Buffer>>();
    function* body(): Coroutine<string> {
      const r = yield* fromAsyncIterable(nativeGen).anext();
      if (r.done) return "";
      expectTypeOf(r.value).toEqualTypeOf<string>();
      return r.value;
    }
    expectTypeOf(body).returns.toEqualTypeOf<Coroutine<string>>();
    // @ts-expect-error an asyncio-ts async iterable is used directly
    fromAsyncIterable(agen);
    // @ts-expect-error a sync iterable is not accepted
    fromAsyncIterable([1, 2]);
  });

  it("toAsyncIterable gives a native async iterator of the element type", () => {
    const iter = toAsyncIterable(agen);
    expectTypeOf(iter).toEqualTypeOf<AdaptedAsyncIterator<number>>();
    expectTypeOf(iter).toMatchTypeOf<AsyncIterableIterator<number>>();
    expectTypeOf(iter.next()).toEqualTypeOf<Promise<IteratorResult<number, void>>>();
    expectTypeOf(iter.return()).toEqualTypeOf<Promise<IteratorResult<number, void>>>();
    expectTypeOf(toAsyncIterable(aiterable)).toEqualTypeOf<AdaptedAsyncIterator<string>>();
    expectTypeOf(toAsyncIterable(aiterator, { loop })).toEqualTypeOf<
      AdaptedAsyncIterator<bigint>
    >();
    expectTypeOf<ToAsyncIterableOptions>().toEqualTypeOf<{ loop?: AbstractEventLoop | null }>();
    async function native(): Promise<void> {
      for await (const n of toAsyncIterable(agen)) expectTypeOf(n).toEqualTypeOf<number>();
    }
    void native;
    // @ts-expect-error a native async iterable is used directly
    toAsyncIterable(nativeGen);
  });

  it("toReadableStream gives a ReadableStream of the element type", () => {
    expectTypeOf(toReadableStream(agen)).toEqualTypeOf<ReadableStream<number>>();
    expectTypeOf(toReadableStream(aiterable, { highWaterMark: 2 })).toEqualTypeOf<
      ReadableStream<string>
    >();
    expectTypeOf<ToReadableStreamOptions>().toMatchTypeOf<ToAsyncIterableOptions>();
    expectTypeOf<ToReadableStreamOptions["highWaterMark"]>().toEqualTypeOf<
      number | null | undefined
    >();
    // @ts-expect-error highWaterMark is a number
    toReadableStream(agen, { highWaterMark: "1" });
  });
});
