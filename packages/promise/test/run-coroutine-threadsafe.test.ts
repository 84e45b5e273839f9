import {
  BaseEventLoop,
  CancelledError,
  type ConcurrentFuture,
  type Coroutine,
  createTask,
  currentTask,
  getRunningLoop,
  InvalidStateError,
  isCancelledError,
  RuntimeError,
  type Task,
  wrapFuture,
} from "@asyncio-ts/core";
import { runVirtual, VirtualTimeEventLoop } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConcurrentHandle, fromPromise, runCoroutineThreadsafe } from "../src/index.js";
import { captureExceptions, forever, later, settled, thrown } from "./helpers.js";

/** A loop running in the background, as another thread's loop would in Python. */
function backgroundLoop(loop: BaseEventLoop = new BaseEventLoop()): {
  loop: BaseEventLoop;
  stop: () => Promise<void>;
} {
  const running = loop.runForever();
  return {
    loop,
    stop: async () => {
      if (!loop.isClosed()) loop.callSoonThreadsafe(() => loop.stop());
      await running;
      loop.close();
    },
  };
}

function* add(a: number, b: number): Coroutine<number> {
  yield* sleep(0);
  return a + b;
}

describe("runCoroutineThreadsafe: from outside the loop", () => {
  let bg: ReturnType<typeof backgroundLoop> | null = null;
  afterEach(async () => {
    await bg?.stop();
    bg = null;
  });

  it("runs the coroutine as a task on the loop; `await handle` gives the result", async () => {
    bg = backgroundLoop();
    let ranOn: unknown = null;
    let task: Task<unknown> | null = null;
    const handle = runCoroutineThreadsafe(
      (function* () {
        ranOn = getRunningLoop();
        task = currentTask();
        return yield* add(1, 2);
      })(),
      bg.loop,
    );
    expect(handle).toBeInstanceOf(ConcurrentHandle);
    expect(handle.done()).toBe(false);
    expect(await handle).toBe(3);
    expect(ranOn).toBe(bg.loop);
    expect(task).not.toBeNull();
    expect(handle.done()).toBe(true);
    expect(handle.result()).toBe(3);
    expect(handle.exception()).toBeNull();
  });

  it("from a native callback (a host timer) into a virtual-time loop", async () => {
    const log: string[] = [];
    const v = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        // Wrapped in an object: a Promise resolved with the handle itself would adopt it.
        const submitted = new Promise<{ handle: ConcurrentHandle<number> }>((resolve) => {
          setTimeout(() => {
            log.push(`callback sees a running loop: ${safeRunningLoop() !== null}`);
            const handle = runCoroutineThreadsafe(
              (function* () {
                log.push(`coroutine on the loop: ${getRunningLoop() === loop}`);
                yield* sleep(30); // virtual seconds: the clock jumps
                return loop.time();
              })(),
              loop,
            );
            resolve({ handle });
          }, 5);
        });
        const { handle } = yield* fromPromise(submitted);
        // A handle of this loop is no outside work: the clock may jump while we wait on it.
        return yield* fromPromise(handle);
      })(),
    );
    expect(v).toBe(30);
    expect(log).toEqual(["callback sees a running loop: false", "coroutine on the loop: true"]);
  });

  it("a failing coroutine: `await handle` rejects with its exception, the same object", async () => {
    bg = backgroundLoop();
    const boom = new RangeError("bad value");
    const handle = runCoroutineThreadsafe(
      (function* (): Coroutine<never> {
        yield* sleep(0);
        throw boom;
      })(),
      bg.loop,
    );
    expect(await settled(handle)).toEqual(["err", boom]);
    expect(handle.exception()).toBe(boom);
    expect(() => handle.result()).toThrow(boom);
    expect(handle.cancelled()).toBe(false);
  });

  it("cancel() from outside cancels the task on its loop; its finally runs", async () => {
    bg = backgroundLoop();
    const log: string[] = [];
    let started!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    let finished!: () => void;
    const finishedP = new Promise<void>((resolve) => (finished = resolve));
    let task!: Task<unknown>;
    const loop = bg.loop;
    const handle = runCoroutineThreadsafe(
      (function* () {
        task = currentTask()!;
        started();
        try {
          yield* forever();
        } catch (e) {
          log.push(`task got ${(e as Error).name}`);
          throw e;
        } finally {
          log.push(`finally, on its loop: ${getRunningLoop() === loop}`);
          finished();
        }
      })(),
      loop,
    );
    await startedP;
    expect(handle.cancel()).toBe(true);
    // The handle is cancelled at once; the task when its loop gets to it.
    expect(handle.cancelled()).toBe(true);
    expect(handle.done()).toBe(true);
    expect(task.done()).toBe(false);
    const [kind, err] = await settled(handle);
    expect(kind).toBe("err");
    expect(err).toBeInstanceOf(CancelledError);
    expect(() => handle.result()).toThrow(CancelledError);
    expect(() => handle.exception()).toThrow(CancelledError);
    await finishedP;
    expect(log).toEqual(["task got CancelledError", "finally, on its loop: true"]);
    await runCoroutineThreadsafe(add(0, 0), loop);
    expect(task.cancelled()).toBe(true);
  });

  it("cancel() reaches the task even before it started; the task runs to its first await", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const handle = runCoroutineThreadsafe(
          (function* () {
            log.push("started");
            try {
              yield* sleep(1);
              log.push("not reached");
            } catch (e) {
              log.push(`cancelled: ${isCancelledError(e)}`);
              throw e;
            }
          })(),
          loop,
        );
        expect(handle.cancel()).toBe(true);
        yield* sleep(0);
        yield* sleep(0);
        yield* sleep(0);
      })(),
    );
    expect(log).toEqual(["started", "cancelled: true"]);
  });

  it("cancel() after the outcome returns false and changes nothing", async () => {
    bg = backgroundLoop();
    const handle = runCoroutineThreadsafe(add(2, 2), bg.loop);
    await handle;
    expect(handle.cancel()).toBe(false);
    expect(handle.cancelled()).toBe(false);
    expect(handle.result()).toBe(4);
  });
});

describe("runCoroutineThreadsafe: from another loop's task", () => {
  it("loop A's task awaits a coroutine running on loop B", async () => {
    const bg = backgroundLoop();
    try {
      const r = await runVirtual(
        (function* () {
          const a = getRunningLoop();
          const handle = runCoroutineThreadsafe(
            (function* () {
              yield* sleep(0);
              return getRunningLoop() === bg.loop ? "ran on B" : "ran elsewhere";
            })(),
            bg.loop,
          );
          // Loop B's work is outside work for A: A waits in real time, its clock stays put.
          const timer = createTask(sleep(10, "A's timer"));
          const got = yield* fromPromise(handle);
          return [got, a.time(), timer.done(), yield* timer, a.time()];
        })(),
      );
      expect(r).toEqual(["ran on B", 0, false, "A's timer", 10]);
    } finally {
      await bg.stop();
    }
  });

  it("cancelling loop A's waiter cancels the handle and the task on loop B", async () => {
    const bg = backgroundLoop();
    const log: string[] = [];
    try {
      await runVirtual(
        (function* () {
          let bTask!: Task<unknown>;
          const handle = runCoroutineThreadsafe(
            (function* () {
              bTask = currentTask()!;
              try {
                yield* forever();
              } finally {
                log.push(`B finally, on B: ${getRunningLoop() === bg.loop}`);
              }
            })(),
            bg.loop,
          );
          const waiter = createTask(
            (function* () {
              return yield* fromPromise(handle);
            })(),
          );
          yield* fromPromise(later(5, null));
          waiter.cancel();
          yield* thrown(waiter);
          expect(handle.cancelled()).toBe(true);
          yield* fromPromise(later(5, null));
          expect(bTask.cancelled()).toBe(true);
        })(),
      );
      expect(log).toEqual(["B finally, on B: true"]);
    } finally {
      await bg.stop();
    }
  });

  it("core's wrapFuture accepts the handle (it is a ConcurrentFuture)", async () => {
    const bg = backgroundLoop();
    const a = new BaseEventLoop();
    try {
      const handle: ConcurrentFuture<number> = runCoroutineThreadsafe(add(20, 22), bg.loop);
      expect(await a.runUntilComplete(wrapFuture(handle, { loop: a }))).toBe(42);
    } finally {
      a.close();
      await bg.stop();
    }
  });
});

describe("ConcurrentHandle", () => {
  it("result() and exception() of a pending handle raise InvalidStateError (no blocking)", async () => {
    const bg = backgroundLoop();
    try {
      const handle = runCoroutineThreadsafe(forever(), bg.loop);
      expect(() => handle.result()).toThrow(InvalidStateError);
      expect(() => handle.result()).toThrow("Result is not set.");
      expect(() => handle.exception()).toThrow("Exception is not set.");
      expect(String(handle)).toBe("<ConcurrentHandle state=pending>");
      handle.cancel();
      expect(String(handle)).toBe("<ConcurrentHandle state=cancelled>");
      await runCoroutineThreadsafe(add(0, 0), bg.loop); // the cancel reaches the task
    } finally {
      await bg.stop();
    }
  });

  it("addDoneCallback: runs synchronously on completion, at once when done, in order", async () => {
    const bg = backgroundLoop();
    try {
      const log: string[] = [];
      const handle = runCoroutineThreadsafe(add(1, 1), bg.loop);
      handle.addDoneCallback((h) => log.push(`first ${h.result()}`));
      handle.addDoneCallback((h) => log.push(`second ${h === handle}`));
      await handle;
      expect(log).toEqual(["first 2", "second true"]);
      handle.addDoneCallback(() => log.push("late"));
      expect(log).toEqual(["first 2", "second true", "late"]);
      expect(String(handle)).toBe("<ConcurrentHandle state=finished returned number>");
    } finally {
      await bg.stop();
    }
  });

  it("an error in a done callback is logged, and the others still run", async () => {
    const bg = backgroundLoop();
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const log: string[] = [];
      const handle = runCoroutineThreadsafe(add(0, 1), bg.loop);
      handle.addDoneCallback(() => {
        throw new Error("callback bug");
      });
      handle.addDoneCallback(() => log.push("still called"));
      expect(await handle).toBe(1);
      expect(log).toEqual(["still called"]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]?.[0])).toBe(
        "exception calling callback for <ConcurrentHandle state=finished returned number>",
      );
    } finally {
      spy.mockRestore();
      await bg.stop();
    }
  });

  it("addDoneCallback of a non-function is a TypeError", async () => {
    const bg = backgroundLoop();
    try {
      const handle = runCoroutineThreadsafe(add(0, 1), bg.loop);
      expect(() => handle.addDoneCallback(5 as never)).toThrow(
        "Expected `fn` to be a function, got `5` (number)",
      );
      await handle;
    } finally {
      await bg.stop();
    }
  });

  it("a failed handle reprs the exception type", async () => {
    const bg = backgroundLoop();
    try {
      const handle = runCoroutineThreadsafe(
        // biome-ignore lint/correctness/useYield: fails at once.
        (function* () {
          throw new TypeError("x");
        })(),
        bg.loop,
      );
      await settled(handle);
      expect(String(handle)).toBe("<ConcurrentHandle state=finished raised TypeError>");
    } finally {
      await bg.stop();
    }
  });
});

describe("runCoroutineThreadsafe: bad input", () => {
  const loop = new BaseEventLoop();

  it.each([
    ["a number", 42],
    ["a Promise", Promise.resolve(1)],
    ["a generator function (not called)", function* () {}],
    ["an async function", async () => 1],
    ["null", null],
  ])("%s is TypeError('A coroutine object is required'), as CPython", (_name, bad) => {
    expect(() => runCoroutineThreadsafe(bad as never, loop)).toThrow(TypeError);
    expect(() => runCoroutineThreadsafe(bad as never, loop)).toThrow(
      /^A coroutine object is required$/,
    );
  });

  it("a bad loop is a TypeError naming it", () => {
    expect(() => runCoroutineThreadsafe(add(1, 2), undefined as never)).toThrow(
      "Expected `loop` to be an event loop, got `undefined` (undefined)",
    );
    expect(() => runCoroutineThreadsafe(add(1, 2), {} as never)).toThrow(TypeError);
  });

  it("a closed loop is RuntimeError('Event loop is closed') at the call", () => {
    const closed = new BaseEventLoop();
    closed.close();
    expect(() => runCoroutineThreadsafe(add(1, 2), closed)).toThrow(RuntimeError);
    expect(() => runCoroutineThreadsafe(add(1, 2), closed)).toThrow("Event loop is closed");
  });

  it("a task factory that throws: the handle fails and the loop reports it, as CPython", async () => {
    const boom = new Error("factory broke");
    const loopWithFactory = new VirtualTimeEventLoop();
    const seen = captureExceptions(loopWithFactory);
    loopWithFactory.setTaskFactory(() => {
      throw boom;
    });
    const handle = runCoroutineThreadsafe(add(1, 2), loopWithFactory);
    loopWithFactory.callSoon(() => loopWithFactory.stop());
    await loopWithFactory.runForever();
    loopWithFactory.close();
    expect(await settled(handle)).toEqual(["err", boom]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.exception).toBe(boom);
    expect(seen[0]?.message).toMatch(/^Exception in callback/);
  });
});

function safeRunningLoop(): unknown {
  try {
    return getRunningLoop();
  } catch {
    return null;
  }
}
