// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import { type AsyncContextManager, asyncWith, type Coroutine } from "@asyncio-ts/core";
import { sleep } from "@asyncio-ts/time";
import { describe, expectTypeOf, it } from "vitest";
import {
  Barrier,
  BoundedSemaphore,
  Condition,
  Event,
  LifoQueue,
  Lock,
  type LockLike,
  PriorityQueue,
  Queue,
  Semaphore,
} from "../src/index.js";

describe("types", () => {
  it("Queue<T>.get() gives T, put() takes T", () => {
    const q = new Queue<number>(2);
    expectTypeOf(q.get()).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(q.getNowait()).toEqualTypeOf<number>();
    expectTypeOf(q.put).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(q.put(1)).toEqualTypeOf<Coroutine<void>>();
    expectTypeOf(q.join()).toEqualTypeOf<Coroutine<void>>();
    expectTypeOf(q.maxsize).toEqualTypeOf<number>();
    // @ts-expect-error: a string is not a number
    q.putNowait("x");
    expectTypeOf(new Queue().getNowait()).toEqualTypeOf<unknown>();
  });

  it("LifoQueue and PriorityQueue are Queues of their item type", () => {
    expectTypeOf(new LifoQueue<string>().get()).toEqualTypeOf<Coroutine<string>>();
    const pq = new PriorityQueue<[number, string]>();
    expectTypeOf(pq.get()).toEqualTypeOf<Coroutine<[number, string]>>();
    expectTypeOf(pq).toExtend<Queue<[number, string]>>();
    new PriorityQueue<{ p: number }>(0, {
      compare: (a, b) => {
        expectTypeOf(a).toEqualTypeOf<{ p: number }>();
        return a.p - b.p;
      },
    });
  });

  it("with() returns the body's type", () => {
    const lock = new Lock();
    expectTypeOf(
      lock.with(function* () {
        yield* sleep(1);
        return 42;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(new Semaphore(2).with(() => sleep(1, "s"))).toEqualTypeOf<Coroutine<string>>();
    expectTypeOf(new Condition().with(() => sleep(1))).toEqualTypeOf<Coroutine<undefined>>();
  });

  it("asyncWith(lock-like, body) gives the body's type (they never suppress), and undefined to it", () => {
    expectTypeOf(
      asyncWith(new Lock(), function* () {
        return 1;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(asyncWith(new Semaphore(2), () => sleep(1, "s"))).toEqualTypeOf<
      Coroutine<string>
    >();
    expectTypeOf(asyncWith(new BoundedSemaphore(), () => sleep(1))).toEqualTypeOf<
      Coroutine<undefined>
    >();
    asyncWith(new Condition(), function* (value) {
      expectTypeOf(value).toEqualTypeOf<undefined>();
    });
    expectTypeOf<LockLike>().toExtend<AsyncContextManager<undefined, false>>();
    expectTypeOf(new Lock().aenter()).toEqualTypeOf<Coroutine<undefined>>();
    expectTypeOf(new Lock().aexit(null)).toEqualTypeOf<Coroutine<undefined>>();
  });

  it("hold() gives a Disposable", () => {
    expectTypeOf(new BoundedSemaphore().hold()).toEqualTypeOf<Coroutine<Disposable>>();
  });

  it("acquire() and wait() give true; Barrier.wait() gives the index", () => {
    expectTypeOf(new Lock().acquire()).toEqualTypeOf<Coroutine<true>>();
    expectTypeOf(new Event().wait()).toEqualTypeOf<Coroutine<true>>();
    expectTypeOf(new Condition().wait()).toEqualTypeOf<Coroutine<true>>();
    expectTypeOf(new Condition().waitFor(() => "x" as string | null)).toEqualTypeOf<
      Coroutine<string | null>
    >();
    expectTypeOf(new Barrier(2).wait()).toEqualTypeOf<Coroutine<number>>();
  });

  it("every lock-like class is a LockLike", () => {
    expectTypeOf<Lock>().toExtend<LockLike>();
    expectTypeOf<Semaphore>().toExtend<LockLike>();
    expectTypeOf<BoundedSemaphore>().toExtend<LockLike>();
    expectTypeOf<Condition>().toExtend<LockLike>();
  });

  it("Barrier's properties are read-only getters", () => {
    const b = new Barrier(3);
    expectTypeOf(b.parties).toEqualTypeOf<number>();
    expectTypeOf(b.nWaiting).toEqualTypeOf<number>();
    expectTypeOf(b.broken).toEqualTypeOf<boolean>();
    // @ts-expect-error: parties has no setter
    b.parties = 4;
  });
});
