import {
  type Awaitable,
  CancelledError,
  type Coroutine,
  createTask,
  eagerTaskFactory,
  Future,
  getRunningLoop,
  newEventLoop,
  run,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { gather } from "../src/index.js";
import { now, thrown } from "./helpers.js";

// Core's "log the exception if never retrieved" flag (Future's F_LOG_TRACEBACK).
const F_LOG_TRACEBACK = 4;
const unretrieved = (f: Future<unknown>) => (f._flags & F_LOG_TRACEBACK) !== 0;

function* fail(delay: number, error: unknown): Coroutine<never> {
  yield* sleep(delay);
  throw error;
}

function* value<T>(delay: number, v: T): Coroutine<T> {
  yield* sleep(delay);
  return v;
}

describe("gather", () => {
  it("returns the results in argument order, whatever order they complete in", async () => {
    const r = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const fut = loop.createFuture<string>();
        loop.callLater(0.2, () => fut.setResult("future"));
        const task = createTask(value(0.3, "task"));
        const custom: Awaitable<string> = {
          *[Symbol.iterator]() {
            yield* sleep(0.1);
            return "awaitable";
          },
        };
        const results = yield* gather(value(0.4, "coroutine"), fut, task, custom);
        return [results, now()] as const;
      })(),
    );
    expect(r).toEqual([["coroutine", "future", "task", "awaitable"], 0.4]);
  });

  it("raises the first error at once while the other children keep running", async () => {
    const r = await runVirtual(
      (function* () {
        const slow = createTask(value(1, "slow"));
        const second = createTask(fail(0.2, new Error("second")));
        const g = gather(slow, fail(0.1, new Error("first")), second);
        const e = yield* thrown(g);
        const at = now();
        const slowDone = slow.done();
        yield* sleep(2);
        return { e, at, slowDone, slow: slow.result(), second: unretrieved(second) };
      })(),
    );
    expect((r.e as Error).message).toBe("first");
    expect(r.at).toBe(0.1);
    expect(r.slowDone).toBe(false);
    expect(r.slow).toBe("slow");
    // The later error was retrieved by gather: no "exception was never retrieved" report.
    expect(r.second).toBe(false);
  });

  it("puts errors and cancellations among the results with returnExceptions", async () => {
    const r = await runVirtual(
      (function* () {
        const cancelled = createTask(value(1, "never"));
        const fut = getRunningLoop().createFuture<number>();
        fut.cancel("fut msg");
        const boom = new Error("boom");
        const g = gather(value(0.1, 1), fail(0.2, boom), cancelled, fail(0.1, "plain"), fut, {
          returnExceptions: true,
        });
        yield* sleep(0);
        cancelled.cancel("ignored for tasks");
        return [yield* g, boom] as const;
      })(),
    );
    const [results, boom] = r;
    expect(results[0]).toBe(1);
    expect(results[1]).toBe(boom);
    // A task's cancel message is not kept once it is cancelled (as CPython's C Task).
    expect(results[2]).toBeInstanceOf(CancelledError);
    expect((results[2] as Error).message).toBe("");
    expect(results[3]).toBe("plain");
    expect((results[4] as Error).message).toBe("fut msg");
  });

  it("treats a thrown undefined as an error, not a result", async () => {
    const r = await runVirtual(
      (function* () {
        const e = yield* thrown(gather(fail(0.1, undefined), value(0.2, 1)));
        const settled = yield* gather(fail(0.1, null), value(0.2, 2), { returnExceptions: true });
        return { e, settled };
      })(),
    );
    expect(r.e).toBeUndefined();
    expect(r.settled).toEqual([null, 2]);
  });

  it("cancels the children when cancelled and then raises CancelledError", async () => {
    const r = await runVirtual(
      (function* () {
        const a = createTask(value(1, "a"));
        const b = createTask(value(2, "b"));
        const g = gather(a, b, { returnExceptions: true });
        yield* sleep(0.1);
        const first = g.cancel("stop");
        const e = yield* thrown(g);
        return {
          first,
          e,
          a: a.cancelled(),
          b: b.cancelled(),
          g: g.cancelled(),
          again: g.cancel(),
        };
      })(),
    );
    expect(r.first).toBe(true);
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r.a && r.b).toBe(true);
    // As Python's _GatheringFuture: it ends with the children's error, not in the cancelled state.
    expect(r.g).toBe(false);
    expect(r.again).toBe(false);
  });

  it("returns false from cancel when no child can be cancelled any more", async () => {
    const r = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const f1 = loop.createFuture<number>();
        const f2 = loop.createFuture<number>();
        const g = gather(f1, f2);
        f1.setResult(1);
        f2.setResult(2);
        // Both done, but gather's callbacks have not run yet.
        const cancelled = g.cancel();
        return { cancelled, done: g.done(), result: yield* g };
      })(),
    );
    expect(r).toEqual({ cancelled: false, done: false, result: [1, 2] });
  });

  it("does not cancel the other children when one is cancelled from outside", async () => {
    const r = await runVirtual(
      (function* () {
        const a = createTask(value(1, "a"));
        const b = createTask(value(0.5, "b"));
        const g = gather(a, b);
        yield* sleep(0.1);
        a.cancel();
        const e = yield* thrown(g);
        return { e, g: g.cancelled(), bDone: b.done(), b: yield* b };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect(r.g).toBe(false);
    expect(r.bDone).toBe(false);
    expect(r.b).toBe("b");
  });

  it("waits once for a future or coroutine passed twice and repeats its result", async () => {
    let runs = 0;
    function* counted(): Coroutine<string> {
      runs++;
      yield* sleep(0.1);
      return "c";
    }
    const r = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        const done = loop.createFuture<number>();
        done.setResult(0);
        const c = counted();
        loop.callLater(0.2, () => f.setResult(1));
        return yield* gather(f, c, done, f, c, done);
      })(),
    );
    expect(r).toEqual([1, "c", 0, 1, "c", 0]);
    expect(runs).toBe(1);
  });

  it("gives an already-done future for no awaitables", async () => {
    const r = await runVirtual(
      (function* () {
        const g = gather();
        const before = g.done();
        const v = yield* g;
        return { before, v, loop: g.getLoop() === getRunningLoop() };
      })(),
    );
    expect(r).toEqual({ before: true, v: [], loop: true });
  });

  it("is done before it returns when every child finished eagerly", async () => {
    const r = await runVirtual(
      // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
      (function* () {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        // biome-ignore lint/correctness/useYield: finishes in its eager first step.
        function* now1(): Coroutine<number> {
          return 1;
        }
        const g = gather(now1(), now1());
        return { done: g.done(), result: g.result() };
      })(),
    );
    expect(r).toEqual({ done: true, result: [1, 1] });
  });

  it("nests: the inner gather is a child like any other", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = gather(value(0.2, 1), value(0.1, 2));
        const [pair, three] = yield* gather(inner, value(0.3, 3));
        const inner2 = gather(value(1, 1), value(2, 2));
        const outer2 = gather(inner2, value(3, 3));
        yield* sleep(0.1);
        outer2.cancel();
        const e = yield* thrown(outer2);
        return { pair, three, e, innerE: inner2.exception() };
      })(),
    );
    expect(r.pair).toEqual([1, 2]);
    expect(r.three).toBe(3);
    expect(r.e).toBeInstanceOf(CancelledError);
    expect(r.innerE).toBeInstanceOf(CancelledError);
  });

  it("is cancelled through the task that awaits it", async () => {
    const r = await runVirtual(
      (function* () {
        const a = createTask(value(1, "a"));
        const waiter = createTask(
          (function* () {
            return yield* gather(a, value(2, "b"));
          })(),
        );
        yield* sleep(0.1);
        waiter.cancel("bye");
        const e = yield* thrown(waiter);
        return { e, a: a.cancelled(), w: waiter.cancelled() };
      })(),
    );
    expect((r.e as Error).message).toBe("bye");
    expect(r.a).toBe(true);
    expect(r.w).toBe(true);
  });

  it("keeps the 'destroyed but pending' report for the tasks passed in only", async () => {
    const r = await runVirtual(
      (function* () {
        const mine = createTask(value(1, 1));
        const g = gather(mine, value(1, 2)) as Future<unknown> & { _children: Task<unknown>[] };
        const created = g._children[1]!;
        const flags = [mine._logDestroyPending, created._logDestroyPending];
        yield* g;
        return flags;
      })(),
    );
    expect(r).toEqual([true, false]);
  });

  it("completes many children with one callback each", async () => {
    const n = 20_000;
    const r = await runVirtual(
      (function* () {
        const tasks = Array.from({ length: n }, (_, i) => createTask(value(i % 7, i)));
        return yield* gather(...tasks);
      })(),
    );
    expect(r.length).toBe(n);
    expect(r.every((v, i) => v === i)).toBe(true);
  });

  it("retrieves the errors of children that end after gather is done", async () => {
    const r = await runVirtual(
      (function* () {
        const late = createTask(fail(0.2, new Error("late")));
        const g = gather(fail(0.1, new Error("early")), late);
        yield* thrown(g);
        yield* sleep(0.5);
        return unretrieved(late);
      })(),
    );
    expect(r).toBe(false);
  });

  describe("bad input", () => {
    it("rejects something that is not awaitable at the call", async () => {
      await runVirtual(
        (function* () {
          expect(() => gather(42 as never)).toThrow(
            new TypeError("An asyncio.Future, a coroutine or an awaitable is required"),
          );
          expect(() => gather(Promise.resolve(1) as never)).toThrow(/fromPromise/);
          expect(() => gather(value(0, 1), undefined as never)).toThrow(TypeError);
          // A class instance is not taken for the options object.
          expect(() => gather(value(0, 1), new Date() as never)).toThrow(
            new TypeError("An asyncio.Future, a coroutine or an awaitable is required"),
          );
        })(),
      );
    });

    it("leaves the children made before a bad argument to run, their errors retrieved", async () => {
      const r = await runVirtual(
        (function* () {
          let started = false;
          function* early(): Coroutine<never> {
            started = true;
            yield* sleep(0.1);
            throw new Error("early");
          }
          const done = getRunningLoop().createFuture<number>();
          done.setException(new Error("done"));
          expect(() => gather(early(), done, 42 as never)).toThrow(TypeError);
          yield* sleep(0.2);
          // As Python: gather had no outer future, so it handled nothing (`done` stays unretrieved).
          const doneUnretrieved = unretrieved(done);
          done.exception();
          return { started, doneUnretrieved };
        })(),
      );
      expect(r).toEqual({ started: true, doneUnretrieved: true });
    });

    it("rejects unknown options and a non-boolean returnExceptions", async () => {
      await runVirtual(
        (function* () {
          expect(() => gather(value(0, 1), { returnException: true } as never)).toThrow(
            new TypeError("gather() got an unexpected keyword argument 'returnException'"),
          );
          expect(() => gather(value(0, 1), { returnExceptions: "yes" } as never)).toThrow(
            new TypeError('Expected `returnExceptions` to be a boolean, got `"yes"` (string)'),
          );
          yield* sleep(0.01);
        })(),
      );
    });

    it("rejects futures of different loops", async () => {
      const other = newEventLoop();
      try {
        await run(
          (function* () {
            const mine = getRunningLoop().createFuture();
            const theirs = new Future(other);
            expect(() => gather(mine, theirs)).toThrow(
              new RangeError(
                "The future belongs to a different loop than the one specified as the loop argument",
              ),
            );
            mine.cancel();
          })(),
        );
      } finally {
        other.close();
      }
    });
  });
});
