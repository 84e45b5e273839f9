import {
  type AsyncContextManager,
  asyncWith,
  type Coroutine,
  type Future,
  type Task,
} from "@asyncio-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import { sleep, Timeout, timeout, timeoutAt, waitFor } from "../src/index.js";

declare const task: Task<number>;
declare const fut: Future<string>;

describe("types", () => {
  it("sleep returns Coroutine<undefined> or Coroutine of its result", () => {
    expectTypeOf(sleep(1)).toEqualTypeOf<Coroutine<undefined>>();
    expectTypeOf(sleep(1, "x")).toEqualTypeOf<Coroutine<string>>();
    expectTypeOf(sleep(1, { a: 1 })).toEqualTypeOf<Coroutine<{ a: number }>>();
  });

  it("timeout and timeoutAt return the body's result type", () => {
    expectTypeOf(
      timeout(1, function* () {
        yield* sleep(1);
        return 42;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(timeout(null, () => sleep(1, "s"))).toEqualTypeOf<Coroutine<string>>();
    expectTypeOf(
      // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
      timeoutAt(5, function* (cm) {
        return cm.when();
      }),
    ).toEqualTypeOf<Coroutine<number | null>>();
  });

  it("passes the Timeout to the body", () => {
    // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
    timeout(1, function* (cm) {
      expectTypeOf(cm).toEqualTypeOf<Timeout>();
      expectTypeOf(cm.when()).toEqualTypeOf<number | null>();
      expectTypeOf(cm.expired()).toEqualTypeOf<boolean>();
      expectTypeOf(cm.reschedule).parameter(0).toEqualTypeOf<number | null>();
    });
  });

  it("rejects a delay that is not a number or null, and a body that is not a coroutine function", () => {
    // @ts-expect-error a string delay
    timeout("1", function* () {});
    // @ts-expect-error an async body
    timeout(1, async () => 1);
    // @ts-expect-error a missing body
    timeout(1);
  });

  it("waitFor returns the awaited type of a coroutine, task or future", () => {
    expectTypeOf(waitFor(sleep(1, true), 1)).toEqualTypeOf<Coroutine<boolean>>();
    expectTypeOf(waitFor(task, null)).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(waitFor(fut, 0)).toEqualTypeOf<Coroutine<string>>();
    // @ts-expect-error a Promise is not awaitable here
    waitFor(Promise.resolve(1), 1);
  });

  it("asyncWith(new Timeout(when), body) gives the body's type and the Timeout to the body", () => {
    expectTypeOf(
      asyncWith(new Timeout(5), function* () {
        yield* sleep(1);
        return 1;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
    asyncWith(new Timeout(null), function* (cm) {
      expectTypeOf(cm).toEqualTypeOf<Timeout>();
    });
    expectTypeOf<Timeout>().toExtend<AsyncContextManager<Timeout, false>>();
    expectTypeOf(new Timeout(1).aenter()).toEqualTypeOf<Coroutine<Timeout>>();
    expectTypeOf(new Timeout(1).aexit(null)).toEqualTypeOf<Coroutine<undefined>>();
  });

  it("constructs a low-level Timeout from a deadline or null", () => {
    expectTypeOf(new Timeout(null)).toEqualTypeOf<Timeout>();
    expectTypeOf<ConstructorParameters<typeof Timeout>>().toEqualTypeOf<[when: number | null]>();
  });
});
