// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { afterEach, describe, expect, it, vi } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  type AbstractEventLoop,
  allTasks,
  type BaseEventLoop,
  CancelledError,
  Context,
  ContextVar,
  type Coroutine,
  copyContext,
  createEagerTaskFactory,
  createTask,
  currentTask,
  eagerTaskFactory,
  ensureFuture,
  Future,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  run,
  Task,
} from "../src/index.js";
import {
  captureExceptions,
  collectUntil,
  forever,
  freshLoop,
  hasGc,
  macrotask,
  runOn,
  sleep,
} from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

function nameNumber(t: Task<unknown>): number {
  const m = /^Task-(\d+)$/.exec(t.getName());
  if (m === null) throw new Error(`not a default name: ${t.getName()}`);
  return Number(m[1]);
}

/**
 * Sorted task names, to compare task sets: deep equality must not touch the tasks themselves,
 * since a Task is iterable (iterating it is awaiting it).
 */
function names(tasks: Iterable<Task<unknown>>): string[] {
  return [...tasks].map((t) => t.getName()).sort();
}

function* value<T>(v: T): Coroutine<T> {
  return v;
}

/** Run `main` on a fresh default loop (no timers involved) and close the loop. */
function runFresh<T>(main: Coroutine<T>): Promise<T> {
  return runOn(freshLoop(), main);
}

describe("Task: results and exceptions", () => {
  it("yield* task gives the coroutine's return value", async () => {
    const got = await runFresh(
      (function* (): Coroutine<number> {
        const t = createTask(value(5));
        expect(t).toBeInstanceOf(Task);
        expect(t).toBeInstanceOf(Future);
        return (yield* t) * 2;
      })(),
    );
    expect(got).toBe(10);
  });

  it("is pending until the loop has stepped it, then done with the result", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value("r"));
        expect(t.done()).toBe(false);
        yield;
        expect(t.done()).toBe(true);
        expect(t.result()).toBe("r");
        expect(t.exception()).toBeNull();
      })(),
    );
  });

  it("a coroutine's exception becomes the task's; yield* rethrows the same object", async () => {
    const err = new Error("inner failure");
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<void> {
            yield;
            throw err;
          })(),
        );
        try {
          yield* t;
          expect.unreachable();
        } catch (e) {
          expect(e).toBe(err);
        }
        expect(t.exception()).toBe(err);
        expect(() => t.result()).toThrow(err);
        expect(t.cancelled()).toBe(false);
      })(),
    );
  });

  it("setResult() and setException() raise RuntimeError: tasks are completed by their coroutine", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value(1));
        expect(() => t.setResult(2)).toThrow(RuntimeError);
        expect(() => t.setResult(2)).toThrow("Task does not support set_result operation");
        expect(() => t.setException(new Error())).toThrow(RuntimeError);
        expect(() => t.setException(new Error())).toThrow(
          "Task does not support set_exception operation",
        );
        expect(yield* t).toBe(1);
      })(),
    );
  });

  it("native `await task` resolves with the result (then)", async () => {
    const loop = freshLoop();
    const t = loop.createTask(value(3));
    const p = (async () => await t)();
    await loop.runUntilComplete(t);
    expect(await p).toBe(3);
    loop.close();
  });
});

describe("Task: names", () => {
  it("unnamed tasks are Task-N, N counting up by one per task", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const a = createTask(value(0));
        const b = createTask(value(0));
        const c = getRunningLoop().createTask(value(0));
        expect(nameNumber(b)).toBe(nameNumber(a) + 1);
        expect(nameNumber(c)).toBe(nameNumber(a) + 2);
        expect(nameNumber(currentTask()!)).toBeLessThan(nameNumber(a));
        yield* a;
        yield* b;
        yield* c;
      })(),
    );
  });

  // Regression (was a bug, now fixed): the counter is bumped for named tasks too. CPython only
  // draws a number for tasks without a name (`if name is None: self._name =
  // f'Task-{_task_name_counter()}'`), so create_task(a()); create_task(b(), name="x");
  // create_task(c()) names them Task-2, x, Task-3 (main is Task-1); here the third one is Task-4.
  it("a named task does not use up a Task-N number", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const a = createTask(value(0));
        const named = createTask(value(0), { name: "x" });
        const c = createTask(value(0));
        expect(named.getName()).toBe("x");
        expect(nameNumber(c)).toBe(nameNumber(a) + 1);
        yield* c;
      })(),
    );
  });

  it("the name option and setName() set the name; setName() stringifies like str()", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value(0), { name: "worker" });
        expect(t.getName()).toBe("worker");
        t.setName("renamed");
        expect(t.getName()).toBe("renamed");
        t.setName(42);
        expect(t.getName()).toBe("42");
        expect(String(t)).toContain("name='42'");
        yield* t;
      })(),
    );
  });

  it("a null name means a default name", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value(0), { name: null });
        expect(t.getName()).toMatch(/^Task-\d+$/);
        yield* t;
      })(),
    );
  });
});

describe("Task: getCoro / getContext / repr", () => {
  it("getCoro() returns the coroutine object the task drives", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const coro = value(1);
        const t = createTask(coro);
        expect(t.getCoro()).toBe(coro);
        yield* t;
        expect(t.getCoro()).toBe(coro);
      })(),
    );
  });

  it("getContext() is the task's own context, holding what the task set", async () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<void> {
            v.set("inside");
            yield;
          })(),
        );
        const ctx = t.getContext();
        expect(ctx).toBeInstanceOf(Context);
        yield* t;
        expect(t.getContext().get(v)).toBe("inside");
        expect(v.get()).toBe("outer");
      })(),
    );
  });

  it("reads as <Task pending name=...> and then finished", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value(1), { name: "r" });
        expect(String(t)).toMatch(/^<Task pending name='r'/);
        yield* t;
        expect(String(t)).toMatch(/^<Task finished result=1 name='r'>$/);
      })(),
    );
  });
});

describe("Task: cancellation", () => {
  it("throws CancelledError into the coroutine at its await point; finally cleanup runs", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<void> {
            try {
              log.push("waiting");
              yield* sleep(10);
              log.push("not reached");
            } catch (e) {
              log.push(`caught ${(e as Error).name}`);
              throw e;
            } finally {
              log.push("finally");
            }
          })(),
        );
        yield* sleep(1);
        expect(t.cancel()).toBe(true);
        expect(t.cancelled()).toBe(false); // not yet: the coroutine decides
        try {
          yield* t;
        } catch (e) {
          log.push(`awaiter got ${(e as Error).name}`);
        }
        expect(t.cancelled()).toBe(true);
        expect(getRunningLoop().time()).toBe(1);
      })(),
    );
    expect(log).toEqual([
      "waiting",
      "caught CancelledError",
      "finally",
      "awaiter got CancelledError",
    ]);
  });

  it("carries the cancel message to the coroutine and the first awaiter", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        let inside = "";
        const t = createTask(
          (function* (): Coroutine<void> {
            try {
              yield* forever();
            } catch (e) {
              inside = (e as Error).message;
              throw e;
            }
          })(),
        );
        yield;
        t.cancel("shutting down");
        try {
          yield* t;
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          expect((e as Error).message).toBe("shutting down");
        }
        expect(inside).toBe("shutting down");
      })(),
    );
  });

  it("a coroutine may catch CancelledError and go on; the task then finishes normally", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<string> {
            try {
              yield* forever();
            } catch (e) {
              if (!isCancelledError(e)) throw e;
            }
            yield;
            return "went on";
          })(),
        );
        yield;
        t.cancel("m");
        expect(yield* t).toBe("went on");
        expect(t.cancelled()).toBe(false);
        // As CPython: the request stays counted until uncancel().
        expect(t.cancelling()).toBe(1);
      })(),
    );
  });

  it("cancel() on a done task returns false", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(value(1));
        yield* t;
        expect(t.cancel()).toBe(false);
        expect(t.cancelling()).toBe(0);
        expect(t.result()).toBe(1);
      })(),
    );
  });

  it("cancelled before its first step, the coroutine body never runs (must-cancel)", async () => {
    const log: string[] = [];
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<void> {
            log.push("body ran");
          })(),
        );
        expect(t.cancel("early")).toBe(true);
        try {
          yield* t;
        } catch (e) {
          expect((e as Error).message).toBe("early");
        }
        expect(t.cancelled()).toBe(true);
      })(),
    );
    expect(log).toEqual([]);
  });

  it("cancelling()/uncancel() count requests as CPython (uncancel to 0 withdraws must-cancel)", async () => {
    // CPython 3.13: t = create_task(body()); t.cancel(), t.cancel() -> True True;
    // t.cancelling() -> 2; t.uncancel() x3 -> 1 0 0; await t -> runs normally.
    const log: string[] = [];
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<number> {
            log.push("started");
            return 5;
          })(),
        );
        expect([t.cancel(), t.cancel(), t.cancelling()]).toEqual([true, true, 2]);
        expect([t.uncancel(), t.uncancel(), t.uncancel()]).toEqual([1, 0, 0]);
        expect(yield* t).toBe(5);
        expect(t.cancelled()).toBe(false);
      })(),
    );
    expect(log).toEqual(["started"]);
  });

  it("uncancel() does not undo a cancellation already delivered to the awaited future", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const f = getRunningLoop().createFuture();
        const t = createTask(
          (function* (): Coroutine<void> {
            yield* f;
          })(),
        );
        yield;
        t.cancel();
        expect(f.cancelled()).toBe(true);
        expect(t.uncancel()).toBe(0);
        try {
          yield* t;
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
        }
        expect(t.cancelled()).toBe(true);
      })(),
    );
  });

  it("cancelling the task again inside its handler makes it end cancelled anyway", async () => {
    // CPython 3.13: the coroutine catches, calls current_task().cancel("again") and returns 1;
    // awaiting the task raises CancelledError('again') and cancelling() is 2.
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<number> {
            try {
              return yield* forever();
            } catch {
              currentTask()!.cancel("again");
              return 1;
            }
          })(),
        );
        yield;
        t.cancel();
        try {
          yield* t;
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(CancelledError);
          expect((e as Error).message).toBe("again");
        }
        expect(t.cancelling()).toBe(2);
      })(),
    );
  });

  it("cancelling a task that awaits another task cancels the inner one too", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const inner = createTask(forever());
        const outer = createTask(
          (function* (): Coroutine<void> {
            yield* inner;
          })(),
        );
        yield;
        outer.cancel();
        try {
          yield* outer;
        } catch {
          // expected
        }
        expect(inner.cancelled()).toBe(true);
        expect(outer.cancelled()).toBe(true);
      })(),
    );
  });

  it("result() of a cancelled task raises the coroutine's CancelledError once, then a bare one", async () => {
    // CPython 3.13: after t.cancel("bye") propagates, `await t` raises CancelledError('bye'),
    // later t.result() raises CancelledError() (no message).
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(forever());
        yield;
        t.cancel("bye");
        try {
          yield* t;
        } catch (e) {
          expect((e as Error).message).toBe("bye");
        }
        expect(() => t.result()).toThrow(CancelledError);
        try {
          t.result();
        } catch (e) {
          expect((e as Error).message).toBe("");
        }
      })(),
    );
  });

  it("native `await task` rejects with CancelledError when the task is cancelled", async () => {
    const loop = freshLoop();
    const t = loop.createTask(forever());
    const p = (async () => await t)();
    loop.callSoon(() => t.cancel());
    await expect(loop.runUntilComplete(t)).rejects.toBeInstanceOf(CancelledError);
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    loop.close();
  });

  // Regression (was a bug, now fixed): a native awaiter registered before the cancellation sees an
  // empty message. The task settles native waiters inside `_cancel()`, before it saves the
  // coroutine's CancelledError (`this._aux = e`), so they get a fresh CancelledError without the
  // message; `yield* t` (CPython's `await t`) gets CancelledError('bye').
  it("native `await task` keeps the cancel message", async () => {
    const loop = freshLoop();
    const t = loop.createTask(forever());
    const p = (async () => await t)();
    loop.callSoon(() => t.cancel("bye"));
    await loop.runUntilComplete(t).catch(() => {});
    await expect(p).rejects.toThrow("bye");
    loop.close();
  });
});

describe("Task: awaiting wrongly", () => {
  function* captureYieldError(body: () => Coroutine<unknown>): Coroutine<unknown> {
    const t = createTask(body());
    try {
      yield* t;
      return null;
    } catch (e) {
      return e;
    }
  }

  it("awaiting itself raises RuntimeError('Task cannot await on itself') in the coroutine", async () => {
    const e = await runFresh(
      captureYieldError(function* () {
        yield* currentTask()!;
      }),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/^Task cannot await on itself: <Task pending/);
  });

  it("yielding a Promise throws a TypeError that points to fromPromise", async () => {
    const e = await runFresh(
      captureYieldError(function* () {
        yield Promise.resolve(1) as never;
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toContain(
      "yielded a Promise: use `yield* fromPromise(p)` from @asyncio-ts/promise",
    );
  });

  it("yielding a number throws a TypeError ('Task got bad yield')", async () => {
    const e = await runFresh(
      captureYieldError(function* () {
        yield 42 as never;
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^Task got bad yield: 42/);
  });

  it("a bare `yield fut` (no *) throws a TypeError saying to write `yield* fut`", async () => {
    const e = await runFresh(
      captureYieldError(function* () {
        const f = getRunningLoop().createFuture();
        yield f;
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^yield was used instead of yield\* in task/);
    expect((e as Error).message).toContain("`yield* fut`");
  });

  it("a bare `yield coro` (no *) throws a TypeError saying to write `yield* coro`", async () => {
    const e = await runFresh(
      captureYieldError(function* () {
        yield value(1) as never;
      }),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(
      /^yield was used instead of yield\* for generator in task/,
    );
  });

  it("the coroutine can catch the TypeError and go on", async () => {
    const got = await runFresh(
      (function* (): Coroutine<string> {
        try {
          yield 42 as never;
        } catch (e) {
          expect(e).toBeInstanceOf(TypeError);
        }
        yield;
        return "recovered";
      })(),
    );
    expect(got).toBe("recovered");
  });

  it("awaiting a future of another loop raises RuntimeError in the coroutine", async () => {
    const other = freshLoop();
    const e = await runFresh(
      captureYieldError(function* () {
        yield* other.createFuture();
      }),
    );
    other.close();
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toMatch(/got Future .* attached to a different loop/);
  });
});

describe("currentTask / allTasks", () => {
  it("currentTask() is the running task inside it, null in a plain callback", async () => {
    let inCallback: unknown = "unset";
    await runFresh(
      (function* (): Coroutine<void> {
        const me = currentTask();
        expect(me).toBeInstanceOf(Task);
        const t = createTask(
          (function* (): Coroutine<unknown> {
            return currentTask();
          })(),
        );
        expect(yield* t).toBe(t);
        expect(currentTask()).toBe(me);
        const f = getRunningLoop().createFuture();
        getRunningLoop().callSoon(() => {
          inCallback = currentTask();
          f.setResult(null);
        });
        yield* f;
      })(),
    );
    expect(inCallback).toBeNull();
  });

  it("currentTask(loop) from outside the loop is null; without a loop it raises", () => {
    const loop = freshLoop();
    expect(currentTask(loop)).toBeNull();
    expect(() => currentTask()).toThrow(RuntimeError);
    expect(() => currentTask()).toThrow("no running event loop");
    loop.close();
  });

  it("allTasks() holds the pending tasks, not the finished ones", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const me = currentTask()!;
        const a = createTask(forever());
        const b = createTask(value(1));
        expect(names(allTasks())).toEqual(names([me, a, b]));
        yield* b;
        expect(names(allTasks())).toEqual(names([me, a]));
        a.cancel();
        yield;
        expect(names(allTasks())).toEqual(names([me]));
      })(),
    );
  });

  it("allTasks(loop) works from outside; allTasks() outside a loop raises", async () => {
    const loop = freshLoop();
    const t = loop.createTask(value(1));
    expect(names(allTasks(loop))).toEqual(names([t]));
    expect(() => allTasks()).toThrow("no running event loop");
    await loop.runUntilComplete(t);
    expect(allTasks(loop).size).toBe(0);
    loop.close();
  });
});

describe("createTask / new Task", () => {
  it("createTask() outside a running loop raises RuntimeError('no running event loop')", () => {
    const coro = value(1);
    expect(() => createTask(coro)).toThrow(RuntimeError);
    expect(() => createTask(coro)).toThrow("no running event loop");
  });

  it("new Task(coro, { loop }) schedules the coroutine on that loop", async () => {
    const loop = freshLoop();
    const t = new Task(value("x"), { loop });
    expect(t.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(t)).toBe("x");
    loop.close();
  });

  it("createTask() rejects a non-coroutine with TypeError('a coroutine was expected, got ...')", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        expect(() => createTask(42 as never)).toThrow(TypeError);
        expect(() => createTask(42 as never)).toThrow("a coroutine was expected, got 42");
      })(),
    );
  });
});

describe("ensureFuture", () => {
  it("returns a Future as is", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const f = getRunningLoop().createFuture();
        expect(ensureFuture(f)).toBe(f);
        const t = createTask(value(1));
        expect(ensureFuture(t)).toBe(t);
        yield* t;
      })(),
    );
  });

  it("wraps a coroutine in a Task", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        const f = ensureFuture(value(7));
        expect(f).toBeInstanceOf(Task);
        expect(yield* f).toBe(7);
      })(),
    );
  });

  it("wraps any awaitable (an object with [Symbol.iterator]) in a Task", async () => {
    const awaitable = {
      *[Symbol.iterator](): Coroutine<string> {
        yield;
        return "awaited";
      },
    };
    await runFresh(
      (function* (): Coroutine<void> {
        const f = ensureFuture(awaitable);
        expect(f).toBeInstanceOf(Task);
        expect(yield* f).toBe("awaited");
      })(),
    );
  });

  it("uses the loop option outside a running loop", async () => {
    const loop = freshLoop();
    const f = ensureFuture(value(1), { loop });
    expect(f.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(f)).toBe(1);
    loop.close();
  });

  it("raises RangeError for a future of another loop than the loop option", () => {
    const a = freshLoop();
    const b = freshLoop();
    expect(() => ensureFuture(a.createFuture(), { loop: b })).toThrow(RangeError);
    expect(() => ensureFuture(a.createFuture(), { loop: b })).toThrow(
      "The future belongs to a different loop than the one specified as the loop argument",
    );
    a.close();
    b.close();
  });

  it("raises TypeError for anything else, pointing Promises to fromPromise", () => {
    const loop = freshLoop();
    expect(() => ensureFuture(42 as never, { loop })).toThrow(TypeError);
    expect(() => ensureFuture(42 as never, { loop })).toThrow(
      "An asyncio.Future, a coroutine or an awaitable is required",
    );
    expect(() => ensureFuture(Promise.resolve(1) as never, { loop })).toThrow(/fromPromise/);
    loop.close();
  });
});

describe("eager tasks", () => {
  it("eagerTaskFactory runs the coroutine synchronously up to its first block", async () => {
    const log: string[] = [];
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        log.push("before createTask");
        const t = createTask(
          (function* (): Coroutine<void> {
            log.push("task start");
            yield;
            log.push("task resumed");
          })(),
        );
        log.push("after createTask");
        expect(t.done()).toBe(false);
        yield* t;
      })(),
    );
    expect(log).toEqual(["before createTask", "task start", "after createTask", "task resumed"]);
  });

  it("a task that never blocks finishes inside createTask, without the loop", async () => {
    // CPython 3.13: t.done() -> True, t.result() -> 3, t.get_coro() -> None.
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const outer = currentTask();
        let inside: unknown = null;
        const t = createTask(
          (function* (): Coroutine<number> {
            inside = currentTask();
            return 3;
          })(),
        );
        expect(t.done()).toBe(true);
        expect(t.result()).toBe(3);
        expect(t.getCoro()).toBeNull();
        expect(inside).toBe(t);
        expect(currentTask()).toBe(outer);
        expect(allTasks().has(t)).toBe(false);
      })(),
    );
  });

  it("done callbacks of an eagerly finished task are still scheduled with callSoon", async () => {
    const log: string[] = [];
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const t = createTask(value(1));
        t.addDoneCallback(() => log.push("cb"));
        log.push("after add");
        yield;
        log.push("end");
      })(),
    );
    expect(log).toEqual(["after add", "cb", "end"]);
  });

  it("an eager task that blocks is pending, listed in allTasks(), and finishes on the loop", async () => {
    await runVirtual(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const t = createTask(sleep(2, "slept"), { name: "eager" });
        expect(t.getName()).toBe("eager");
        expect(t.done()).toBe(false);
        expect(allTasks().has(t)).toBe(true);
        expect(yield* t).toBe("slept");
        expect(getRunningLoop().time()).toBe(2);
      })(),
    );
  });

  it("an eager task's exception is set on the task, not thrown from createTask", async () => {
    const err = new Error("eager boom");
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const t = createTask(
          (function* (): Coroutine<void> {
            throw err;
          })(),
        );
        expect(t.done()).toBe(true);
        expect(t.exception()).toBe(err);
      })(),
    );
  });

  it("a running eager task is current and listed in allTasks()", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        let listed = false;
        const t = createTask(
          (function* (): Coroutine<void> {
            listed = allTasks().has(currentTask()!);
          })(),
        );
        expect(t.done()).toBe(true);
        expect(listed).toBe(true);
      })(),
    );
  });

  it("createEagerTaskFactory(Task) behaves like eagerTaskFactory", async () => {
    await runFresh(
      (function* (): Coroutine<void> {
        getRunningLoop().setTaskFactory(createEagerTaskFactory(Task));
        const t = createTask(value(9));
        expect(t.done()).toBe(true);
        expect(t.result()).toBe(9);
      })(),
    );
  });

  it("a task created while the loop is not running is not started eagerly", async () => {
    const loop = freshLoop();
    loop.setTaskFactory(eagerTaskFactory);
    const log: string[] = [];
    const t = loop.createTask(
      (function* (): Coroutine<void> {
        log.push("ran");
      })(),
    );
    expect(log).toEqual([]);
    expect(t.done()).toBe(false);
    await loop.runUntilComplete(t);
    expect(log).toEqual(["ran"]);
    loop.close();
  });
});

describe("Task: context", () => {
  it("a task runs in a copy of the context current at creation", async () => {
    const v = new ContextVar<string>("v", { default: "unset" });
    await runFresh(
      (function* (): Coroutine<void> {
        v.set("before");
        const t = createTask(
          (function* (): Coroutine<string[]> {
            const seen = [v.get()];
            v.set("set in task");
            yield;
            seen.push(v.get());
            return seen;
          })(),
        );
        v.set("after creation");
        expect(yield* t).toEqual(["before", "set in task"]);
        expect(v.get()).toBe("after creation");
      })(),
    );
  });

  it("createTask(coro, { context }) runs the task in exactly that context", async () => {
    const v = new ContextVar<number>("v", { default: 0 });
    const ctx = copyContext();
    await runFresh(
      (function* (): Coroutine<void> {
        const t = createTask(
          (function* (): Coroutine<void> {
            v.set(v.get() + 1);
          })(),
          { context: ctx },
        );
        yield* t;
        expect(t.getContext()).toBe(ctx);
        expect(ctx.get(v)).toBe(1);
        expect(v.get()).toBe(0);
      })(),
    );
  });
});

describe.skipIf(!hasGc)("Task exception was never retrieved", () => {
  async function failAndForget(loop: BaseEventLoop, thrown: () => unknown): Promise<WeakRef<Task>> {
    let ref!: WeakRef<Task>;
    await (async () => {
      const t = loop.createTask(
        (function* (): Coroutine<void> {
          yield;
          throw thrown();
        })(),
      );
      ref = new WeakRef(t);
      const f = loop.createFuture();
      t.addDoneCallback(() => f.setResult(null));
      await loop.runUntilComplete(f);
    })();
    return ref;
  }

  it("is reported when a failed task nobody looked at is collected (non-Error value)", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    const thrown = { reason: "plain object" };
    await failAndForget(loop, () => thrown);
    expect(await collectUntil(() => seen.length > 0)).toBe(true);
    expect(seen[0]?.message).toBe("Task exception was never retrieved");
    expect(seen[0]?.exception).toBe(thrown);
    loop.close();
  });

  it("is reported for an Error made outside the task's step", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    const premade = new Error("made before the task ran");
    await failAndForget(loop, () => premade);
    expect(await collectUntil(() => seen.length > 0)).toBe(true);
    expect(seen[0]?.message).toBe("Task exception was never retrieved");
    expect(seen[0]?.exception).toBe(premade);
    expect(String(seen[0]?.futureRepr)).toMatch(/^<Task finished exception=/);
    loop.close();
  });

  // Regression (was a bug, now fixed): never reported when the coroutine throws an Error made
  // during the task's step (the common case). The FinalizationRegistry's held value keeps the
  // exception, and V8 keeps an Error's unformatted stack frames, receivers included, until `.stack`
  // is read, so the Task (receiver of `_stepRun`) stays reachable and is never collected. Reading
  // `exc.stack` (or otherwise dropping the structured trace) before `neverRetrieved.register` fixes
  // it.
  it("is reported when the coroutine throws an Error it created", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    await failAndForget(loop, () => new Error("made in the task"));
    expect(await collectUntil(() => seen.length > 0, 10)).toBe(true);
    expect(seen[0]?.message).toBe("Task exception was never retrieved");
    loop.close();
  });

  it("is not reported once the exception was retrieved", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    let ref!: WeakRef<Task>;
    await (async () => {
      const t = loop.createTask(
        (function* (): Coroutine<void> {
          yield;
          throw { reason: "looked at" };
        })(),
      );
      ref = new WeakRef(t);
      await loop.runUntilComplete(t).catch(() => {});
    })();
    expect(await collectUntil(() => ref.deref() === undefined)).toBe(true);
    await macrotask();
    expect(seen).toEqual([]);
    loop.close();
  });
});

describe("Task was destroyed but it is pending!", () => {
  it("is reported at loop.close() for each pending task, naming it", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    const a = loop.createTask(forever(), { name: "a" });
    const b = loop.createTask(forever(), { name: "b" });
    const done = loop.createTask(value(1));
    await loop.runUntilComplete(done);
    loop.close();
    expect(seen.map((c) => c.message)).toEqual([
      "Task was destroyed but it is pending!",
      "Task was destroyed but it is pending!",
    ]);
    // (toBe, not toEqual: a Task is iterable, and deep equality would iterate it.)
    expect(seen[0]?.task).toBe(a);
    expect(seen[1]?.task).toBe(b);
  });

  it("is written to stderr by the default handler", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const loop = freshLoop();
    loop.createTask(forever(), { name: "left-behind" });
    loop.close();
    expect(error).toHaveBeenCalledTimes(1);
    const text = String(error.mock.calls[0]?.[0]);
    expect(text).toMatch(/^Task was destroyed but it is pending!/);
    expect(text).toContain("left-behind");
  });
});

describe("run() and tasks", () => {
  it("run() drives createTask'd tasks on the loop it made", async () => {
    let loopSeen: AbstractEventLoop | null = null;
    const got = await run(
      (function* (): Coroutine<number> {
        loopSeen = getRunningLoop();
        const t = createTask(value(2));
        expect(t.getLoop()).toBe(loopSeen);
        return yield* t;
      })(),
    );
    expect(got).toBe(2);
    expect(loopSeen!.isClosed()).toBe(true);
  });
});
