import {
  type AsyncContextManager,
  type Awaitable,
  asyncWith,
  type Coroutine,
  type Future,
  type Task,
} from "@asyncio-ts/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type AsCompletedIterator,
  asCompleted,
  FIRST_COMPLETED,
  gather,
  type ReturnWhen,
  shield,
  TaskGroup,
  taskGroup,
  wait,
} from "../src/index.js";

declare const num: Awaitable<number>;
declare const str: Coroutine<string>;
declare const task: Task<boolean>;
declare const fut: Future<{ id: number }>;
declare const tasks: Task<number>[];
declare const flag: boolean;

describe("types", () => {
  it("gather gives a tuple of the awaited types in argument order", () => {
    expectTypeOf(gather(num, str)).toEqualTypeOf<Future<[number, string]>>();
    expectTypeOf(gather(task, fut, num)).toEqualTypeOf<Future<[boolean, { id: number }, number]>>();
    expectTypeOf(gather()).toEqualTypeOf<Future<[]>>();
    expectTypeOf(gather(...tasks)).toEqualTypeOf<Future<number[]>>();
    expectTypeOf(gather(num, { returnExceptions: false })).toEqualTypeOf<Future<[number]>>();
    expectTypeOf(gather(num, {})).toEqualTypeOf<Future<[number]>>();
  });

  it("gather with returnExceptions gives each value or the error", () => {
    expectTypeOf(gather(num, str, { returnExceptions: true })).toEqualTypeOf<
      Future<[number | Error, string | Error]>
    >();
    expectTypeOf(gather(...tasks, { returnExceptions: true })).toEqualTypeOf<
      Future<(number | Error)[]>
    >();
    // Not known statically: the wider type.
    expectTypeOf(gather(num, { returnExceptions: flag })).toEqualTypeOf<Future<[number | Error]>>();
  });

  it("gather's result destructures inside a coroutine", () => {
    function* body(): Coroutine<void> {
      const [a, b] = yield* gather(num, str);
      expectTypeOf(a).toEqualTypeOf<number>();
      expectTypeOf(b).toEqualTypeOf<string>();
    }
    expectTypeOf(body).returns.toEqualTypeOf<Coroutine<void>>();
  });

  it("gather refuses what is not awaitable", () => {
    // @ts-expect-error a number is not awaitable
    gather(num, 42);
    // @ts-expect-error a Promise is not awaitable (wrap it with fromPromise)
    gather(Promise.resolve(1));
    // @ts-expect-error unknown option
    gather(num, { returnException: true });
  });

  it("wait gives two sets of the futures passed in", () => {
    expectTypeOf(wait(tasks)).toEqualTypeOf<
      Coroutine<[done: Set<Task<number>>, pending: Set<Task<number>>]>
    >();
    type Either = Task<boolean> | Future<{ id: number }>;
    expectTypeOf(wait([task, fut], { timeout: 1, returnWhen: FIRST_COMPLETED })).toEqualTypeOf<
      Coroutine<[done: Set<Either>, pending: Set<Either>]>
    >();
    expectTypeOf<ReturnWhen>().toEqualTypeOf<
      "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED"
    >();
    // @ts-expect-error coroutines must be wrapped in tasks
    wait([str]);
    // @ts-expect-error not a returnWhen value
    wait(tasks, { returnWhen: "SOMETIMES" });
  });

  it("asCompleted iterates coroutines of the results", () => {
    const iter = asCompleted([num, str]);
    expectTypeOf(iter).toEqualTypeOf<AsCompletedIterator<number | string>>();
    expectTypeOf([...iter]).toEqualTypeOf<Coroutine<number | string>[]>();
    expectTypeOf([...iter.futures()]).toEqualTypeOf<Coroutine<Future<number | string>>[]>();
    expectTypeOf(asCompleted(tasks, { timeout: null })).toEqualTypeOf<
      AsCompletedIterator<number>
    >();
  });

  it("shield keeps the awaited type", () => {
    expectTypeOf(shield(str)).toEqualTypeOf<Future<string>>();
    expectTypeOf(shield(task)).toEqualTypeOf<Future<boolean>>();
  });

  it("taskGroup returns the body's result; createTask keeps the task's type", () => {
    expectTypeOf(
      taskGroup(function* (tg) {
        expectTypeOf(tg).toEqualTypeOf<TaskGroup>();
        const t = tg.createTask(str, { name: "s" });
        expectTypeOf(t).toEqualTypeOf<Task<string>>();
        yield* t;
        return 42;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(new TaskGroup().enter()).toEqualTypeOf<TaskGroup>();
    expectTypeOf(new TaskGroup().exit).returns.toEqualTypeOf<Coroutine<void>>();
  });

  it("asyncWith(new TaskGroup(), body) returns the body's result and gives the group to the body", () => {
    expectTypeOf(
      asyncWith(new TaskGroup(), function* (tg) {
        expectTypeOf(tg).toEqualTypeOf<TaskGroup>();
        return yield* tg.createTask(str);
      }),
    ).toEqualTypeOf<Coroutine<string>>();
    expectTypeOf<TaskGroup>().toExtend<AsyncContextManager<TaskGroup, false>>();
    expectTypeOf(new TaskGroup().aenter()).toEqualTypeOf<Coroutine<TaskGroup>>();
    expectTypeOf(new TaskGroup().aexit(null)).toEqualTypeOf<Coroutine<undefined>>();
  });
});
