// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { describe, expectTypeOf, it } from "vitest";
import {
  type AbstractEventLoop,
  type Awaitable,
  type AwaitedOf,
  ContextVar,
  type Coroutine,
  createTask,
  ensureFuture,
  Future,
  getRunningLoop,
  type Handle,
  Runner,
  run,
  Task,
  type TimerHandle,
  type Token,
} from "../src/index.js";

function* num(): Coroutine<number> {
  return 1;
}

function* str(): Coroutine<string> {
  return "s";
}

declare const loop: AbstractEventLoop;

describe("awaiting with yield*", () => {
  it("yield* task has the task's type", () => {
    function* main(): Coroutine<void> {
      const t = createTask(num());
      expectTypeOf(t).toEqualTypeOf<Task<number>>();
      const v = yield* t;
      expectTypeOf(v).toEqualTypeOf<number>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coroutine<void>>();
  });

  it("yield* future and yield* coroutine have their result types", () => {
    function* main(): Coroutine<void> {
      const f = getRunningLoop().createFuture<string>();
      expectTypeOf(f).toEqualTypeOf<Future<string>>();
      expectTypeOf(yield* f).toEqualTypeOf<string>();
      expectTypeOf(yield* str()).toEqualTypeOf<string>();
      expectTypeOf(yield* ensureFuture(num())).toEqualTypeOf<number>();
    }
    void main;
  });

  it("a bare yield is allowed in a Coroutine and gives unknown", () => {
    function* main(): Coroutine<void> {
      const x = yield;
      expectTypeOf(x).toEqualTypeOf<unknown>();
    }
    void main;
  });

  it("AwaitedOf extracts the result type of any awaitable", () => {
    expectTypeOf<AwaitedOf<Task<number>>>().toEqualTypeOf<number>();
    expectTypeOf<AwaitedOf<Future<string>>>().toEqualTypeOf<string>();
    expectTypeOf<AwaitedOf<Coroutine<boolean>>>().toEqualTypeOf<boolean>();
    expectTypeOf<Future<number>>().toMatchTypeOf<Awaitable<number>>();
  });
});

describe("creating tasks and futures", () => {
  it("createTask(coro) is Task<T>, loop.createTask too", () => {
    expectTypeOf(createTask(num())).toEqualTypeOf<Task<number>>();
    expectTypeOf(createTask(str(), { name: "n" })).toEqualTypeOf<Task<string>>();
    expectTypeOf(loop.createTask(num())).toEqualTypeOf<Task<number>>();
    expectTypeOf(new Task(num(), { loop })).toEqualTypeOf<Task<number>>();
  });

  it("createTask refuses a non-coroutine at compile time", () => {
    // @ts-expect-error a Promise is not a coroutine
    createTask(Promise.resolve(1));
    // @ts-expect-error an uncalled generator function is not a coroutine
    createTask(num);
  });

  it("a Task is a Future and a PromiseLike of its result", () => {
    expectTypeOf<Task<number>>().toMatchTypeOf<Future<number>>();
    expectTypeOf<Future<number>>().toMatchTypeOf<PromiseLike<number>>();
    async function native(t: Task<number>) {
      const v = await t;
      expectTypeOf(v).toEqualTypeOf<number>();
    }
    void native;
  });

  it("Future methods keep the value type", () => {
    const f = new Future<number>(loop);
    expectTypeOf(f.result()).toEqualTypeOf<number>();
    expectTypeOf(f.exception()).toEqualTypeOf<unknown>();
    expectTypeOf(f.cancel()).toEqualTypeOf<boolean>();
    expectTypeOf(f.removeDoneCallback).returns.toEqualTypeOf<number>();
    // @ts-expect-error setResult takes the future's type
    f.setResult("not a number");
  });
});

describe("running", () => {
  it("run() is Promise<T>", () => {
    expectTypeOf(run(num())).toEqualTypeOf<Promise<number>>();
    expectTypeOf(run(str(), { debug: true })).toEqualTypeOf<Promise<string>>();
  });

  it("Runner.run and loop.runUntilComplete are Promise<T>; runForever is Promise<void>", () => {
    expectTypeOf(new Runner().run(num())).toEqualTypeOf<Promise<number>>();
    expectTypeOf(loop.runUntilComplete(num())).toEqualTypeOf<Promise<number>>();
    expectTypeOf(loop.runUntilComplete(new Future<string>(loop))).toEqualTypeOf<Promise<string>>();
    expectTypeOf(loop.runForever()).toEqualTypeOf<Promise<void>>();
  });
});

describe("scheduling callbacks", () => {
  it("callSoon / callLater / callAt check the arguments against the callback", () => {
    expectTypeOf(loop.callSoon((a: number, b: string) => a + b, 1, "x")).toEqualTypeOf<Handle>();
    expectTypeOf(loop.callLater(1, (a: number) => a, 2)).toEqualTypeOf<TimerHandle>();
    expectTypeOf(loop.callAt(1, () => {})).toEqualTypeOf<TimerHandle>();
    // @ts-expect-error wrong argument type
    loop.callSoon((a: number) => a, "x");
    // @ts-expect-error missing argument
    loop.callLater(1, (a: number) => a);
  });

  it("runInExecutor resolves to the awaited return type", () => {
    expectTypeOf(loop.runInExecutor(null, (a: number) => a * 2, 3)).toEqualTypeOf<Future<number>>();
    expectTypeOf(loop.runInExecutor(null, async () => "s")).toEqualTypeOf<Future<string>>();
  });
});

describe("context variables", () => {
  it("get/set/reset are typed by the variable", () => {
    const v = new ContextVar<number>("v", { default: 0 });
    expectTypeOf(v.get()).toEqualTypeOf<number>();
    expectTypeOf(v.get("fallback")).toEqualTypeOf<number | string>();
    const tok = v.set(1);
    expectTypeOf(tok).toEqualTypeOf<Token<number>>();
    v.reset(tok);
    // @ts-expect-error a number variable takes numbers
    v.set("x");
  });
});
