// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import type {
  AbstractEventLoop,
  ConcurrentFuture,
  Coroutine,
  Future,
  Task,
} from "@asyncio-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ConcurrentHandle,
  type FromPromiseOptions,
  fromPromise,
  type PromiseFactory,
  runCoroutineThreadsafe,
  toPromise,
} from "../src/index.js";

declare const pn: Promise<number>;
declare const coro: Coroutine<string>;
declare const task: Task<boolean>;
declare const fut: Future<bigint>;
declare const loop: AbstractEventLoop;

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
});
