// SPEC §4: every misuse gets a clear, typed error at the call, never a hang or a silent drop.
// These are the cases @asyncio-ts/core owns; each asserts the error type and message.
// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualTimeEventLoop } from "../../testing/src/index.js";
import {
  allTasks,
  type BaseEventLoop,
  Context,
  ContextVar,
  type Coroutine,
  createTask,
  currentTask,
  DefaultEventLoopPolicy,
  ensureFuture,
  Future,
  getRunningLoop,
  InvalidStateError,
  Runner,
  RuntimeError,
  run,
  setDefaultExecutorFactory,
  setEventLoopPolicy,
  Task,
  wrapFuture,
} from "../src/index.js";
import { captureExceptions, freshLoop, runOn } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function* nothing(): Coroutine<void> {}

/** Call `fn` inside a running loop and return what it threw (or null). */
async function thrownInLoop(fn: (loop: BaseEventLoop) => unknown): Promise<unknown> {
  const loop = freshLoop();
  return runOn(
    loop,
    (function* (): Coroutine<unknown> {
      try {
        fn(loop);
        return null;
      } catch (e) {
        return e;
      }
    })(),
  );
}

describe("a non-coroutine where a coroutine belongs", () => {
  it.each([
    ["42", 42, "a coroutine was expected, got 42"],
    ["null", null, "a coroutine was expected, got null"],
    ["a string", "main", 'a coroutine was expected, got "main"'],
  ])("createTask(%s) raises TypeError with Python's message", async (_label, input, message) => {
    const e = await thrownInLoop(() => createTask(input as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe(message);
  });

  it("createTask(genFn) (not called) says to call the generator function", async () => {
    function* worker() {}
    const e = await thrownInLoop(() => createTask(worker as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^a coroutine was expected, got .*worker/);
    expect((e as Error).message).toContain("call the generator function, createTask(worker())");
  });

  it("createTask(async fn) says coroutines are generator functions", async () => {
    async function notAGenerator() {}
    const e = await thrownInLoop(() => createTask(notAGenerator as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain(
      "asyncio-ts coroutines are generator functions (function*), not async functions",
    );
  });

  it("createTask(promise) points to fromPromise", async () => {
    const e = await thrownInLoop(() => createTask(Promise.resolve(1) as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain("fromPromise(p) from @asyncio-ts/promise");
  });

  it("loop.createTask() and new Task() check too", () => {
    const loop = freshLoop();
    expect(() => loop.createTask(42 as never)).toThrow(TypeError);
    expect(() => loop.createTask(42 as never)).toThrow("a coroutine was expected, got 42");
    expect(() => new Task(42 as never, { loop })).toThrow(TypeError);
    loop.close();
  });

  it("the check happens with a task factory installed as well", () => {
    const loop = freshLoop();
    const factory = vi.fn();
    loop.setTaskFactory(factory);
    expect(() => loop.createTask({} as never)).toThrow(TypeError);
    expect(factory).not.toHaveBeenCalled();
    loop.close();
  });

  it("ensureFuture(42) raises TypeError", () => {
    const loop = freshLoop();
    expect(() => ensureFuture(42 as never, { loop })).toThrow(TypeError);
    expect(() => ensureFuture(42 as never, { loop })).toThrow(
      "An asyncio.Future, a coroutine or an awaitable is required",
    );
    loop.close();
  });

  it("run(42) / runner.run(42) raise RangeError (Python's ValueError)", async () => {
    expect(() => run(42 as never)).toThrow(RangeError);
    expect(() => run(42 as never)).toThrow("a coroutine was expected, got 42");
    const runner = new Runner();
    expect(() => runner.run({} as never)).toThrow(RangeError);
    await runner.close();
  });
});

describe("run inside a running loop", () => {
  it("run() raises RuntimeError", async () => {
    const e = await thrownInLoop(() => run(nothing()));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("asyncio.run() cannot be called from a running event loop");
  });

  it("loop.runUntilComplete() on the running loop raises RuntimeError", async () => {
    const e = await thrownInLoop((loop) => loop.runUntilComplete(nothing()));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("This event loop is already running");
  });
});

describe("work on a closed loop", () => {
  const loop = freshLoop();
  loop.close();
  const cases: [string, () => unknown][] = [
    ["callSoon", () => loop.callSoon(() => {})],
    ["callLater", () => loop.callLater(0, () => {})],
    ["callAt", () => loop.callAt(0, () => {})],
    ["callSoonThreadsafe", () => loop.callSoonThreadsafe(() => {})],
    ["callSoonInContext", () => loop.callSoonInContext(new Context(), () => {})],
    ["createTask", () => loop.createTask(nothing())],
    ["new Task", () => new Task(nothing(), { loop })],
    ["runForever", () => loop.runForever()],
    ["runUntilComplete", () => loop.runUntilComplete(nothing())],
    ["runInExecutor", () => loop.runInExecutor(null, () => 1)],
    [
      "addDoneCallback on a done future",
      () => {
        const f = new Future<number>(loop);
        f.setResult(1);
        f.addDoneCallback(() => {});
      },
    ],
  ];
  it.each(cases)("%s raises RuntimeError('Event loop is closed')", (_name, call) => {
    expect(call).toThrow(RuntimeError);
    expect(call).toThrow("Event loop is closed");
  });
});

describe("delays and times", () => {
  const bad: [string, unknown][] = [
    ["NaN", Number.NaN],
    ["a string", "1"],
    ["undefined", undefined],
    ["null", null],
    ["a bigint", 1n],
  ];

  it.each(bad)("callLater(%s) raises TypeError naming the delay", (_label, delay) => {
    const loop = freshLoop();
    expect(() => loop.callLater(delay as number, () => {})).toThrow(TypeError);
    expect(() => loop.callLater(delay as number, () => {})).toThrow(
      /^Expected `delay` to be a number of seconds/,
    );
    loop.close();
  });

  it.each(bad)("callAt(%s) raises TypeError naming the time", (_label, when) => {
    const loop = freshLoop();
    expect(() => loop.callAt(when as number, () => {})).toThrow(TypeError);
    expect(() => loop.callAt(when as number, () => {})).toThrow(/^Expected `when` to be a number/);
    loop.close();
  });

  it("callLaterInContext / callAtInContext check the time too", () => {
    const loop = freshLoop();
    expect(() => loop.callLaterInContext(new Context(), Number.NaN, () => {})).toThrow(TypeError);
    expect(() => loop.callAtInContext(new Context(), Number.NaN, () => {})).toThrow(TypeError);
    loop.close();
  });

  it("a delay <= 0 is not an error: it means now", async () => {
    const loop = new VirtualTimeEventLoop();
    const ran: string[] = [];
    loop.callLater(0, () => ran.push("0"));
    loop.callLater(-10, () => ran.push("-10"));
    loop.callLater(-0, () => ran.push("-0"));
    loop.callSoon(() => loop.callSoon(() => loop.stop()));
    await loop.runForever();
    expect(ran.sort()).toEqual(["-0", "-10", "0"]);
    expect(loop.time()).toBe(0);
    loop.close();
  });
});

describe("callbacks that are not callable", () => {
  const loop = freshLoop();
  const cases: [string, () => unknown, string][] = [
    ["callSoon", () => loop.callSoon(42 as never), "callSoon"],
    ["callLater", () => loop.callLater(1, 42 as never), "callAt"],
    ["callAt", () => loop.callAt(1, "f" as never), "callAt"],
    ["callSoonThreadsafe", () => loop.callSoonThreadsafe(null as never), "callSoonThreadsafe"],
    ["callSoonInContext", () => loop.callSoonInContext(new Context(), {} as never), "callSoon"],
    [
      "runInExecutor",
      () => loop.runInExecutor({ submit: vi.fn(), shutdown: vi.fn() } as never, 42 as never),
      "runInExecutor",
    ],
  ];
  it.each(cases)("%s raises TypeError('a callable object was expected by ...')", (_n, call, m) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^a callable object was expected by ${m}\\(\\), got `));
  });

  it("addDoneCallback(42) raises TypeError", () => {
    const f = new Future(freshLoop());
    expect(() => f.addDoneCallback(42 as never)).toThrow(TypeError);
    f.getLoop().close();
  });
});

describe("futures in the wrong state", () => {
  it("a second setResult raises InvalidStateError('invalid state')", () => {
    const loop = freshLoop();
    const f = new Future<number>(loop);
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow("invalid state");
    loop.close();
  });

  it("result() of a pending future raises InvalidStateError('Result is not set.')", () => {
    const loop = freshLoop();
    expect(() => new Future(loop).result()).toThrow(InvalidStateError);
    expect(() => new Future(loop).result()).toThrow("Result is not set.");
    loop.close();
  });

  it("Task.setResult raises RuntimeError", async () => {
    const e = await thrownInLoop(() => createTask(nothing()).setResult(undefined));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Task does not support set_result operation");
  });
});

describe("setters given the wrong thing", () => {
  it("setExceptionHandler / setTaskFactory / setDefaultExecutor raise TypeError", () => {
    const loop = freshLoop();
    expect(() => loop.setExceptionHandler("h" as never)).toThrow(TypeError);
    expect(() => loop.setTaskFactory({} as never)).toThrow(TypeError);
    expect(() => loop.setDefaultExecutor({} as never)).toThrow(TypeError);
    loop.close();
  });

  it("setEventLoopPolicy / DefaultEventLoopPolicy.setEventLoop raise TypeError", () => {
    expect(() => setEventLoopPolicy("p" as never)).toThrow(TypeError);
    expect(() => new DefaultEventLoopPolicy().setEventLoop("l" as never)).toThrow(TypeError);
    setEventLoopPolicy(null);
  });

  it("setDefaultExecutorFactory(42) raises TypeError", () => {
    expect(() => setDefaultExecutorFactory(42 as never)).toThrow(TypeError);
  });

  it("wrapFuture(42) raises TypeError('concurrent.futures.Future is expected, got 42')", () => {
    expect(() => wrapFuture(42 as never)).toThrow(TypeError);
    expect(() => wrapFuture(42 as never)).toThrow("concurrent.futures.Future is expected, got 42");
  });

  it("new Runner({ loopFactory: 42 }) raises TypeError", () => {
    expect(() => new Runner({ loopFactory: 42 as never })).toThrow(TypeError);
  });

  it("ContextVar(42) and reset(42) raise TypeError", () => {
    expect(() => new ContextVar(42 as never)).toThrow(TypeError);
    expect(() => new ContextVar("v").reset(42 as never)).toThrow(TypeError);
  });
});

describe("failures inside the loop are reported, never dropped", () => {
  it("an exception in a callback goes to the handler and the loop keeps running", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    const ran: string[] = [];
    loop.callSoon(() => {
      throw new TypeError("bad callback");
    });
    loop.callSoon(() => ran.push("still running"));
    const f = loop.createFuture<void>();
    loop.callSoon(() => f.setResult(undefined));
    await runOn(loop, f);
    expect(ran).toEqual(["still running"]);
    expect(seen.map((c) => (c.exception as Error).message)).toEqual(["bad callback"]);
  });

  it("a bad yield surfaces as a TypeError in the task, not a hang", async () => {
    await expect(
      run(
        (function* (): Coroutine<void> {
          getRunningLoop();
          yield 1 as never;
        })(),
      ),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe("optional arguments accept undefined or null (SPEC §3)", () => {
  it("createTask/ensureFuture/currentTask/allTasks/cancel/addDoneCallback take null", async () => {
    const got = await runOn(
      freshLoop(),
      (function* (): Coroutine<unknown[]> {
        const t = createTask(nothing(), { name: null, context: null });
        const f = ensureFuture(nothing(), { loop: null });
        expect(currentTask(null)).toBe(currentTask());
        expect(allTasks(null).has(t)).toBe(true);
        const g = getRunningLoop().createFuture();
        g.addDoneCallback(() => {}, { context: null });
        expect(g.cancel(null)).toBe(true);
        yield* t;
        yield* f;
        return [t.getName(), g.cancelled()];
      })(),
    );
    expect(got[0]).toMatch(/^Task-\d+$/);
    expect(got[1]).toBe(true);
  });

  it("run/Runner take null options", async () => {
    expect(await run(nothing(), { debug: null, loopFactory: null })).toBeUndefined();
    const runner = new Runner({ debug: null, loopFactory: null });
    expect(await runner.run(nothing(), { context: null })).toBeUndefined();
    await runner.close();
  });

  it("setters take null to reset", () => {
    const loop = freshLoop();
    loop.setExceptionHandler(null);
    loop.setTaskFactory(null);
    expect(loop.getExceptionHandler()).toBeNull();
    expect(loop.getTaskFactory()).toBeNull();
    setEventLoopPolicy(null);
    loop.close();
  });
});
