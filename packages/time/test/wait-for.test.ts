import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  Future,
  getRunningLoop,
  TimeoutError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { sleep, waitFor } from "../src/index.js";
import { now, thrown } from "./helpers.js";

describe("waitFor", () => {
  it("returns a coroutine's result when it finishes in time", async () => {
    const r = await runVirtual(
      (function* () {
        const v = yield* waitFor(sleep(2, "ok"), 3);
        return [v, now()];
      })(),
    );
    expect(r).toEqual(["ok", 2]);
  });

  it("returns a task's and a future's result when they finish in time", async () => {
    const r = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const task = createTask(sleep(1, "task"));
        const fut = loop.createFuture<string>();
        loop.callLater(2, () => fut.setResult("future"));
        return [yield* waitFor(task, 5), yield* waitFor(fut, 5), now()];
      })(),
    );
    expect(r).toEqual(["task", "future", 2]);
  });

  it("runs a coroutine in the caller's task, as Python 3.12+", async () => {
    const same = await runVirtual(
      (function* () {
        const caller = currentTask();
        function* probe(): Coroutine<boolean> {
          yield* sleep(0);
          return currentTask() === caller;
        }
        return yield* waitFor(probe(), 1);
      })(),
    );
    expect(same).toBe(true);
  });

  it("raises TimeoutError caused by the CancelledError and cancels the awaited task", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(sleep(10, "late"));
        const e = yield* thrown(waitFor(inner, 2));
        return {
          e,
          cancelled: inner.cancelled(),
          t: now(),
          cancelling: currentTask()!.cancelling(),
        };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect((r.e as Error).message).toBe("");
    expect((r.e as Error).cause).toBeInstanceOf(CancelledError);
    expect(r.cancelled).toBe(true);
    expect(r.t).toBe(2);
    expect(r.cancelling).toBe(0);
  });

  it("raises TimeoutError and runs the coroutine's cleanup when it outlives the timeout", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        function* work(): Coroutine<void> {
          try {
            yield* sleep(10);
          } finally {
            log.push(`cleanup at ${now()}`);
          }
        }
        const e = yield* thrown(waitFor(work(), 1));
        return { e, log };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.log).toEqual(["cleanup at 1"]);
  });

  it("returns the value of a task that swallows the cancellation", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(
          (function* (): Coroutine<string> {
            try {
              yield* sleep(10);
            } catch {
              return "swallowed";
            }
            return "slept";
          })(),
        );
        return [yield* waitFor(inner, 1), now()];
      })(),
    );
    expect(r).toEqual(["swallowed", 1]);
  });

  it("lets the awaited error through unchanged", async () => {
    const boom = new RangeError("boom");
    const e = await runVirtual(
      thrown(
        waitFor(
          (function* (): Coroutine<void> {
            yield* sleep(1);
            throw boom;
          })(),
          5,
        ),
      ),
    );
    expect(e).toBe(boom);
  });

  it("waits as long as it takes for a null timeout", async () => {
    const r = await runVirtual(
      (function* () {
        return [yield* waitFor(sleep(1e6, "eventually"), null), now()];
      })(),
    );
    expect(r).toEqual(["eventually", 1e6]);
  });

  it("cancels the awaited task when the waiter is cancelled, and stays CancelledError", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(sleep(10));
        const waiter = createTask(waitFor(inner, 5));
        yield* sleep(1);
        waiter.cancel("stop");
        const e = yield* thrown(waiter);
        return { e, inner: inner.cancelled(), waiter: waiter.cancelled() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect(r.inner).toBe(true);
    expect(r.waiter).toBe(true);
  });

  describe("timeout <= 0", () => {
    it("returns the result of a future that is already done", async () => {
      const v = await runVirtual(
        (function* () {
          const fut = new Future<string>(getRunningLoop());
          fut.setResult("ready");
          return yield* waitFor(fut, 0);
        })(),
      );
      expect(v).toBe("ready");
    });

    it("raises the exception of a future that already failed", async () => {
      const boom = new Error("boom");
      const e = await runVirtual(
        (function* () {
          const fut = new Future<string>(getRunningLoop());
          fut.setException(boom);
          return yield* thrown(waitFor(fut, -1));
        })(),
      );
      expect(e).toBe(boom);
    });

    it("cancels a coroutine before it ever starts and raises TimeoutError", async () => {
      const r = await runVirtual(
        (function* () {
          let started = false;
          const e = yield* thrown(
            waitFor(
              // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
              (function* (): Coroutine<void> {
                started = true;
              })(),
              0,
            ),
          );
          return { e, started };
        })(),
      );
      expect(r.e).toBeInstanceOf(TimeoutError);
      expect((r.e as Error).cause).toBeInstanceOf(CancelledError);
      expect(r.started).toBe(false);
    });

    it("cancels a pending task, waits for it to finish, then raises TimeoutError", async () => {
      const r = await runVirtual(
        (function* () {
          const log: string[] = [];
          const inner = createTask(
            (function* (): Coroutine<void> {
              try {
                yield* sleep(10);
              } finally {
                log.push("inner cleanup");
              }
            })(),
          );
          yield* sleep(0);
          const e = yield* thrown(waitFor(inner, 0));
          log.push(`waitFor raised ${(e as Error).name}`);
          return { log, cancelled: inner.cancelled(), t: now() };
        })(),
      );
      expect(r).toEqual({
        log: ["inner cleanup", "waitFor raised TimeoutError"],
        cancelled: true,
        t: 0,
      });
    });

    it("returns the value of a task that swallows the cancellation", async () => {
      const v = await runVirtual(
        (function* () {
          const inner = createTask(
            (function* (): Coroutine<string> {
              try {
                yield* sleep(10);
              } catch {
                return "swallowed";
              }
              return "slept";
            })(),
          );
          yield* sleep(0);
          return yield* waitFor(inner, 0);
        })(),
      );
      expect(v).toBe("swallowed");
    });
  });

  describe("bad input", () => {
    it.each([
      [Number.NaN, "Expected `timeout` to be a number of seconds or null, got `NaN` (number)"],
      ["1", 'Expected `timeout` to be a number of seconds or null, got `"1"` (string)'],
    ])("raises TypeError for a timeout of %s", async (bad, message) => {
      const e = await runVirtual(thrown(waitFor(sleep(1), bad as number)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(message);
    });

    it("raises TypeError for something that cannot be awaited", async () => {
      const e = await runVirtual(thrown(waitFor(42 as never, 1)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(
        "An asyncio.Future, a coroutine or an awaitable is required",
      );
    });

    it("raises TypeError pointing at fromPromise for a Promise, on both paths", async () => {
      const errors = await runVirtual(
        (function* () {
          const p = Promise.resolve(1);
          return [yield* thrown(waitFor(p as never, 1)), yield* thrown(waitFor(p as never, 0))];
        })(),
      );
      for (const e of errors) {
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toBe(
          "An asyncio.Future, a coroutine or an awaitable is required (wrap a Promise with fromPromise(p) from @asyncio-ts/promise)",
        );
      }
    });
  });
});
