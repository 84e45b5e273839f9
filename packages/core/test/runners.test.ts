// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { VirtualTimeEventLoop } from "../../testing/src/index.js";
import {
  type AbstractEventLoop,
  type AsyncContextManager,
  asyncWith,
  BaseEventLoop,
  CancelledError,
  type ConcurrentFuture,
  ContextVar,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  type ExceptionContext,
  type Executor,
  getRunningLoop,
  Runner,
  RuntimeError,
  run,
  setEventLoopPolicy,
} from "../src/index.js";
import { forever, macrotask, sleep } from "./helpers.js";

afterEach(() => {
  setEventLoopPolicy(null);
  vi.restoreAllMocks();
});

function* value<T>(v: T): Coroutine<T> {
  return v;
}

function fakeExecutor(): Executor & { shutdown: ReturnType<typeof vi.fn> } {
  return {
    submit: <A extends unknown[], R>(fn: (...a: A) => R, ...args: A) => {
      const p = Promise.resolve(fn(...args));
      const cf: ConcurrentFuture<Awaited<R>> = {
        // biome-ignore lint/suspicious/noThenProperty: a concurrent future is PromiseLike.
        then: (a, b) => p.then(a, b),
        cancel: () => false,
        cancelled: () => false,
        done: () => true,
      };
      return cf;
    },
    shutdown: vi.fn(() => {}),
  };
}

describe("run()", () => {
  it("returns a Promise of main's result", async () => {
    const p = run(value(42));
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(42);
  });

  it("rejects with main's exception (the same object)", async () => {
    const err = new Error("main failed");
    await expect(
      run(
        (function* (): Coroutine<void> {
          yield;
          throw err;
        })(),
      ),
    ).rejects.toBe(err);
  });

  it("rejects with CancelledError when main is cancelled", async () => {
    await expect(
      run(
        (function* (): Coroutine<void> {
          currentTask()!.cancel();
          yield;
        })(),
      ),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it("cancels leftover tasks at the end; their finally blocks run before run() settles", async () => {
    const log: string[] = [];
    let leftover: ReturnType<typeof createTask<void>> | null = null;
    const r = await run(
      (function* (): Coroutine<string> {
        leftover = createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } finally {
              log.push("leftover finally");
            }
          })(),
        );
        yield;
        log.push("main returns");
        return "main";
      })(),
    );
    log.push("run settled");
    expect(r).toBe("main");
    expect(log).toEqual(["main returns", "leftover finally", "run settled"]);
    expect(leftover!.cancelled()).toBe(true);
  });

  it("waits for leftover tasks that need several turns (or time) to clean up", async () => {
    const log: string[] = [];
    await run(
      (function* (): Coroutine<void> {
        createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } finally {
              yield;
              yield* sleep(5);
              log.push(`slow cleanup done at ${getRunningLoop().time()}`);
            }
          })(),
        );
        yield;
      })(),
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
    expect(log).toEqual(["slow cleanup done at 5"]);
  });

  it("reports a leftover task that fails while being cancelled ('unhandled exception during asyncio.run() shutdown')", async () => {
    const seen: ExceptionContext[] = [];
    const err = new RangeError("during cancel");
    await run(
      (function* (): Coroutine<void> {
        getRunningLoop().setExceptionHandler((_l, ctx) => seen.push(ctx));
        createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } catch {
              throw err;
            }
          })(),
        );
        yield;
      })(),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.message).toBe("unhandled exception during asyncio.run() shutdown");
    expect(seen[0]?.exception).toBe(err);
  });

  it("closes the loop it made", async () => {
    let loop: AbstractEventLoop | null = null;
    await run(
      (function* (): Coroutine<void> {
        loop = getRunningLoop();
        expect(loop.isClosed()).toBe(false);
      })(),
    );
    expect(loop!.isClosed()).toBe(true);
    expect(loop!.isRunning()).toBe(false);
  });

  it("closes the loop when main fails too", async () => {
    let loop: AbstractEventLoop | null = null;
    await run(
      (function* (): Coroutine<void> {
        loop = getRunningLoop();
        throw new Error("x");
      })(),
    ).catch(() => {});
    expect(loop!.isClosed()).toBe(true);
  });

  it("shuts the default executor down (waiting for it) before closing", async () => {
    const ex = fakeExecutor();
    await run(
      (function* (): Coroutine<void> {
        getRunningLoop().setDefaultExecutor(ex);
        yield* getRunningLoop().runInExecutor(null, () => 1);
      })(),
    );
    expect(ex.shutdown).toHaveBeenCalledWith({ wait: true });
  });

  // Regression test (a bug, fixed): an error from the default executor's shutdown is sent to the exception handler and
  // run() resolves anyway. CPython 3.13 sets it on the future that shutdown_default_executor()
  // awaits, so it propagates out of Runner.close() and asyncio.run():
  //   class Ex(ThreadPoolExecutor):
  //       def shutdown(self, wait=True, **kw): super().shutdown(wait=wait); raise ValueError(...)
  //   asyncio.run(main())  # main sets Ex() as default executor -> raises ValueError
  it("propagates an error raised while shutting the default executor down", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const err = new RangeError("shutdown failed");
    const ex = fakeExecutor();
    ex.shutdown.mockImplementation(() => {
      throw err;
    });
    await expect(
      run(
        (function* (): Coroutine<number> {
          getRunningLoop().setDefaultExecutor(ex);
          return 1;
        })(),
      ),
    ).rejects.toBe(err);
  });

  it("loop.shutdownDefaultExecutor() raises the executor's shutdown error", async () => {
    const err = new RangeError("shutdown failed");
    const ex = fakeExecutor();
    ex.shutdown.mockImplementation(() => Promise.reject(err));
    const loop = new BaseEventLoop();
    loop.setExceptionHandler(() => {});
    loop.setDefaultExecutor(ex);
    try {
      await expect(loop.runUntilComplete(loop.shutdownDefaultExecutor())).rejects.toBe(err);
    } finally {
      loop.close();
    }
  });

  it("inside a running loop raises RuntimeError at the call", async () => {
    await run(
      (function* (): Coroutine<void> {
        const inner = value(1);
        expect(() => run(inner)).toThrow(RuntimeError);
        expect(() => run(inner)).toThrow(
          "asyncio.run() cannot be called from a running event loop",
        );
      })(),
    );
  });

  it("run(42) raises RangeError('a coroutine was expected, got 42') at the call", () => {
    expect(() => run(42 as never)).toThrow(RangeError);
    expect(() => run(42 as never)).toThrow("a coroutine was expected, got 42");
  });

  it("run(genFn) (an uncalled generator function) says to call it", () => {
    function* main() {}
    expect(() => run(main as never)).toThrow(RangeError);
    expect(() => run(main as never)).toThrow(/call the generator function, run\(main\(\)\)/);
  });

  it("debug: true turns the loop's debug mode on, debug: false off", async () => {
    expect(
      await run(
        (function* () {
          return getRunningLoop().getDebug();
        })(),
        { debug: true },
      ),
    ).toBe(true);
    expect(
      await run(
        (function* () {
          return getRunningLoop().getDebug();
        })(),
        { debug: false },
      ),
    ).toBe(false);
  });

  it("loopFactory makes the loop run() uses, and run() closes it", async () => {
    const loop = new VirtualTimeEventLoop();
    const t = await run(
      (function* (): Coroutine<number> {
        expect(getRunningLoop()).toBe(loop);
        yield* sleep(10);
        return getRunningLoop().time();
      })(),
      { loopFactory: () => loop },
    );
    expect(t).toBe(10);
    expect(loop.isClosed()).toBe(true);
  });

  it("main runs in a copy of the caller's context", async () => {
    const v = new ContextVar<string>("v", { default: "caller" });
    const seen = await run(
      (function* (): Coroutine<string> {
        const before = v.get();
        v.set("main");
        return before;
      })(),
    );
    expect(seen).toBe("caller");
    expect(v.get()).toBe("caller");
  });
});

describe("run() and futures returned by main", () => {
  // Regression test (a bug, fixed): run() never settles when main returns a pending Future or Task. The loop's Promise
  // resolves with the Future, a thenable, so the Promise adopts it and waits for it; but the
  // leftover tasks (and so that Task) are only cancelled by runner.close(), which runs after
  // that Promise settles: a deadlock, and for a plain pending Future a plain hang.
  // CPython 3.13: asyncio.run(main()) returns the Task object (cancelled by then). A Promise
  // cannot resolve to a thenable, so at least it must not hang (e.g. reject with a TypeError
  // saying to wrap the future, or resolve once the loop is closed).
  it("settles when main returns a pending Task (CPython returns the task object)", async () => {
    let settled = false;
    void run(
      (function* (): Coroutine<unknown> {
        return createTask(forever());
      })(),
    ).then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    for (let i = 0; i < 50 && !settled; i++) await macrotask();
    expect(settled).toBe(true);
  });

  it("rejects with a TypeError that says to wrap a Future returned by main", async () => {
    const err = await run(
      (function* (): Coroutine<unknown> {
        return createTask(forever());
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(
      /a Promise cannot resolve to a Future or Task, so wrap it/,
    );
  });
});

describe("Runner", () => {
  it("runs several coroutines on the same loop", async () => {
    const runner = new Runner();
    const loops: AbstractEventLoop[] = [];
    function* step(n: number): Coroutine<number> {
      loops.push(getRunningLoop());
      yield;
      return n * 2;
    }
    expect(await runner.run(step(1))).toBe(2);
    expect(await runner.run(step(2))).toBe(4);
    expect(loops[0]).toBe(loops[1]);
    expect(runner.getLoop()).toBe(loops[0]);
    await runner.close();
  });

  it("keeps context changes between run() calls (one context for the runner), as Python", async () => {
    // CPython 3.13: with Runner() as r: r.run(set1()); r.run(get()) -> 1; outside still 0.
    const v = new ContextVar<number>("v", { default: 0 });
    const runner = new Runner();
    await runner.run(
      (function* (): Coroutine<void> {
        v.set(1);
      })(),
    );
    const got = await runner.run(
      (function* (): Coroutine<number> {
        return v.get();
      })(),
    );
    expect(got).toBe(1);
    expect(v.get()).toBe(0);
    await runner.close();
  });

  it("run(coro, { context }) uses the given context instead", async () => {
    const v = new ContextVar<string>("v", { default: "d" });
    const ctx = copyContext();
    ctx.run(() => v.set("given"));
    const runner = new Runner();
    expect(
      await runner.run(
        (function* (): Coroutine<string> {
          return v.get();
        })(),
        { context: ctx },
      ),
    ).toBe("given");
    await runner.close();
  });

  it("tasks left by one run() keep running in the next", async () => {
    const runner = new Runner();
    const log: string[] = [];
    await runner.run(
      (function* (): Coroutine<void> {
        createTask(
          (function* (): Coroutine<void> {
            yield;
            yield;
            log.push("background ran on");
          })(),
        );
      })(),
    );
    await runner.run(
      (function* (): Coroutine<void> {
        yield;
        yield;
        yield;
      })(),
    );
    expect(log).toEqual(["background ran on"]);
    await runner.close();
  });

  it("close() cancels leftover tasks (finally runs) and closes the loop", async () => {
    const runner = new Runner();
    const log: string[] = [];
    await runner.run(
      (function* (): Coroutine<void> {
        createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } finally {
              log.push("cleanup");
            }
          })(),
        );
        yield;
      })(),
    );
    const loop = runner.getLoop();
    expect(log).toEqual([]);
    await runner.close();
    expect(log).toEqual(["cleanup"]);
    expect(loop.isClosed()).toBe(true);
  });

  it("close() is idempotent", async () => {
    const runner = new Runner();
    await runner.run(value(1));
    await runner.close();
    await expect(runner.close()).resolves.toBeUndefined();
  });

  it("after close(), run() and getLoop() raise RuntimeError('Runner is closed')", async () => {
    const runner = new Runner();
    await runner.run(value(1));
    await runner.close();
    expect(() => runner.run(value(2))).toThrow(RuntimeError);
    expect(() => runner.run(value(2))).toThrow("Runner is closed");
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("close() before any use does nothing and the runner still works (as Python)", async () => {
    const runner = new Runner();
    await runner.close();
    expect(await runner.run(value("still usable"))).toBe("still usable");
    await runner.close();
  });

  it("getLoop() makes the loop lazily and applies the debug option", async () => {
    const runner = new Runner({ debug: true });
    const loop = runner.getLoop();
    expect(loop).toBeInstanceOf(BaseEventLoop);
    expect(loop.getDebug()).toBe(true);
    expect(runner.getLoop()).toBe(loop);
    await runner.close();
  });

  it("uses loopFactory", async () => {
    const loop = new VirtualTimeEventLoop();
    const runner = new Runner({ loopFactory: () => loop });
    expect(runner.getLoop()).toBe(loop);
    await runner.close();
    expect(loop.isClosed()).toBe(true);
  });

  it("await using closes the runner at the end of the block", async () => {
    let loop: AbstractEventLoop | null = null;
    let escaped: Runner | null = null;
    {
      await using runner = new Runner();
      escaped = runner;
      loop = runner.getLoop();
      expect(await runner.run(value(5))).toBe(5);
    }
    expect(loop.isClosed()).toBe(true);
    expect(() => escaped.getLoop()).toThrow("Runner is closed");
  });

  it("[Symbol.asyncDispose]() closes the runner", async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    await runner[Symbol.asyncDispose]();
    expect(loop.isClosed()).toBe(true);
  });

  it("run() inside a running loop raises RuntimeError", async () => {
    const runner = new Runner();
    await run(
      (function* (): Coroutine<void> {
        expect(() => runner.run(value(1))).toThrow(RuntimeError);
        expect(() => runner.run(value(1))).toThrow(
          "Runner.run() cannot be called from a running event loop",
        );
      })(),
    );
    await runner.close();
  });

  it("run(42) raises RangeError('a coroutine was expected, got 42')", async () => {
    const runner = new Runner();
    expect(() => runner.run(42 as never)).toThrow(RangeError);
    expect(() => runner.run(42 as never)).toThrow("a coroutine was expected, got 42");
    await runner.close();
  });

  it("rejects a loopFactory that is not a function with TypeError", () => {
    expect(() => new Runner({ loopFactory: 42 as never })).toThrow(TypeError);
  });
});

describe("Runner as an asynchronous context manager (asyncWith)", () => {
  it("gives the runner to the body, returns its result, and closes the runner's loop at exit", async () => {
    const runner = new Runner();
    const r = await run(
      (function* () {
        const outer = getRunningLoop();
        let inner: AbstractEventLoop | null = null;
        const v = yield* asyncWith(runner, function* (value) {
          inner = value.getLoop();
          return {
            same: value === runner,
            otherLoop: inner !== outer,
            openInside: !inner.isClosed(),
          };
        });
        // Still on the outer loop, which keeps running.
        return { v, closedAfter: inner!.isClosed(), stillOuter: getRunningLoop() === outer };
      })(),
    );
    expect(r).toEqual({
      v: { same: true, otherLoop: true, openInside: true },
      closedAfter: true,
      stillOuter: true,
    });
    expect(() => runner.getLoop()).toThrow(RuntimeError);
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("cancels the runner's leftover tasks at exit (their finally blocks run), as close() does", async () => {
    const runner = new Runner();
    const log: string[] = [];
    await runner.run(
      (function* (): Coroutine<void> {
        createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } finally {
              log.push("cleanup");
            }
          })(),
        );
        yield;
      })(),
    );
    const loop = runner.getLoop();
    await run(
      (function* () {
        yield* asyncWith(runner, function* () {
          log.push("body");
        });
        log.push(`after: closed ${loop.isClosed()}`);
      })(),
    );
    expect(log).toEqual(["body", "cleanup", "after: closed true"]);
  });

  it("closes the runner when the body throws, and rethrows the same error", async () => {
    const runner = new Runner();
    const boom = new Error("boom");
    const e = await run(
      (function* () {
        try {
          yield* asyncWith(runner, function* (r) {
            r.getLoop();
            throw boom;
          });
        } catch (e) {
          return e;
        }
        return null;
      })(),
    );
    expect(e).toBe(boom);
    expect(e).not.toHaveProperty("cause");
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("closes the runner when the task is cancelled inside the body; the CancelledError propagates", async () => {
    const runner = new Runner();
    const r = await run(
      (function* () {
        const t = createTask(
          asyncWith(runner, function* () {
            yield* forever();
          }),
        );
        yield;
        t.cancel("stop");
        let e: unknown = null;
        try {
          yield* t;
        } catch (err) {
          e = err;
        }
        return { e, cancelled: t.cancelled() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r.cancelled).toBe(true);
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("runner.run() inside the body raises RuntimeError: the body runs on the caller's loop", async () => {
    const runner = new Runner();
    const e = await run(
      (function* () {
        return yield* asyncWith(runner, function* (r) {
          try {
            r.run(value(1));
          } catch (err) {
            return err;
          }
          return null;
        });
      })(),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Runner.run() cannot be called from a running event loop");
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("works from a virtual-time loop, which waits for the closing instead of reporting a deadlock", async () => {
    const runnerLoop = new VirtualTimeEventLoop();
    const runner = new Runner({ loopFactory: () => runnerLoop });
    const r = await run(
      (function* () {
        yield* asyncWith(runner, function* () {
          yield* sleep(5);
        });
        return getRunningLoop().time();
      })(),
      { loopFactory: () => new VirtualTimeEventLoop() },
    );
    expect(r).toBe(5);
    expect(runnerLoop.isClosed()).toBe(true);
  });

  it("aenter() makes the loop lazily and gives the runner; aexit() of a closed runner does nothing", async () => {
    const runner = new Runner({ debug: true });
    const r = await run(
      (function* () {
        const entered = yield* runner.aenter();
        const debug = runner.getLoop().getDebug();
        const exited = yield* runner.aexit(null);
        const again = yield* runner.aexit(null);
        return { same: entered === runner, debug, exited, again };
      })(),
    );
    expect(r).toEqual({ same: true, debug: true, exited: undefined, again: undefined });
    expect(() => runner.getLoop()).toThrow("Runner is closed");
  });

  it("is typed as a context manager that never suppresses", () => {
    expectTypeOf<Runner>().toExtend<AsyncContextManager<Runner, false>>();
    expectTypeOf(
      asyncWith(new Runner(), function* (r) {
        expectTypeOf(r).toEqualTypeOf<Runner>();
        return 1;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
  });
});
