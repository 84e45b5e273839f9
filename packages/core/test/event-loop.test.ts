// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runVirtual, VirtualTimeEventLoop } from "../../testing/src/index.js";
import {
  type AbstractEventLoop,
  BaseEventLoop,
  CancelledError,
  type ConcurrentFuture,
  ContextVar,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  EventLoop,
  type Executor,
  Future,
  getRunningLoop,
  RuntimeError,
  run,
  setDefaultExecutorFactory,
  Task,
  type TaskFactory,
  wrapFuture,
} from "../src/index.js";
import { captureExceptions, forever, freshLoop, macrotask, sleep } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Run `loop` until a callback queued now (after everything already queued) stops it. */
async function runQueued(loop: AbstractEventLoop): Promise<void> {
  loop.callSoon(() => loop.stop());
  await loop.runForever();
}

describe("callSoon", () => {
  it("runs callbacks in FIFO order", async () => {
    const loop = freshLoop();
    const order: number[] = [];
    for (let i = 0; i < 5; i++) loop.callSoon(() => order.push(i));
    await runQueued(loop);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    loop.close();
  });

  it("runs callbacks in the loop: getRunningLoop() is the loop", async () => {
    const loop = freshLoop();
    let seen: AbstractEventLoop | null = null;
    loop.callSoon(() => {
      seen = getRunningLoop();
    });
    await runQueued(loop);
    expect(seen).toBe(loop);
    loop.close();
  });

  it("a callback scheduled by a callback runs after the ones already queued", async () => {
    const loop = freshLoop();
    const order: string[] = [];
    loop.callSoon(() => {
      order.push("a");
      loop.callSoon(() => order.push("a-child"));
    });
    loop.callSoon(() => order.push("b"));
    loop.callSoon(() => loop.callSoon(() => loop.stop()));
    await loop.runForever();
    expect(order).toEqual(["a", "b", "a-child"]);
    loop.close();
  });

  it("keeps FIFO order across many callbacks (the ready queue grows)", async () => {
    const loop = freshLoop();
    const order: number[] = [];
    const n = 5000;
    for (let i = 0; i < n; i++) loop.callSoon(() => order.push(i));
    await runQueued(loop);
    expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
    loop.close();
  });
});

describe("callLater / callAt", () => {
  it("fire in time order whatever the scheduling order", async () => {
    const order: string[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        loop.callLater(3, () => order.push("3"));
        loop.callLater(1, () => order.push("1"));
        loop.callAt(2, () => order.push("2 (callAt)"));
        yield* sleep(5);
      })(),
    );
    expect(order).toEqual(["1", "2 (callAt)", "3"]);
  });

  it("equal times fire in scheduling order", async () => {
    const order: string[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        loop.callLater(1, () => order.push("a"));
        loop.callAt(1, () => order.push("b"));
        loop.callLater(1, () => order.push("c"));
        yield* sleep(2);
      })(),
    );
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("fire at their time on the loop clock", async () => {
    const times: number[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        loop.callLater(1.5, () => times.push(loop.time()));
        loop.callAt(4, () => times.push(loop.time()));
        yield* sleep(10);
      })(),
    );
    expect(times).toEqual([1.5, 4]);
  });

  it("a delay <= 0 means now: it runs on the next iteration, before later timers", async () => {
    const order: string[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const loop = getRunningLoop();
        loop.callLater(0.5, () => order.push("0.5"));
        loop.callLater(0, () => order.push("0"));
        loop.callLater(-3, () => order.push("-3"));
        yield* sleep(1);
        expect(loop.time()).toBe(1);
      })(),
    );
    // Timers order by `when`: -3 is earlier than 0.
    expect(order).toEqual(["-3", "0", "0.5"]);
  });

  it("a due timer runs after the callbacks already queued in that iteration", async () => {
    const order: string[] = [];
    const loop = new VirtualTimeEventLoop();
    loop.callSoon(() => {
      order.push("A");
      loop.callLater(0, () => order.push("T"));
      loop.callSoon(() => order.push("B"));
    });
    loop.callLater(1, () => loop.stop());
    await loop.runForever();
    expect(order).toEqual(["A", "B", "T"]);
    loop.close();
  });

  it("a callAt time in the past runs on the next iteration", async () => {
    const loop = new VirtualTimeEventLoop();
    loop.advance(100);
    const at: number[] = [];
    loop.callAt(1, () => at.push(loop.time()));
    loop.callLater(1, () => loop.stop());
    await loop.runForever();
    expect(at).toEqual([100]);
    loop.close();
  });

  it("callLater(Infinity) schedules a timer that never fires", async () => {
    const loop = freshLoop();
    const calls: string[] = [];
    const t = loop.callLater(Number.POSITIVE_INFINITY, () => calls.push("never"));
    expect(t.when()).toBe(Number.POSITIVE_INFINITY);
    await runQueued(loop);
    t.cancel();
    expect(calls).toEqual([]);
    loop.close();
  });
});

describe("time()", () => {
  it("is monotonic seconds on the default loop (performance.now() / 1000)", () => {
    const loop = freshLoop();
    const before = performance.now() / 1000;
    const t = loop.time();
    const after = performance.now() / 1000;
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(after);
    loop.close();
  });

  it("starts at 0 on the virtual loop and advances only through timers", async () => {
    const t = await runVirtual(
      (function* (): Coroutine<number[]> {
        const loop = getRunningLoop();
        const t0 = loop.time();
        yield* sleep(3600);
        return [t0, loop.time()];
      })(),
    );
    expect(t).toEqual([0, 3600]);
  });
});

describe("one iteration", () => {
  it("runs only what was ready when it began; stop() lets it finish", async () => {
    const loop = freshLoop();
    const order: string[] = [];
    loop.callSoon(() => {
      order.push("a");
      loop.stop();
      loop.callSoon(() => order.push("c (scheduled during the last iteration)"));
    });
    loop.callSoon(() => order.push("b (already queued)"));
    await loop.runForever();
    expect(order).toEqual(["a", "b (already queued)"]);
    // The callback scheduled in the stopped iteration runs on the next runForever.
    await runQueued(loop);
    expect(order).toEqual(["a", "b (already queued)", "c (scheduled during the last iteration)"]);
    loop.close();
  });

  it("stop() before runForever() runs exactly one iteration", async () => {
    const loop = freshLoop();
    const order: string[] = [];
    loop.stop();
    loop.callSoon(() => {
      order.push("x");
      loop.callSoon(() => order.push("y"));
    });
    await loop.runForever();
    expect(order).toEqual(["x"]);
    await runQueued(loop);
    expect(order).toEqual(["x", "y"]);
    loop.close();
  });

  it("stop() from outside wakes an idle loop", async () => {
    const loop = freshLoop();
    const p = loop.runForever();
    await macrotask();
    await macrotask();
    expect(loop.isRunning()).toBe(true);
    loop.stop();
    await p;
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });
});

describe("running, stopping and closing", () => {
  it("isRunning() is true while running and false before and after", async () => {
    const loop = freshLoop();
    expect(loop.isRunning()).toBe(false);
    let inside: boolean | null = null;
    loop.callSoon(() => {
      inside = loop.isRunning();
    });
    await runQueued(loop);
    expect(inside).toBe(true);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  it("runForever() returns a Promise that resolves after stop()", async () => {
    const loop = freshLoop();
    loop.callSoon(() => loop.stop());
    const p = loop.runForever();
    expect(p).toBeInstanceOf(Promise);
    await expect(p).resolves.toBeUndefined();
    loop.close();
  });

  it("runUntilComplete() resolves with a coroutine's result", async () => {
    const loop = freshLoop();
    const v = await loop.runUntilComplete(
      (function* (): Coroutine<number> {
        yield;
        return 11;
      })(),
    );
    expect(v).toBe(11);
    expect(loop.isRunning()).toBe(false);
    loop.close();
  });

  it("runUntilComplete() wraps a coroutine in a Task", async () => {
    const loop = freshLoop();
    let t: unknown = null;
    await loop.runUntilComplete(
      (function* (): Coroutine<void> {
        t = currentTask();
      })(),
    );
    expect(t).toBeInstanceOf(Task);
    loop.close();
  });

  it("runUntilComplete() rejects with the coroutine's exception", async () => {
    const loop = freshLoop();
    const err = new Error("main failed");
    await expect(
      loop.runUntilComplete(
        (function* (): Coroutine<void> {
          yield;
          throw err;
        })(),
      ),
    ).rejects.toBe(err);
    loop.close();
  });

  it("runUntilComplete() accepts a Future and resolves with its result", async () => {
    const loop = freshLoop();
    const f = loop.createFuture<string>();
    loop.callSoon(() => f.setResult("f"));
    expect(await loop.runUntilComplete(f)).toBe("f");
    loop.close();
  });

  it("runUntilComplete() of an already-done future returns its result", async () => {
    const loop = freshLoop();
    const f = loop.createFuture<string>();
    f.setResult("early");
    expect(await loop.runUntilComplete(f)).toBe("early");
    loop.close();
  });

  it("runUntilComplete() rejects with CancelledError when the future is cancelled", async () => {
    const loop = freshLoop();
    const f = loop.createFuture<string>();
    loop.callSoon(() => f.cancel("nope"));
    await expect(loop.runUntilComplete(f)).rejects.toBeInstanceOf(CancelledError);
    loop.close();
  });

  it("runUntilComplete() raises RuntimeError if the loop stops before the future is done", async () => {
    const loop = freshLoop();
    const f = loop.createFuture();
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(f)).rejects.toThrow(RuntimeError);
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(f)).rejects.toThrow(
      "Event loop stopped before Future completed.",
    );
    loop.close();
  });

  it("runUntilComplete() of a future from another loop raises RangeError", () => {
    const loop = freshLoop();
    const other = freshLoop();
    const f = other.createFuture();
    expect(() => loop.runUntilComplete(f)).toThrow(RangeError);
    expect(() => loop.runUntilComplete(f)).toThrow(
      "The future belongs to a different loop than the one specified as the loop argument",
    );
    loop.close();
    other.close();
  });

  it("runUntilComplete() / runForever() inside the running loop raise 'already running'", async () => {
    const loop = freshLoop();
    const errors: unknown[] = [];
    loop.callSoon(() => {
      try {
        void loop.runForever();
      } catch (e) {
        errors.push(e);
      }
      try {
        void loop.runUntilComplete(loop.createFuture());
      } catch (e) {
        errors.push(e);
      }
    });
    await runQueued(loop);
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe("This event loop is already running");
    }
    loop.close();
  });

  it("running another loop from inside a running loop raises RuntimeError", async () => {
    const loop = freshLoop();
    const other = freshLoop();
    let err: unknown = null;
    loop.callSoon(() => {
      try {
        void other.runForever();
      } catch (e) {
        err = e;
      }
    });
    await runQueued(loop);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("Cannot run the event loop while another loop is running");
    loop.close();
    other.close();
  });

  it("two loops can run side by side when both are started from outside", async () => {
    const a = freshLoop();
    const b = freshLoop();
    const fb = b.createFuture<string>();
    const pb = b.runUntilComplete(fb);
    const va = await a.runUntilComplete(
      (function* (): Coroutine<string> {
        yield;
        b.callSoonThreadsafe(() => fb.setResult("from a"));
        return "a done";
      })(),
    );
    expect(va).toBe("a done");
    expect(await pb).toBe("from a");
    a.close();
    b.close();
  });

  it("close() makes isClosed() true and may be called twice", () => {
    const loop = freshLoop();
    expect(loop.isClosed()).toBe(false);
    loop.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => loop.close()).not.toThrow();
  });

  it("close() of a running loop raises 'Cannot close a running event loop'", async () => {
    const loop = freshLoop();
    let err: unknown = null;
    loop.callSoon(() => {
      try {
        loop.close();
      } catch (e) {
        err = e;
      }
    });
    await runQueued(loop);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("Cannot close a running event loop");
    expect(loop.isClosed()).toBe(false);
    loop.close();
  });

  it("a closed loop refuses work with RuntimeError('Event loop is closed')", () => {
    const loop = freshLoop();
    loop.close();
    const cases: [string, () => unknown][] = [
      ["callSoon", () => loop.callSoon(() => {})],
      ["callLater", () => loop.callLater(1, () => {})],
      ["callAt", () => loop.callAt(1, () => {})],
      ["callSoonThreadsafe", () => loop.callSoonThreadsafe(() => {})],
      ["createTask", () => loop.createTask((function* () {})())],
      ["runForever", () => loop.runForever()],
      ["runUntilComplete", () => loop.runUntilComplete((function* () {})())],
      ["runInExecutor", () => loop.runInExecutor(syncExecutor(), () => 1)],
    ];
    for (const [name, call] of cases) {
      expect(call, name).toThrow(RuntimeError);
      expect(call, name).toThrow("Event loop is closed");
    }
  });

  it("close() reports tasks still pending ('Task was destroyed but it is pending!')", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    const pending = loop.createTask(forever(), { name: "stuck" });
    await loop.runUntilComplete(
      (function* (): Coroutine<void> {
        yield;
      })(),
    );
    expect(seen).toEqual([]);
    loop.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.message).toBe("Task was destroyed but it is pending!");
    expect(seen[0]?.task).toBe(pending);
  });

  it("close() does not report a task that runUntilComplete() made and was left pending", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    loop.callSoon(() => loop.stop());
    await expect(loop.runUntilComplete(forever())).rejects.toThrow(
      "Event loop stopped before Future completed.",
    );
    loop.close();
    expect(seen).toEqual([]);
  });

  it("close() shuts the default executor down without waiting", async () => {
    const loop = freshLoop();
    const ex = syncExecutor();
    loop.setDefaultExecutor(ex);
    loop.close();
    await macrotask();
    expect(ex.shutdown).toHaveBeenCalledTimes(1);
    expect(ex.shutdown).toHaveBeenCalledWith({ wait: false });
  });

  it("EventLoop is the default loop class", () => {
    expect(EventLoop).toBe(BaseEventLoop);
    const loop = new EventLoop();
    expect(loop).toBeInstanceOf(BaseEventLoop);
    loop.close();
  });
});

describe("exceptions in callbacks", () => {
  it("go to the exception handler with message, exception and handle; the loop keeps running", async () => {
    const loop = new VirtualTimeEventLoop();
    const seen = captureExceptions(loop);
    const err = new Error("cb broke");
    const order: string[] = [];
    function broken() {
      throw err;
    }
    const h = loop.callSoon(broken);
    loop.callSoon(() => order.push("next callback ran"));
    loop.callLater(0, () => order.push("timer ran"));
    loop.callSoon(() => loop.callSoon(() => loop.stop()));
    await loop.runForever();
    expect(order).toEqual(["next callback ran", "timer ran"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.message).toMatch(/^Exception in callback broken\(/);
    expect(seen[0]?.exception).toBe(err);
    expect(seen[0]?.handle).toBe(h);
    loop.close();
  });

  it("without a handler they are logged to stderr via console.error, never stdout", async () => {
    const loop = freshLoop();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const write = vi.spyOn(process.stdout, "write");
    loop.callSoon(function failing() {
      throw new Error("to stderr");
    });
    await runQueued(loop);
    expect(error).toHaveBeenCalledTimes(1);
    const text = String(error.mock.calls[0]?.[0]);
    expect(text).toMatch(/^Exception in callback failing\(/);
    expect(text).toContain("to stderr");
    expect(log).not.toHaveBeenCalled();
    expect(write).not.toHaveBeenCalled();
    loop.close();
  });
});

describe("exception handler API", () => {
  it("getExceptionHandler() is null by default and returns what was set", () => {
    const loop = freshLoop();
    expect(loop.getExceptionHandler()).toBeNull();
    const h = () => {};
    loop.setExceptionHandler(h);
    expect(loop.getExceptionHandler()).toBe(h);
    loop.setExceptionHandler(null);
    expect(loop.getExceptionHandler()).toBeNull();
    loop.close();
  });

  it("setExceptionHandler() rejects a non-callable with Python's TypeError message", () => {
    const loop = freshLoop();
    expect(() => loop.setExceptionHandler(42 as never)).toThrow(TypeError);
    expect(() => loop.setExceptionHandler(42 as never)).toThrow(
      "A callable object or None is expected, got 42",
    );
    loop.close();
  });

  it("callExceptionHandler() calls the handler with (loop, context)", () => {
    const loop = freshLoop();
    const handler = vi.fn();
    loop.setExceptionHandler(handler);
    const ctx = { message: "custom", exception: new Error("x"), extra: 1 };
    loop.callExceptionHandler(ctx);
    expect(handler).toHaveBeenCalledWith(loop, ctx);
    loop.close();
  });

  it("callExceptionHandler() without a handler uses defaultExceptionHandler", () => {
    const loop = freshLoop();
    const spy = vi.spyOn(loop, "defaultExceptionHandler").mockImplementation(() => {});
    const ctx = { message: "m" };
    loop.callExceptionHandler(ctx);
    expect(spy).toHaveBeenCalledWith(ctx);
    loop.close();
  });

  it("a handler that throws is reported by the default handler ('Unhandled error in exception handler')", () => {
    const loop = freshLoop();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const bad = new Error("handler broke");
    loop.setExceptionHandler(() => {
      throw bad;
    });
    expect(() => loop.callExceptionHandler({ message: "original" })).not.toThrow();
    expect(error).toHaveBeenCalledTimes(1);
    const text = String(error.mock.calls[0]?.[0]);
    expect(text).toMatch(/^Unhandled error in exception handler/);
    expect(text).toContain("handler broke");
    loop.close();
  });

  it("defaultExceptionHandler() writes the message, the other keys sorted, then the stack", () => {
    const loop = freshLoop();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const exc = new Error("the exception");
    loop.defaultExceptionHandler({
      message: "Something failed",
      exception: exc,
      zeta: 1,
      alpha: "a",
    });
    expect(error).toHaveBeenCalledTimes(1);
    const lines = String(error.mock.calls[0]?.[0]).split("\n");
    expect(lines[0]).toBe("Something failed");
    expect(lines[1]).toMatch(/^alpha: /);
    expect(lines[2]).toMatch(/^zeta: 1/);
    expect(lines.slice(3).join("\n")).toContain("Error: the exception");
    loop.close();
  });

  it("defaultExceptionHandler() with an empty message says 'Unhandled exception in event loop'", () => {
    const loop = freshLoop();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    loop.defaultExceptionHandler({ message: "" });
    expect(String(error.mock.calls[0]?.[0])).toMatch(/^Unhandled exception in event loop/);
    loop.close();
  });
});

describe("debug mode", () => {
  it("getDebug() is false by default; setDebug() toggles it", () => {
    const loop = freshLoop();
    expect(loop.getDebug()).toBe(false);
    loop.setDebug(true);
    expect(loop.getDebug()).toBe(true);
    loop.setDebug(false);
    expect(loop.getDebug()).toBe(false);
    loop.close();
  });

  it("warns (console.warn) about a callback slower than slowCallbackDuration", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const loop = new VirtualTimeEventLoop();
    loop.setDebug(true);
    expect(loop.slowCallbackDuration).toBe(0.1);
    loop.callSoon(function slowOne() {
      loop.advance(0.25);
    });
    loop.callSoon(function quickOne() {
      loop.advance(0.05);
    });
    await runQueued(loop);
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0]?.[0]);
    expect(text).toMatch(/^Executing .*slowOne.* took 0\.250 seconds$/);
    loop.close();
  });

  it("honours a changed slowCallbackDuration and stays silent outside debug mode", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const loop = new VirtualTimeEventLoop();
    loop.callSoon(() => loop.advance(5));
    await runQueued(loop);
    expect(warn).not.toHaveBeenCalled();
    loop.setDebug(true);
    loop.slowCallbackDuration = 1;
    loop.callSoon(() => loop.advance(0.5));
    await runQueued(loop);
    expect(warn).not.toHaveBeenCalled();
    loop.callSoon(() => loop.advance(1.5));
    await runQueued(loop);
    expect(warn).toHaveBeenCalledTimes(1);
    loop.close();
  });
});

describe("task factory", () => {
  it("getTaskFactory() is null by default", () => {
    const loop = freshLoop();
    expect(loop.getTaskFactory()).toBeNull();
    loop.close();
  });

  it("createTask() goes through the factory with (loop, coro, { name, context })", async () => {
    const loop = freshLoop();
    const made: Task<unknown>[] = [];
    const factory: TaskFactory = vi.fn((l, coro, options) => {
      const t = new Task(coro, { loop: l, ...options });
      made.push(t);
      return t;
    });
    loop.setTaskFactory(factory);
    expect(loop.getTaskFactory()).toBe(factory);
    const ctx = copyContext();
    const result = await loop.runUntilComplete(
      (function* (): Coroutine<number> {
        const a = createTask(
          (function* () {
            return 1;
          })(),
        );
        const b = getRunningLoop().createTask(
          (function* () {
            return 2;
          })(),
          { name: "bee", context: ctx },
        );
        expect(b.getName()).toBe("bee");
        return (yield* a) + (yield* b);
      })(),
    );
    expect(result).toBe(3);
    // The main task (made by runUntilComplete) and the two above.
    expect(factory).toHaveBeenCalledTimes(3);
    const call = vi.mocked(factory).mock.calls[2]!;
    expect(call[0]).toBe(loop);
    expect(call[2]).toEqual({ name: "bee", context: ctx });
    expect(made).toHaveLength(3);
    loop.close();
  });

  it("setTaskFactory(null) restores the default", async () => {
    const loop = freshLoop();
    const factory = vi.fn(
      (l: AbstractEventLoop, coro: Coroutine<any>) => new Task(coro, { loop: l }),
    );
    loop.setTaskFactory(factory);
    loop.setTaskFactory(null);
    expect(loop.getTaskFactory()).toBeNull();
    await loop.runUntilComplete((function* () {})());
    expect(factory).not.toHaveBeenCalled();
    loop.close();
  });

  it("setTaskFactory() rejects a non-callable with TypeError", () => {
    const loop = freshLoop();
    expect(() => loop.setTaskFactory(42 as never)).toThrow(TypeError);
    expect(() => loop.setTaskFactory(42 as never)).toThrow(
      "task factory must be a callable or None",
    );
    loop.close();
  });
});

// ---- executors -----------------------------------------------------------------------------

interface FakeJob {
  fn: (...a: any[]) => unknown;
  args: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  cancelled: boolean;
  done: boolean;
}

/** A fake `concurrent.futures` executor whose jobs the test settles by hand. */
function manualExecutor() {
  const jobs: FakeJob[] = [];
  const ex = {
    jobs,
    shutdown: vi.fn(() => {}),
    submit: vi.fn((fn: (...a: any[]) => unknown, ...args: unknown[]) => {
      let resolve!: (v: unknown) => void;
      let reject!: (e: unknown) => void;
      const p = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const job: FakeJob = {
        fn,
        args,
        cancelled: false,
        done: false,
        resolve: (v) => {
          job.done = true;
          resolve(v);
        },
        reject: (e) => {
          job.done = true;
          reject(e);
        },
      };
      jobs.push(job);
      const cf: ConcurrentFuture<unknown> = {
        // biome-ignore lint/suspicious/noThenProperty: a concurrent future is PromiseLike.
        then: (a, b) => p.then(a, b),
        cancel: vi.fn(() => {
          if (job.done) return false;
          job.cancelled = true;
          job.reject(new CancelledError());
          return true;
        }),
        cancelled: () => job.cancelled,
        done: () => job.done,
      };
      return cf;
    }),
  };
  return ex as typeof ex & Executor;
}

/** A fake executor that runs the function at once. */
function syncExecutor() {
  const ex = manualExecutor();
  const submit = ex.submit.getMockImplementation()!;
  ex.submit.mockImplementation((fn, ...args) => {
    const cf = submit(fn, ...args);
    const job = ex.jobs.at(-1)!;
    try {
      job.resolve(fn(...args));
    } catch (e) {
      job.reject(e);
    }
    return cf;
  });
  return ex;
}

describe("runInExecutor", () => {
  it("submits fn and its arguments and resolves with the job's result", async () => {
    const ex = syncExecutor();
    const got = await run(
      (function* (): Coroutine<number> {
        const f = getRunningLoop().runInExecutor(ex, (a: number, b: number) => a * b, 6, 7);
        expect(f).toBeInstanceOf(Future);
        return yield* f;
      })(),
    );
    expect(got).toBe(42);
    expect(ex.submit).toHaveBeenCalledTimes(1);
    expect(ex.submit.mock.calls[0]?.slice(1)).toEqual([6, 7]);
  });

  it("rethrows the job's error in the awaiting coroutine", async () => {
    const ex = syncExecutor();
    const err = new Error("job failed");
    const got = await run(
      (function* (): Coroutine<unknown> {
        try {
          yield* getRunningLoop().runInExecutor(ex, () => {
            throw err;
          });
          return "no error";
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(got).toBe(err);
  });

  it("cancelling the returned future cancels the concurrent future", async () => {
    const ex = manualExecutor();
    await run(
      (function* (): Coroutine<void> {
        const f = getRunningLoop().runInExecutor(ex, () => 1);
        yield;
        expect(f.cancel()).toBe(true);
        expect(f.cancelled()).toBe(true);
        yield;
      })(),
    );
    expect(ex.jobs[0]?.cancelled).toBe(true);
  });

  it("a job settled from outside wakes the idle loop", async () => {
    const ex = manualExecutor();
    const loop = freshLoop();
    const p = loop.runUntilComplete(
      (function* (): Coroutine<string> {
        return yield* getRunningLoop().runInExecutor(ex, () => "x");
      })(),
    );
    await macrotask();
    await macrotask();
    expect(ex.jobs).toHaveLength(1);
    ex.jobs[0]!.resolve("settled later");
    expect(await p).toBe("settled later");
    loop.close();
  });

  it("null without a default executor raises RuntimeError pointing to @asyncio-ts/executors", () => {
    const loop = freshLoop();
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(RuntimeError);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(/@asyncio-ts\/executors/);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(/setDefaultExecutor/);
    loop.close();
  });

  it("null uses the executor given to setDefaultExecutor()", async () => {
    const ex = syncExecutor();
    const got = await run(
      (function* (): Coroutine<string> {
        getRunningLoop().setDefaultExecutor(ex);
        return yield* getRunningLoop().runInExecutor(null, () => "default");
      })(),
    );
    expect(got).toBe("default");
    expect(ex.submit).toHaveBeenCalledTimes(1);
  });

  it("null creates the default executor once per loop from the registered factory", async () => {
    const made: Executor[] = [];
    setDefaultExecutorFactory(() => {
      const ex = syncExecutor();
      made.push(ex);
      return ex;
    });
    try {
      const got = await run(
        (function* (): Coroutine<number> {
          const loop = getRunningLoop();
          const a = yield* loop.runInExecutor(null, () => 1);
          const b = yield* loop.runInExecutor(null, () => 2);
          return a + b;
        })(),
      );
      expect(got).toBe(3);
      expect(made).toHaveLength(1);
      // run() shut it down and waited for it.
      expect(made[0]!.shutdown).toHaveBeenCalledWith({ wait: true });
    } finally {
      setDefaultExecutorFactory(null);
    }
  });

  it("setDefaultExecutor() rejects something that is not an executor", () => {
    const loop = freshLoop();
    expect(() => loop.setDefaultExecutor(42 as never)).toThrow(TypeError);
    expect(() => loop.setDefaultExecutor(null as never)).toThrow(TypeError);
    loop.close();
  });

  it("shutdownDefaultExecutor() waits for shutdown({ wait: true }); later null use raises", async () => {
    const ex = syncExecutor();
    const loop = freshLoop();
    loop.setDefaultExecutor(ex);
    await loop.runUntilComplete(loop.shutdownDefaultExecutor());
    expect(ex.shutdown).toHaveBeenCalledWith({ wait: true });
    expect(() => loop.runInExecutor(null, () => 1)).toThrow(RuntimeError);
    expect(() => loop.runInExecutor(null, () => 1)).toThrow("Executor shutdown has been called");
    // An explicit executor still works.
    expect(loop.runInExecutor(syncExecutor(), () => 1)).toBeInstanceOf(Future);
    loop.close();
  });
});

// ---- threadsafe and context-taking variants ------------------------------------------------

/**
 * A concurrent future in the `concurrent.futures.Future` shape: done callbacks and a `result()`
 * that returns or throws once done. Its `then` throws, so a test fails if wrapFuture uses it.
 */
function callbackFuture<T>() {
  let state: "pending" | "ok" | "failed" | "cancelled" = "pending";
  let value: unknown;
  const callbacks: Array<(f: never) => void> = [];
  const finish = (s: typeof state, v?: unknown) => {
    state = s;
    value = v;
    for (const fn of callbacks.splice(0)) fn(cf as never);
  };
  const cf = {
    // biome-ignore lint/suspicious/noThenProperty: a concurrent future is PromiseLike.
    then(): never {
      throw new Error("then() used: addDoneCallback() was expected");
    },
    cancel: () => {
      if (state !== "pending") return state === "cancelled";
      finish("cancelled");
      return true;
    },
    cancelled: () => state === "cancelled",
    done: () => state !== "pending",
    addDoneCallback(fn: (f: never) => void) {
      if (state === "pending") callbacks.push(fn);
      else fn(cf as never);
    },
    result(): T {
      if (state === "failed") throw value;
      if (state !== "ok") throw new Error(`result() called while ${state}`);
      return value as T;
    },
    resolve: (v: T) => finish("ok", v),
    reject: (e: unknown) => finish("failed", e),
  };
  return cf;
}

describe("wrapFuture on a future with addDoneCallback (Python's _chain_future)", () => {
  it("copies the result over on the loop, without then()", async () => {
    const loop = freshLoop();
    const cf = callbackFuture<number>();
    const f = wrapFuture(cf, { loop });
    cf.resolve(42);
    // Copied by a callback on the loop, not synchronously.
    expect(f.done()).toBe(false);
    expect(await loop.runUntilComplete(f)).toBe(42);
    loop.close();
  });

  it("copies an exception over, even a thrown undefined", async () => {
    const loop = freshLoop();
    const a = callbackFuture<number>();
    const fa = wrapFuture(a, { loop });
    const err = new RangeError("in the job");
    a.reject(err);
    await expect(loop.runUntilComplete(fa)).rejects.toBe(err);
    const b = callbackFuture<number>();
    const fb = wrapFuture(b, { loop });
    b.reject(undefined);
    const outcome = await loop.runUntilComplete(fb).then(
      () => "resolved",
      (e: unknown) => ["rejected", e],
    );
    expect(outcome).toEqual(["rejected", undefined]);
    loop.close();
  });

  it("is cancelled when the concurrent future is, and cancels it when cancelled", async () => {
    const loop = freshLoop();
    const a = callbackFuture<number>();
    const fa = wrapFuture(a, { loop });
    a.cancel();
    await expect(loop.runUntilComplete(fa)).rejects.toBeInstanceOf(CancelledError);
    const b = callbackFuture<number>();
    const fb = wrapFuture(b, { loop });
    fb.cancel();
    const tick = loop.createFuture<void>();
    loop.callSoon(() => loop.callSoon(() => tick.setResult(undefined)));
    await loop.runUntilComplete(tick);
    expect(b.cancelled()).toBe(true);
    loop.close();
  });

  it("ignores a result that arrives after it was cancelled", async () => {
    const loop = freshLoop();
    const cf = callbackFuture<number>();
    const f = wrapFuture(cf, { loop });
    // Cancelled on the loop side; the job finishes before the link cancels it.
    f.cancel();
    cf.resolve(1);
    const tick = loop.createFuture<void>();
    loop.callSoon(() => loop.callSoon(() => tick.setResult(undefined)));
    await loop.runUntilComplete(tick);
    expect(f.cancelled()).toBe(true);
    loop.close();
  });
});

describe("wrapFuture", () => {
  it("returns an asyncio Future as is", () => {
    const loop = freshLoop();
    const f = loop.createFuture();
    expect(wrapFuture(f)).toBe(f);
    loop.close();
  });

  it("follows a concurrent future's result, on the given loop", async () => {
    const ex = manualExecutor();
    const loop = freshLoop();
    const cf = ex.submit(() => 0);
    const f = wrapFuture(cf, { loop });
    expect(f).toBeInstanceOf(Future);
    expect(f.getLoop()).toBe(loop);
    expect(f.done()).toBe(false);
    ex.jobs[0]!.resolve("from outside");
    expect(await loop.runUntilComplete(f)).toBe("from outside");
    loop.close();
  });

  it("follows a concurrent future's exception", async () => {
    const ex = manualExecutor();
    const loop = freshLoop();
    const f = wrapFuture(
      ex.submit(() => 0),
      { loop },
    );
    const err = new Error("job failed");
    ex.jobs[0]!.reject(err);
    await expect(loop.runUntilComplete(f)).rejects.toBe(err);
    loop.close();
  });

  it("is cancelled when the concurrent future is cancelled", async () => {
    const ex = manualExecutor();
    const loop = freshLoop();
    const cf = ex.submit(() => 0);
    const f = wrapFuture(cf, { loop });
    expect(cf.cancel()).toBe(true);
    await expect(loop.runUntilComplete(f)).rejects.toBeInstanceOf(CancelledError);
    expect(f.cancelled()).toBe(true);
    loop.close();
  });

  it("cancelling it cancels the concurrent future", async () => {
    const ex = manualExecutor();
    const loop = freshLoop();
    const cf = ex.submit(() => 0);
    const f = wrapFuture(cf, { loop });
    f.cancel();
    // The link runs as a done callback, on the loop.
    const tick = loop.createFuture<void>();
    loop.callSoon(() => loop.callSoon(() => tick.setResult(undefined)));
    await loop.runUntilComplete(tick);
    expect(cf.cancel).toHaveBeenCalled();
    expect(cf.cancelled()).toBe(true);
    loop.close();
  });
});

describe("beginExternalWork (asyncio-ts extension)", () => {
  it("holds the virtual clock until the work is released", async () => {
    const loop = new VirtualTimeEventLoop();
    const log: string[] = [];
    let released = false;
    const release = loop.beginExternalWork();
    loop.callLater(10, () => {
      log.push(`timer at ${loop.time()}, released=${released}`);
      loop.stop();
    });
    setImmediate(() => {
      released = true;
      release();
    });
    await loop.runForever();
    expect(log).toEqual(["timer at 10, released=true"]);
    loop.close();
  });

  it("a release function works once: calling it again does not drop another hold", async () => {
    const loop = new VirtualTimeEventLoop();
    const log: string[] = [];
    const first = loop.beginExternalWork();
    first();
    first();
    const second = loop.beginExternalWork();
    let released = false;
    loop.callLater(1, () => {
      log.push(`released=${released}`);
      loop.stop();
    });
    setImmediate(() => {
      released = true;
      second();
    });
    await loop.runForever();
    expect(log).toEqual(["released=true"]);
    loop.close();
  });
});

describe("shutdownAsyncgens", () => {
  it("completes at once when no async generator is open", async () => {
    const loop = freshLoop();
    await expect(loop.runUntilComplete(loop.shutdownAsyncgens())).resolves.toBeUndefined();
    loop.close();
  });
});

describe("callSoonThreadsafe", () => {
  it("from a native Promise continuation wakes an idle loop", async () => {
    const loop = freshLoop();
    const fut = loop.createFuture<number>();
    const p = loop.runUntilComplete(fut);
    // Let the loop go idle: nothing is ready and no timer is set.
    await macrotask();
    await macrotask();
    expect(loop.isRunning()).toBe(true);
    await Promise.resolve().then(() => {
      loop.callSoonThreadsafe((v: number) => fut.setResult(v), 9);
    });
    expect(await p).toBe(9);
    loop.close();
  });

  it("returns a cancellable Handle and runs callbacks FIFO with callSoon ones", async () => {
    const loop = freshLoop();
    const order: string[] = [];
    loop.callSoon(() => order.push("soon"));
    loop.callSoonThreadsafe(() => order.push("threadsafe"));
    loop.callSoonThreadsafe(() => order.push("cancelled")).cancel();
    await runQueued(loop);
    expect(order).toEqual(["soon", "threadsafe"]);
    loop.close();
  });

  it("a busy loop still gives the host a turn, so host callbacks and promises progress", async () => {
    const loop = freshLoop();
    let hostRan = false;
    let spins = 0;
    await loop.runUntilComplete(
      (function* (): Coroutine<void> {
        setImmediate(() => {
          hostRan = true;
        });
        // Never idle: a bare yield each turn. Only the loop's own time budget lets the host in.
        while (!hostRan) {
          spins++;
          yield;
        }
      })(),
    );
    expect(hostRan).toBe(true);
    expect(spins).toBeGreaterThan(1);
    loop.close();
  });

  it("a ping-pong with promise jobs (woken from idle each time) still lets host macrotasks run", async () => {
    const loop = freshLoop();
    let hostRan = false;
    let rounds = 0;
    await loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const l = getRunningLoop();
        setImmediate(() => {
          hostRan = true;
        });
        // Each round the loop goes idle and is woken from a promise job, never by the host.
        while (!hostRan) {
          rounds++;
          const f = l.createFuture<void>();
          void Promise.resolve().then(() => l.callSoonThreadsafe(() => f.setResult(undefined)));
          yield* f;
        }
      })(),
    );
    expect(hostRan).toBe(true);
    expect(rounds).toBeGreaterThan(1);
    loop.close();
  });

  it("native code between loop iterations is outside the loop (no running loop there)", async () => {
    const loop = freshLoop();
    let inside: unknown = "unset";
    await loop.runUntilComplete(
      (function* (): Coroutine<void> {
        const f = getRunningLoop().createFuture<void>();
        void Promise.resolve().then(() => {
          try {
            getRunningLoop();
            inside = "had a running loop";
          } catch (e) {
            inside = e;
          }
          loop.callSoonThreadsafe(() => f.setResult(undefined));
        });
        yield* f;
      })(),
    );
    expect(inside).toBeInstanceOf(RuntimeError);
    loop.close();
  });
});

describe("callSoonInContext / callLaterInContext / callAtInContext", () => {
  it("run the callback inside the given context, so its sets persist there", async () => {
    const loop = new VirtualTimeEventLoop();
    const v = new ContextVar<number>("v", { default: 0 });
    const ctx = copyContext();
    const seen: number[] = [];
    loop.callSoonInContext(ctx, () => {
      seen.push(v.get());
      v.set(1);
    });
    loop.callLaterInContext(ctx, 1, () => {
      seen.push(v.get());
      v.set(2);
    });
    loop.callAtInContext(ctx, 2, () => {
      seen.push(v.get());
      v.set(3);
    });
    loop.callAt(3, () => loop.stop());
    await loop.runForever();
    expect(seen).toEqual([0, 1, 2]);
    expect(ctx.get(v)).toBe(3);
    expect(v.get()).toBe(0);
    loop.close();
  });

  it("passes the extra arguments and returns a Handle", async () => {
    const loop = freshLoop();
    const ctx = copyContext();
    const got: unknown[] = [];
    const h = loop.callSoonInContext(ctx, (a: number, b: number) => got.push(a + b), 2, 3);
    expect(h.cancelled()).toBe(false);
    await runQueued(loop);
    expect(got).toEqual([5]);
    loop.close();
  });
});

// ---- properties ----------------------------------------------------------------------------

describe("scheduling properties", () => {
  it("timers fire in a stable sort by delay, whatever the delays (virtual time)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 40 }),
        async (delays) => {
          const fired: number[] = [];
          await runVirtual(
            (function* (): Coroutine<void> {
              const loop = getRunningLoop();
              delays.forEach((d, id) => {
                loop.callLater(d / 2, () => fired.push(id));
              });
              yield* sleep(11);
            })(),
          );
          const expected = delays
            .map((d, id) => ({ d, id }))
            .sort((a, b) => a.d - b.d) // Array.prototype.sort is stable
            .map((x) => x.id);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("cancelled timers never fire and the rest keep their order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.boolean()), { maxLength: 250 }),
        async (timers) => {
          const fired: number[] = [];
          const loop = new VirtualTimeEventLoop();
          const handles = timers.map(([d], id) => loop.callLater(d, () => fired.push(id)));
          timers.forEach(([, cancel], id) => {
            if (cancel) handles[id]!.cancel();
          });
          loop.callLater(11, () => loop.stop());
          await loop.runForever();
          loop.close();
          const expected = timers
            .map(([d, cancel], id) => ({ d, cancel, id }))
            .filter((t) => !t.cancel)
            .sort((a, b) => a.d - b.d)
            .map((t) => t.id);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("callSoon runs any sequence FIFO, skipping the cancelled handles", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 600 }), async (cancels) => {
        const loop = freshLoop();
        const ran: number[] = [];
        const hs = cancels.map((_, i) => loop.callSoon(() => ran.push(i)));
        cancels.forEach((c, i) => {
          if (c) hs[i]!.cancel();
        });
        await runQueued(loop);
        loop.close();
        expect(ran).toEqual(cancels.flatMap((c, i) => (c ? [] : [i])));
      }),
      { numRuns: 60 },
    );
  });

  it("runs callbacks in scheduling order while the queue grows and drains across many blocks", async () => {
    // Each callback, when it runs, schedules the next `k` callbacks (k taken from the input);
    // ids are handed out at scheduling time, so FIFO means they run as 0, 1, 2, ...
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4000 }),
        async (initial, fanout) => {
          const loop = freshLoop();
          const ran: number[] = [];
          const limit = 9000;
          let nextId = 0;
          let step = 0;
          const cb = (id: number) => {
            ran.push(id);
            const k = fanout[step++ % fanout.length]!;
            for (let j = 0; j < k && nextId < limit; j++) loop.callSoon(cb, nextId++);
          };
          for (let i = 0; i < initial; i++) loop.callSoon(cb, nextId++);
          const done = loop.createFuture<void>();
          const poll = () => {
            if (ran.length === nextId) done.setResult(undefined);
            else loop.callSoon(poll);
          };
          loop.callSoon(poll);
          await loop.runUntilComplete(done);
          loop.close();
          expect(ran.length).toBe(nextId);
          expect(ran.every((id, i) => id === i)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("callbacks spawned by callbacks run generation by generation (breadth-first)", async () => {
    // Each node schedules its children when it runs; a FIFO ready queue run one iteration at
    // a time visits the tree level by level, left to right.
    type Tree = { id: number; kids: Tree[] };
    let next = 0;
    const treeArb: fc.Arbitrary<Tree[]> = fc
      .array(fc.array(fc.array(fc.constant(0), { maxLength: 3 }), { maxLength: 3 }), {
        minLength: 1,
        maxLength: 4,
      })
      .map((shape) => {
        next = 0;
        return shape.map((lvl1) => ({
          id: next++,
          kids: lvl1.map((lvl2) => ({
            id: next++,
            kids: lvl2.map(() => ({ id: next++, kids: [] })),
          })),
        }));
      });
    await fc.assert(
      fc.asyncProperty(treeArb, async (roots) => {
        const loop = new VirtualTimeEventLoop();
        const ran: number[] = [];
        const visit = (n: Tree) => {
          ran.push(n.id);
          for (const k of n.kids) loop.callSoon(visit, k);
        };
        for (const r of roots) loop.callSoon(visit, r);
        loop.callLater(0, () => loop.callSoon(() => loop.callSoon(() => loop.stop())));
        await loop.runForever();
        loop.close();
        const bfs: number[] = [];
        let level = roots;
        while (level.length > 0) {
          bfs.push(...level.map((n) => n.id));
          level = level.flatMap((n) => n.kids);
        }
        expect(ran).toEqual(bfs);
      }),
      { numRuns: 60 },
    );
  });
});
