import {
  CancelledError,
  ContextVar,
  type Coroutine,
  copyContext,
  createTask,
  currentTask,
  ExceptionGroup,
  eagerTaskFactory,
  getRunningLoop,
  RuntimeError,
  run,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { TaskGroup, taskGroup } from "../src/index.js";
import { now, thrown } from "./helpers.js";

function* fail(delay: number, error: unknown): Coroutine<never> {
  yield* sleep(delay);
  throw error;
}

/** A child that records how it ended. */
function* tracked(log: string[], label: string, delay: number): Coroutine<string> {
  try {
    yield* sleep(delay);
    log.push(`${label} done`);
    return label;
  } catch (e) {
    log.push(`${label} ${e instanceof CancelledError ? "cancelled" : "failed"}`);
    throw e;
  }
}

describe("TaskGroup", () => {
  it("waits for every child and returns the body's result", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        const v = yield* taskGroup(function* (tg) {
          tg.createTask(tracked(log, "a", 0.2));
          tg.createTask(tracked(log, "b", 0.1));
          return "body";
        });
        return { v, log, t: now(), cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r).toEqual({ v: "body", log: ["b done", "a done"], t: 0.2, cancelling: 0 });
  });

  it("cancels the other children and the body when one fails", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const boom = new Error("boom");
        const e = yield* thrown(
          taskGroup(function* (tg) {
            tg.createTask(tracked(log, "sibling", 1));
            tg.createTask(fail(0.1, boom));
            try {
              yield* sleep(5);
            } catch (err) {
              log.push(`body ${(err as Error).name}`);
              throw err;
            }
          }),
        );
        return { e, boom, log, t: now(), cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(ExceptionGroup);
    const g = r.e as ExceptionGroup;
    expect(g.message).toBe("unhandled errors in a TaskGroup");
    expect(g.exceptions).toEqual([r.boom]);
    expect(g.cause).toBeUndefined();
    expect(r.log).toEqual(["sibling cancelled", "body CancelledError"]);
    expect(r.t).toBe(0.1);
    expect(r.cancelling).toBe(0);
  });

  it("collects every failure, in the order they happen", async () => {
    const r = await runVirtual(
      (function* () {
        const e1 = new Error("1");
        const e2 = new Error("2");
        function* failOnCancel(): Coroutine<never> {
          try {
            yield* sleep(5);
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: the point of the test.
            throw e2;
          }
        }
        const e = (yield* thrown(
          // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
          taskGroup(function* (tg) {
            tg.createTask(failOnCancel());
            tg.createTask(fail(0.1, e1));
          }),
        )) as ExceptionGroup;
        return e.exceptions[0] === e1 && e.exceptions[1] === e2 && e.exceptions.length === 2;
      })(),
    );
    expect(r).toBe(true);
  });

  it("adds the body's own error last, but not its CancelledError", async () => {
    const r = await runVirtual(
      (function* () {
        const child = new Error("child");
        const body = new Error("body");
        const e = (yield* thrown(
          taskGroup(function* (tg) {
            tg.createTask(fail(0, child));
            yield* sleep(0);
            yield* sleep(0);
            throw body;
          }),
        )) as ExceptionGroup;
        const solo = (yield* thrown(
          // biome-ignore lint/correctness/useYield: throws before awaiting.
          taskGroup(function* () {
            throw body;
          }),
        )) as ExceptionGroup;
        return {
          many: e.exceptions[0] === child && e.exceptions[1] === body,
          solo: solo.exceptions.length === 1 && solo.exceptions[0] === body,
        };
      })(),
    );
    expect(r).toEqual({ many: true, solo: true });
  });

  it("includes thrown values that are not Errors", async () => {
    const r = await runVirtual(
      (function* () {
        const e = (yield* thrown(
          // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
          taskGroup(function* (tg) {
            tg.createTask(fail(0.1, "a string"));
            tg.createTask(fail(0.1, undefined));
          }),
        )) as ExceptionGroup;
        return e.exceptions;
      })(),
    );
    expect(r).toEqual(["a string", undefined]);
  });

  it("propagates a cancellation from outside and leaves the count as it was", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const worker = createTask(
          (function* () {
            yield* taskGroup(function* (tg) {
              tg.createTask(tracked(log, "child", 1));
              yield* sleep(5);
            });
          })(),
        );
        yield* sleep(0.1);
        worker.cancel("stop");
        const e = yield* thrown(worker);
        return { e, log, cancelled: worker.cancelled(), cancelling: worker.cancelling() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("stop");
    expect(r.log).toEqual(["child cancelled"]);
    expect(r.cancelled).toBe(true);
    expect(r.cancelling).toBe(1);
  });

  it("lets a parent that swallows the group's own cancellation go on", async () => {
    const r = await runVirtual(
      (function* () {
        const task = currentTask()!;
        try {
          yield* taskGroup(function* (tg) {
            tg.createTask(fail(0.1, new Error("x")));
            yield* sleep(5);
          });
        } catch (e) {
          if (!(e instanceof ExceptionGroup)) throw e;
        }
        const before = task.cancelling();
        yield* sleep(1); // not cancelled
        return { before, t: now() };
      })(),
    );
    expect(r).toEqual({ before: 0, t: 1.1 });
  });

  it("raises errors rather than an outer cancellation, and keeps the cancellation pending", async () => {
    const r = await runVirtual(
      (function* () {
        let inside: unknown = null;
        let after: unknown = null;
        const worker = createTask(
          (function* () {
            try {
              yield* taskGroup(function* (tg) {
                tg.createTask(fail(0.1, new Error("x")));
                yield* sleep(5);
              });
            } catch (e) {
              inside = e;
            }
            after = currentTask()!.cancelling();
            yield* sleep(1);
          })(),
        );
        yield* sleep(0.1);
        worker.cancel();
        yield* thrown(worker);
        return { inside, after, cancelled: worker.cancelled(), t: now() };
      })(),
    );
    expect(r.inside).toBeInstanceOf(ExceptionGroup);
    expect(r.after).toBe(1);
    expect(r.cancelled).toBe(true);
    expect(r.t).toBe(0.1);
  });

  it("nests: an inner group's ExceptionGroup fails the outer group", async () => {
    const r = await runVirtual(
      (function* () {
        const boom = new Error("inner");
        const log: string[] = [];
        const e = (yield* thrown(
          taskGroup(function* (outer) {
            outer.createTask(tracked(log, "outer child", 1));
            yield* taskGroup(function* (inner) {
              inner.createTask(tracked(log, "inner child", 1));
              inner.createTask(fail(0.1, boom));
              yield* sleep(5);
            });
          }),
        )) as ExceptionGroup;
        const nested = e.exceptions[0] as ExceptionGroup;
        return {
          outer: e.exceptions.length,
          nested: nested instanceof ExceptionGroup && nested.exceptions[0] === boom,
          log,
          cancelling: currentTask()!.cancelling(),
        };
      })(),
    );
    expect(r).toEqual({
      outer: 1,
      nested: true,
      log: ["inner child cancelled", "outer child cancelled"],
      cancelling: 0,
    });
  });

  it("re-waits when the parent is cancelled again while exiting", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        function* stubborn(): Coroutine<void> {
          try {
            yield* sleep(1);
          } catch {
            yield* sleep(0.5);
            log.push(`stubborn done ${now()}`);
          }
        }
        const worker = createTask(
          // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
          taskGroup(function* (tg) {
            tg.createTask(stubborn());
          }),
        );
        yield* sleep(0.1);
        worker.cancel();
        yield* sleep(0.1);
        worker.cancel();
        yield* thrown(worker);
        return { log, t: now(), cancelled: worker.cancelled() };
      })(),
    );
    expect(r).toEqual({ log: ["stubborn done 0.6"], t: 0.6, cancelled: true });
  });

  it("takes a name and a context for its tasks", async () => {
    const r = await runVirtual(
      (function* () {
        const v = new ContextVar<string>("v", { default: "default" });
        const ctx = copyContext();
        ctx.run(() => v.set("in ctx"));
        return yield* taskGroup(function* (tg) {
          const t = tg.createTask(
            // biome-ignore lint/correctness/useYield: reads the context and returns.
            (function* () {
              return v.get();
            })(),
            { name: "reader", context: ctx },
          );
          yield* sleep(0);
          return [t.getName(), t.result()];
        });
      })(),
    );
    expect(r).toEqual(["reader", "in ctx"]);
  });

  it("handles children that complete eagerly", async () => {
    const r = await runVirtual(
      (function* () {
        getRunningLoop().setTaskFactory(eagerTaskFactory);
        const boom = new Error("eager");
        const log: string[] = [];
        // biome-ignore lint/correctness/useYield: fails in its eager first step.
        function* failNow(): Coroutine<never> {
          throw boom;
        }
        const e = (yield* thrown(
          taskGroup(function* (tg) {
            tg.createTask(tracked(log, "sibling", 1));
            tg.createTask(failNow());
            log.push(`${tg}`);
            yield* sleep(1);
          }),
        )) as ExceptionGroup;
        getRunningLoop().setTaskFactory(null);
        return { first: e.exceptions[0] === boom, log };
      })(),
    );
    expect(r).toEqual({
      first: true,
      log: ["<TaskGroup tasks=1 errors=1 cancelling>", "sibling cancelled"],
    });
  });

  it("accepts new tasks while it waits in exit, until it is finished", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        let group: TaskGroup | null = null;
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        yield* taskGroup(function* (tg) {
          group = tg;
          tg.createTask(
            (function* () {
              yield* sleep(0.1);
              tg.createTask(tracked(log, "late", 0.1));
            })(),
          );
        });
        let error: unknown = null;
        try {
          group!.createTask(sleep(1));
        } catch (e) {
          error = e;
        }
        return { log, t: now(), error };
      })(),
    );
    expect(r.log).toEqual(["late done"]);
    expect(r.t).toBe(0.2);
    expect(r.error).toEqual(new RuntimeError("TaskGroup <TaskGroup entered> is finished"));
  });

  it("shows its state like Python's repr", async () => {
    const r = await runVirtual(
      (function* () {
        const states: string[] = [];
        const tg = new TaskGroup();
        states.push(String(tg));
        tg.enter();
        states.push(String(tg));
        tg.createTask(sleep(1));
        tg.createTask(fail(0.1, new Error("x")));
        states.push(String(tg));
        yield* thrown(tg.exit(new Error("body")));
        states.push(String(tg));
        return states;
      })(),
    );
    expect(r).toEqual([
      "<TaskGroup>",
      "<TaskGroup entered>",
      "<TaskGroup tasks=2 entered>",
      "<TaskGroup cancelling>",
    ]);
  });

  it("works by hand with enter() and exit()", async () => {
    const r = await runVirtual(
      (function* () {
        const tg = new TaskGroup().enter();
        const t = tg.createTask(sleep(0.1, "v"));
        yield* tg.exit();
        const tg2 = new TaskGroup().enter();
        tg2.createTask(fail(0.1, new Error("x")));
        let e: unknown = null;
        try {
          yield* sleep(1);
        } catch (err) {
          e = yield* thrown(tg2.exit(err));
        }
        return { v: t.result(), e: e instanceof ExceptionGroup, t: now() };
      })(),
    );
    expect(r).toEqual({ v: "v", e: true, t: 0.2 });
  });

  it("cancels its children when its scope is closed mid-body", async () => {
    const r = await runVirtual(
      (function* () {
        let child: Task<unknown> | null = null;
        const scope = taskGroup(function* (tg) {
          child = tg.createTask(sleep(1));
          yield* sleep(5);
        });
        scope.next(); // runs up to the body's first await (outside a task it has no loop turn)
        scope.return(undefined);
        yield* sleep(0);
        return child!.cancelled();
      })(),
    );
    expect(r).toBe(true);
  });

  it("reports a child failing after its parent is done", async () => {
    const r = await runVirtual(
      (function* () {
        const reports: string[] = [];
        getRunningLoop().setExceptionHandler((_loop, ctx) => reports.push(ctx.message));
        const parent = createTask(
          // biome-ignore lint/correctness/useYield: enters and leaves without exiting the group.
          (function* () {
            new TaskGroup().enter().createTask(fail(0.1, new Error("orphan")));
          })(),
        );
        yield* parent;
        yield* sleep(0.2);
        return reports;
      })(),
    );
    expect(r).toHaveLength(1);
    expect(r[0]).toMatch(
      /^Task <Task finished exception=Error\("orphan"\) name='Task-\d+'> has errored out but its parent task <Task finished result=undefined name='Task-\d+'> is already completed$/,
    );
  });

  describe("bad input and misuse", () => {
    it("raises RuntimeError from createTask before entering, closing the coroutine", async () => {
      const r = await runVirtual(
        (function* () {
          const tg = new TaskGroup();
          const coro = sleep(1);
          let error: unknown = null;
          try {
            tg.createTask(coro);
          } catch (e) {
            error = e;
          }
          yield* sleep(0);
          return { error, closed: coro.next().done };
        })(),
      );
      expect(r.error).toEqual(new RuntimeError("TaskGroup <TaskGroup> has not been entered"));
      expect(r.closed).toBe(true);
    });

    it("raises RuntimeError from createTask while shutting down", async () => {
      const r = await runVirtual(
        (function* () {
          let error: unknown = null;
          yield* thrown(
            taskGroup(function* (tg) {
              tg.createTask(fail(0, new Error("x")));
              try {
                yield* sleep(1);
              } catch (e) {
                try {
                  tg.createTask(sleep(1));
                } catch (e2) {
                  error = e2;
                }
                throw e;
              }
            }),
          );
          return error;
        })(),
      );
      expect(r).toEqual(
        new RuntimeError("TaskGroup <TaskGroup errors=1 cancelling> is shutting down"),
      );
    });

    it("rejects a non-coroutine in createTask with TypeError", async () => {
      function* work(): Coroutine<void> {
        yield* sleep(0);
      }
      const r = await runVirtual(
        taskGroup(function* (tg) {
          const errors: unknown[] = [];
          for (const bad of [42, work]) {
            try {
              tg.createTask(bad as never);
            } catch (e) {
              errors.push(e);
            }
          }
          yield* sleep(0);
          return errors;
        }),
      );
      expect(r).toEqual([
        new TypeError("a coroutine was expected, got 42"),
        new TypeError(
          "a coroutine was expected, got [Function work]: call the generator function, createTask(work())",
        ),
      ]);
    });

    it("raises RuntimeError when entered twice, outside a task or without a loop", async () => {
      expect(() => new TaskGroup().enter()).toThrow(new RuntimeError("no running event loop"));
      await runVirtual(
        (function* () {
          const tg = new TaskGroup().enter();
          expect(() => tg.enter()).toThrow(
            new RuntimeError("TaskGroup <TaskGroup entered> has already been entered"),
          );
          yield* tg.exit();
          const errors: unknown[] = [];
          getRunningLoop().callSoon(() => {
            try {
              new TaskGroup().enter();
            } catch (e) {
              errors.push(e);
            }
          });
          yield* sleep(0);
          return errors;
        })(),
      ).then((errors) =>
        expect(errors).toEqual([
          new RuntimeError("TaskGroup <TaskGroup> cannot determine the parent task"),
        ]),
      );
    });

    it("raises RuntimeError from exit before enter or after exit", async () => {
      const r = await runVirtual(
        (function* () {
          const tg = new TaskGroup();
          const before = yield* thrown(tg.exit());
          tg.enter();
          yield* tg.exit();
          const twice = yield* thrown(tg.exit());
          return [before, twice];
        })(),
      );
      expect(r).toEqual([
        new RuntimeError("TaskGroup <TaskGroup> has not been entered"),
        new RuntimeError("TaskGroup <TaskGroup entered> has already been exited"),
      ]);
    });

    it("rejects a body that is not a generator function, unwrapped", async () => {
      const r = await runVirtual(
        (function* () {
          const notFn = yield* thrown(taskGroup(42 as never));
          const asyncFn = yield* thrown(taskGroup((async () => 1) as never));
          return [notFn, asyncFn];
        })(),
      );
      expect(r[0]).toEqual(
        new TypeError(
          "Expected `body` of taskGroup() to be a generator function, got `42` (number)",
        ),
      );
      expect((r[1] as Error).message).toMatch(/not an async function/);
    });

    it("is lazy: nothing happens until the scope is awaited", async () => {
      const scope = taskGroup(42 as never);
      await run(
        (function* () {
          expect(yield* thrown(scope)).toBeInstanceOf(TypeError);
        })(),
      );
    });
  });
});
