import {
  type AsyncContextManager,
  asyncWith,
  type ConcurrentFuture,
  type Coroutine,
  type Executor,
  type Future,
  wrapFuture,
} from "@asyncio-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ExecutorFuture,
  type ExecutorMap,
  moduleFunction,
  ProcessPoolExecutor,
  runInExecutor,
  ThreadPoolExecutor,
  toThread,
} from "../src/index.js";

declare function parse(s: string, radix: number): number;
declare function fetchLike(url: string): Promise<{ ok: boolean }>;

const ex = new ThreadPoolExecutor();

describe("types", () => {
  it("submit infers the arguments and the awaited result", () => {
    expectTypeOf(ex.submit(parse, "10", 2)).toEqualTypeOf<ExecutorFuture<number>>();
    expectTypeOf(ex.submit(fetchLike, "u")).toEqualTypeOf<ExecutorFuture<{ ok: boolean }>>();
    // @ts-expect-error wrong argument type
    ex.submit(parse, 10, 2);
    // @ts-expect-error missing argument
    ex.submit(parse, "10");
  });

  it("both pools are core Executors and their futures ConcurrentFutures", () => {
    expectTypeOf(ex).toMatchTypeOf<Executor>();
    expectTypeOf(new ProcessPoolExecutor()).toMatchTypeOf<Executor>();
    expectTypeOf(ex.submit(parse, "1", 10)).toMatchTypeOf<ConcurrentFuture<number>>();
    expectTypeOf(ex.shutdown()).toEqualTypeOf<Promise<void>>();
  });

  it("asyncWith(pool, body) gives the pool to the body and returns the body's result", () => {
    expectTypeOf(
      asyncWith(new ThreadPoolExecutor(), function* (pool) {
        expectTypeOf(pool).toEqualTypeOf<ThreadPoolExecutor>();
        return yield* wrapFuture(pool.submit(parse, "1", 10));
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf<ThreadPoolExecutor>().toExtend<AsyncContextManager<ThreadPoolExecutor, false>>();
    expectTypeOf<ProcessPoolExecutor>().toExtend<AsyncContextManager<ProcessPoolExecutor, false>>();
    expectTypeOf(new ProcessPoolExecutor().aenter()).toEqualTypeOf<
      Coroutine<ProcessPoolExecutor>
    >();
    expectTypeOf(ex.aexit(null)).toEqualTypeOf<Coroutine<undefined>>();
  });

  it("moduleFunction is typed by its type argument", () => {
    const fib = moduleFunction<(n: number) => number>(new URL("file:///x.js"), "fib");
    expectTypeOf(ex.submit(fib, 3)).toEqualTypeOf<ExecutorFuture<number>>();
    // @ts-expect-error wrong argument type
    ex.submit(fib, "3");
    expectTypeOf(ex.submit({ url: "file:///x.js", name: "f" }, 1)).toEqualTypeOf<
      ExecutorFuture<unknown>
    >();
  });

  it("map zips typed iterables; options trail", () => {
    expectTypeOf(ex.map(parse, ["1"], [10])).toEqualTypeOf<ExecutorMap<number>>();
    expectTypeOf(ex.map(parse, ["1"], new Set([10]), { chunksize: 2 })).toEqualTypeOf<
      ExecutorMap<number>
    >();
    expectTypeOf(ex.map(fetchLike, ["u"]).toArray()).toEqualTypeOf<Coroutine<{ ok: boolean }[]>>();
    // @ts-expect-error wrong element type
    ex.map(parse, [1], [10]);
  });

  it("map items are awaitable both ways; for await yields results even after a for...of", () => {
    const results = ex.map(parse, ["1"], [10]);
    for (const item of results) {
      expectTypeOf(item).toMatchTypeOf<PromiseLike<number>>();
      expectTypeOf(item[Symbol.iterator]()).toMatchTypeOf<Coroutine<number>>();
    }
    void (async () => {
      for await (const r of results) expectTypeOf(r).toEqualTypeOf<number>();
    })();
  });

  it("toThread is a coroutine; runInExecutor a Future", () => {
    expectTypeOf(toThread(parse, "1", 10)).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(runInExecutor(null, fetchLike, "u")).toEqualTypeOf<Future<{ ok: boolean }>>();
    expectTypeOf(runInExecutor(ex, parse, "1", 10)).toEqualTypeOf<Future<number>>();
    // @ts-expect-error wrong argument type
    toThread(parse, 1, 10);
  });
});
