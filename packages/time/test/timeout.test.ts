import {
  CancelledError,
  type Coroutine,
  createTask,
  currentTask,
  ExceptionGroup,
  getRunningLoop,
  RuntimeError,
  TimeoutError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { describe, expect, it } from "vitest";
import { sleep, Timeout, timeout, timeoutAt } from "../src/index.js";
import { now, thrown } from "./helpers.js";

describe("timeout", () => {
  it("returns the body's result when it finishes before the deadline", async () => {
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        const v = yield* timeout(5, function* (cm) {
          scope = cm;
          return yield* sleep(4, "ok");
        });
        return { v, t: now(), expired: scope!.expired(), when: scope!.when() };
      })(),
    );
    expect(r).toEqual({ v: "ok", t: 4, expired: false, when: 5 });
  });

  it("raises TimeoutError when the body outlives the deadline", async () => {
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        let reached = false;
        const e = yield* thrown(
          timeout(2, function* (cm) {
            scope = cm;
            yield* sleep(10);
            reached = true;
          }),
        );
        return { e, t: now(), reached, expired: scope!.expired() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect((r.e as Error).message).toBe("");
    expect((r.e as Error).cause).toBeInstanceOf(CancelledError);
    expect(r.t).toBe(2);
    expect(r.reached).toBe(false);
    expect(r.expired).toBe(true);
  });

  it("throws CancelledError into the body at its await point, so its finally blocks run", async () => {
    const log = await runVirtual(
      (function* () {
        const log: string[] = [];
        try {
          yield* timeout(1, function* () {
            try {
              yield* sleep(5);
            } catch (e) {
              log.push(`body caught ${(e as Error).name}`);
              throw e;
            } finally {
              log.push(`body finally at ${now()}`);
            }
          });
        } catch (e) {
          log.push(`scope raised ${(e as Error).name}`);
        }
        return log;
      })(),
    );
    expect(log).toEqual([
      "body caught CancelledError",
      "body finally at 1",
      "scope raised TimeoutError",
    ]);
  });

  it("leaves the task usable after a caught TimeoutError", async () => {
    const r = await runVirtual(
      (function* () {
        yield* thrown(timeout(1, () => sleep(2)));
        const task = currentTask()!;
        const after = yield* sleep(3, "slept");
        return { after, cancelling: task.cancelling(), t: now() };
      })(),
    );
    expect(r).toEqual({ after: "slept", cancelling: 0, t: 4 });
  });

  it("keeps cancelling() balanced after a scope that timed out and one that did not", async () => {
    const r = await runVirtual(
      (function* () {
        const task = currentTask()!;
        const inside: number[] = [];
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        yield* timeout(1, function* () {
          inside.push(task.cancelling());
        });
        const a = task.cancelling();
        yield* thrown(
          timeout(1, function* () {
            yield* sleep(2);
          }),
        );
        return { inside, a, b: task.cancelling() };
      })(),
    );
    expect(r).toEqual({ inside: [0], a: 0, b: 0 });
  });

  it("never fires for a null delay", async () => {
    const r = await runVirtual(
      (function* () {
        let when: number | null | undefined;
        const v = yield* timeout(null, function* (cm) {
          when = cm.when();
          return yield* sleep(1e6, "late");
        });
        return { v, when, t: now() };
      })(),
    );
    expect(r).toEqual({ v: "late", when: null, t: 1e6 });
  });

  it("never fires for an Infinity delay", async () => {
    const r = await runVirtual(
      (function* () {
        return yield* timeout(Number.POSITIVE_INFINITY, function* (cm) {
          yield* sleep(1e6);
          return [cm.when(), cm.expired()] as const;
        });
      })(),
    );
    expect(r).toEqual([Number.POSITIVE_INFINITY, false]);
  });

  it("fires through the loop for a delay <= 0: a body that never awaits still completes", async () => {
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        const v = yield* timeout(0, function* (cm) {
          scope = cm;
          return "no await";
        });
        const task = currentTask()!;
        return { v, expired: scope!.expired(), cancelling: task.cancelling() };
      })(),
    );
    expect(r).toEqual({ v: "no await", expired: false, cancelling: 0 });
  });

  it.each([0, -1, Number.NEGATIVE_INFINITY])(
    "raises TimeoutError at the first await for a delay of %s",
    async (delay) => {
      const r = await runVirtual(
        (function* () {
          const e = yield* thrown(
            timeout(delay, function* () {
              yield* sleep(0);
            }),
          );
          return { e, t: now() };
        })(),
      );
      expect(r.e).toBeInstanceOf(TimeoutError);
      expect(r.t).toBe(0);
    },
  );

  it("returns the body's result when the body swallows the cancellation, and reports expired()", async () => {
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        const task = currentTask()!;
        const v = yield* timeout(1, function* (cm) {
          scope = cm;
          try {
            yield* sleep(5);
          } catch (e) {
            if (!(e instanceof CancelledError)) throw e;
          }
          return "swallowed";
        });
        return { v, expired: scope!.expired(), cancelling: task.cancelling(), t: now() };
      })(),
    );
    expect(r).toEqual({ v: "swallowed", expired: true, cancelling: 0, t: 1 });
  });

  it("lets a non-cancellation error from the body through unchanged", async () => {
    const boom = new Error("boom");
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        const e = yield* thrown(
          timeout(5, function* (cm) {
            scope = cm;
            yield* sleep(1);
            throw boom;
          }),
        );
        return { e, expired: scope!.expired() };
      })(),
    );
    expect(r.e).toBe(boom);
    expect(r.expired).toBe(false);
  });

  it("splices a TimeoutError into the cause chain of an error raised while handling the expiry", async () => {
    const r = await runVirtual(
      (function* () {
        const task = currentTask()!;
        const e = yield* thrown(
          timeout(1, function* () {
            try {
              yield* sleep(5);
            } catch (cancelled) {
              throw new Error("cleanup failed", { cause: cancelled });
            }
          }),
        );
        return { e, cancelling: task.cancelling() };
      })(),
    );
    const e = r.e as Error;
    expect(e.message).toBe("cleanup failed");
    expect(e.cause).toBeInstanceOf(TimeoutError);
    expect((e.cause as Error).cause).toBeInstanceOf(CancelledError);
    expect(r.cancelling).toBe(0);
  });

  it("splices the TimeoutError into each member of an ExceptionGroup", async () => {
    const e = await runVirtual(
      thrown(
        timeout(1, function* () {
          try {
            yield* sleep(5);
          } catch (cancelled) {
            throw new ExceptionGroup("many", [
              new Error("a", { cause: cancelled }),
              new Error("b"),
            ]);
          }
        }),
      ),
    );
    const [a, b] = (e as ExceptionGroup<Error>).exceptions;
    expect(a!.cause).toBeInstanceOf(TimeoutError);
    expect((a!.cause as Error).cause).toBeInstanceOf(CancelledError);
    expect(b!.cause).toBeUndefined();
  });

  it("raises TimeoutError at the deadline even when the body awaits another task", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(sleep(10, "inner"));
        const e = yield* thrown(timeout(3, () => inner[Symbol.iterator]() as Coroutine<string>));
        return { e, innerCancelled: inner.cancelled(), t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.innerCancelled).toBe(true);
    expect(r.t).toBe(3);
  });

  it("closes the scope when the coroutine is closed with return(), so the deadline never hits the task later", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        let scope: Timeout | null = null;
        const g = timeout(2, function* (cm) {
          scope = cm;
          try {
            yield* sleep(10);
          } finally {
            log.push("body finally");
          }
        });
        g.next(); // enters the scope and starts the sleep, driven by hand
        g.return(undefined);
        const v = yield* sleep(5, "not cancelled");
        return { log, v, state: String(scope), cancelling: currentTask()!.cancelling() };
      })(),
    );
    expect(r).toEqual({
      log: ["body finally"],
      v: "not cancelled",
      state: "<Timeout [finished]>",
      cancelling: 0,
    });
  });

  describe("nesting", () => {
    it("raises TimeoutError from the inner scope when its deadline comes first", async () => {
      const r = await runVirtual(
        (function* () {
          const scopes: Timeout[] = [];
          const task = currentTask()!;
          const v = yield* timeout(10, function* (outer) {
            scopes.push(outer);
            const e = yield* thrown(
              timeout(1, function* (inner) {
                scopes.push(inner);
                yield* sleep(5);
              }),
            );
            return [(e as Error).name, now()];
          });
          return { v, expired: scopes.map((s) => s.expired()), cancelling: task.cancelling() };
        })(),
      );
      expect(r).toEqual({ v: ["TimeoutError", 1], expired: [false, true], cancelling: 0 });
    });

    it("lets the outer scope convert the cancellation when its deadline comes first", async () => {
      const r = await runVirtual(
        (function* () {
          const scopes: Timeout[] = [];
          const log: string[] = [];
          const task = currentTask()!;
          const e = yield* thrown(
            timeout(1, function* (outer) {
              scopes.push(outer);
              try {
                yield* timeout(10, function* (inner) {
                  scopes.push(inner);
                  yield* sleep(5);
                });
              } catch (e) {
                log.push(`inner scope raised ${(e as Error).name}`);
                throw e;
              }
            }),
          );
          return {
            e,
            log,
            expired: scopes.map((s) => s.expired()),
            cancelling: task.cancelling(),
            t: now(),
          };
        })(),
      );
      expect(r.e).toBeInstanceOf(TimeoutError);
      expect(r.log).toEqual(["inner scope raised CancelledError"]);
      expect(r.expired).toEqual([true, false]);
      expect(r.cancelling).toBe(0);
      expect(r.t).toBe(1);
    });

    it("converts in the outermost of scopes expiring together; the inner ones pass CancelledError on", async () => {
      const r = await runVirtual(
        (function* () {
          const scopes: Timeout[] = [];
          const log: string[] = [];
          const task = currentTask()!;
          const e = yield* thrown(
            timeout(2, function* (outer) {
              scopes.push(outer);
              try {
                yield* timeout(2, function* (inner) {
                  scopes.push(inner);
                  yield* sleep(5);
                });
              } catch (e) {
                log.push(`inner scope raised ${(e as Error).name}`);
                throw e;
              }
            }),
          );
          return { e, log, expired: scopes.map((s) => s.expired()), cancelling: task.cancelling() };
        })(),
      );
      expect(r.e).toBeInstanceOf(TimeoutError);
      expect(r.log).toEqual(["inner scope raised CancelledError"]);
      expect(r.expired).toEqual([true, true]);
      expect(r.cancelling).toBe(0);
    });
  });

  describe("outer cancellation", () => {
    it("stays a CancelledError when the task is cancelled from outside inside a timeout", async () => {
      const r = await runVirtual(
        (function* () {
          let scope: Timeout | null = null;
          const t = createTask(
            timeout(10, function* (cm) {
              scope = cm;
              yield* sleep(5);
            }),
          );
          yield* sleep(1);
          t.cancel("from outside");
          const e = yield* thrown(t);
          return { e, cancelled: t.cancelled(), expired: scope!.expired() };
        })(),
      );
      expect(r.e).toBeInstanceOf(CancelledError);
      expect((r.e as Error).message).toBe("from outside");
      expect(r.cancelled).toBe(true);
      expect(r.expired).toBe(false);
    });

    it("stays a CancelledError when the outer cancel lands in the same iteration as the expiry", async () => {
      const r = await runVirtual(
        (function* () {
          let scope: Timeout | null = null;
          let cancellingInside = -1;
          const t = createTask(
            (function* (): Coroutine<void> {
              try {
                yield* timeout(2, function* (cm) {
                  scope = cm;
                  yield* sleep(5);
                });
              } finally {
                cancellingInside = currentTask()!.cancelling();
              }
            })(),
          );
          // Scheduled before the timeout's timer (same `when`), so it runs first in that iteration.
          getRunningLoop().callLater(2, () => t.cancel());
          const e = yield* thrown(t);
          return { e, cancelled: t.cancelled(), expired: scope!.expired(), cancellingInside };
        })(),
      );
      expect(r.e).toBeInstanceOf(CancelledError);
      expect(r.cancelled).toBe(true);
      expect(r.expired).toBe(true);
      // One request (the outer one) remains after the scope withdrew its own.
      expect(r.cancellingInside).toBe(1);
    });

    it("stays a CancelledError when the task was already being cancelled on entry", async () => {
      const r = await runVirtual(
        (function* () {
          const task = currentTask()!;
          task.cancel();
          // The pending request is delivered at the first await, inside the scope.
          const e = yield* thrown(
            timeout(1, function* () {
              yield* sleep(5);
            }),
          );
          const c = task.uncancel();
          return { e, c };
        })(),
      );
      expect(r.e).toBeInstanceOf(CancelledError);
      expect(r.c).toBe(0);
    });
  });

  describe("bad input", () => {
    it.each([
      [Number.NaN, "Expected `delay` to be a number of seconds or null, got `NaN` (number)"],
      ["2", 'Expected `delay` to be a number of seconds or null, got `"2"` (string)'],
      [{}, "Expected `delay` to be a number of seconds or null, got `[Object]` (object)"],
    ])("raises TypeError for a delay of %s", async (bad, message) => {
      const e = await runVirtual(thrown(timeout(bad as number, function* () {})));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(message);
    });

    it("accepts undefined as null (no deadline)", async () => {
      const v = await runVirtual(
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        timeout(undefined as unknown as null, function* (cm) {
          return cm.when();
        }),
      );
      expect(v).toBeNull();
    });

    it("raises TypeError when body is not a function", async () => {
      const e = await runVirtual(thrown(timeout(1, 42 as never)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(
        "Expected `body` of timeout() to be a generator function, got `42` (number)",
      );
    });

    it("raises TypeError naming the fix when body is an async function, and closes the scope", async () => {
      const r = await runVirtual(
        (function* () {
          let scope: Timeout | null = null;
          const e = yield* thrown(
            timeout(1, (async (cm: Timeout) => {
              scope = cm;
            }) as never),
          );
          yield* sleep(5);
          return { e, scope: String(scope), cancelling: currentTask()!.cancelling() };
        })(),
      );
      expect(r.e).toBeInstanceOf(TypeError);
      expect((r.e as Error).message).toBe(
        "The body of timeout() must return a coroutine, got `[Promise]`: write the body as a generator function (function*), not an async function",
      );
      expect(r.scope).toBe("<Timeout [finished]>");
      expect(r.cancelling).toBe(0);
    });

    it("raises RuntimeError outside a running loop", () => {
      expect(() => timeout(1, function* () {}).next()).toThrow(
        new RuntimeError("no running event loop"),
      );
    });

    it("raises RuntimeError when used outside a task", async () => {
      const e = await runVirtual(
        (function* () {
          const loop = getRunningLoop();
          const fut = loop.createFuture<unknown>();
          loop.callSoon(() => {
            try {
              timeout(1, function* () {}).next();
              fut.setResult(null);
            } catch (err) {
              fut.setResult(err);
            }
          });
          return yield* fut;
        })(),
      );
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe("Timeout should be used inside a task");
    });
  });
});

describe("timeoutAt", () => {
  it("returns the body's result when it finishes before the absolute deadline", async () => {
    const r = await runVirtual(
      (function* () {
        yield* sleep(10);
        return yield* timeoutAt(15, function* (cm) {
          yield* sleep(4);
          return [cm.when(), now(), cm.expired()];
        });
      })(),
    );
    expect(r).toEqual([15, 14, false]);
  });

  it("raises TimeoutError at the absolute deadline", async () => {
    const r = await runVirtual(
      (function* () {
        yield* sleep(10);
        const e = yield* thrown(timeoutAt(12, () => sleep(100)));
        return { e, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect((r.e as Error).cause).toBeInstanceOf(CancelledError);
    expect(r.t).toBe(12);
  });

  it("fires at the next iteration for a deadline already past", async () => {
    const r = await runVirtual(
      (function* () {
        yield* sleep(10);
        const e = yield* thrown(timeoutAt(3, () => sleep(1)));
        return { e, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.t).toBe(10);
  });

  it("never fires for a null deadline", async () => {
    const v = await runVirtual(timeoutAt(null, () => sleep(1e6, "ok")));
    expect(v).toBe("ok");
  });

  it("raises TypeError for a NaN deadline", async () => {
    const e = await runVirtual(thrown(timeoutAt(Number.NaN, function* () {})));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe(
      "Expected `when` to be a number of seconds or null, got `NaN` (number)",
    );
  });

  it("raises RuntimeError outside a running loop", () => {
    expect(() => timeoutAt(1, function* () {}).next()).toThrow(
      new RuntimeError("no running event loop"),
    );
  });
});

describe("Timeout", () => {
  it("moves the deadline later with reschedule()", async () => {
    const r = await runVirtual(
      (function* () {
        const v = yield* timeout(1, function* (cm) {
          cm.reschedule(now() + 5);
          return yield* sleep(4, cm.when());
        });
        return [v, now()];
      })(),
    );
    expect(r).toEqual([5, 4]);
  });

  it("moves the deadline earlier with reschedule()", async () => {
    const r = await runVirtual(
      (function* () {
        let when: number | null = null;
        const e = yield* thrown(
          timeout(10, function* (cm) {
            yield* sleep(1);
            cm.reschedule(now() + 2);
            when = cm.when();
            yield* sleep(5);
          }),
        );
        return { e, when, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.when).toBe(3);
    expect(r.t).toBe(3);
  });

  it("disarms the deadline with reschedule(null)", async () => {
    const r = await runVirtual(
      (function* () {
        return yield* timeout(1, function* (cm) {
          cm.reschedule(null);
          yield* sleep(100);
          return [cm.when(), cm.expired(), now()];
        });
      })(),
    );
    expect(r).toEqual([null, false, 100]);
  });

  it("arms a scope entered without a deadline", async () => {
    const r = await runVirtual(
      (function* () {
        const e = yield* thrown(
          timeout(null, function* (cm) {
            cm.reschedule(now() + 1);
            yield* sleep(100);
          }),
        );
        return { e, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.t).toBe(1);
  });

  it("fires at the next await when rescheduled to a time already past", async () => {
    const r = await runVirtual(
      (function* () {
        const log: string[] = [];
        const e = yield* thrown(
          timeout(10, function* (cm) {
            yield* sleep(1);
            cm.reschedule(0);
            log.push("still running");
            yield* sleep(0);
            log.push("not reached");
          }),
        );
        return { e, log, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TimeoutError);
    expect(r.log).toEqual(["still running"]);
    expect(r.t).toBe(1);
  });

  it("raises RuntimeError from reschedule() after the scope finished", async () => {
    const e = await runVirtual(
      (function* () {
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        const cm = yield* timeout(1, function* (cm) {
          return cm;
        });
        try {
          cm.reschedule(5);
        } catch (err) {
          return err;
        }
        return null;
      })(),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Cannot change state of finished Timeout");
  });

  it("raises RuntimeError from reschedule() after the scope expired", async () => {
    const e = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        yield* thrown(
          timeout(1, function* (cm) {
            scope = cm;
            yield* sleep(2);
          }),
        );
        try {
          scope!.reschedule(5);
        } catch (err) {
          return err;
        }
        return null;
      })(),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Cannot change state of expired Timeout");
  });

  it("raises RuntimeError from reschedule() once expiring, inside the body", async () => {
    const e = await runVirtual(
      (function* () {
        return yield* timeout(1, function* (cm) {
          try {
            yield* sleep(2);
          } catch {
            try {
              cm.reschedule(100);
            } catch (err) {
              return err;
            }
          }
          return null;
        });
      })(),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Cannot change state of expiring Timeout");
  });

  it("raises RuntimeError from reschedule() before it is entered", () => {
    expect(() => new Timeout(5).reschedule(6)).toThrow(
      new RuntimeError("Timeout has not been entered"),
    );
  });

  it("raises TypeError from reschedule() for NaN and leaves the deadline unchanged", async () => {
    const r = await runVirtual(
      (function* () {
        let scope: Timeout | null = null;
        let e: unknown = null;
        const e2 = yield* thrown(
          timeout(3, function* (cm) {
            scope = cm;
            try {
              cm.reschedule(Number.NaN);
            } catch (err) {
              e = err;
            }
            yield* sleep(10);
          }),
        );
        return { e, e2, when: scope!.when(), t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(TypeError);
    expect((r.e as Error).message).toBe(
      "Expected `when` to be a number of seconds or null, got `NaN` (number)",
    );
    expect(r.e2).toBeInstanceOf(TimeoutError);
    expect(r.when).toBe(3);
    expect(r.t).toBe(3);
  });

  it("raises TypeError from the constructor for a non-number", () => {
    expect(() => new Timeout("soon" as never)).toThrow(
      new TypeError('Expected `when` to be a number of seconds or null, got `"soon"` (string)'),
    );
  });

  it("describes itself like Python's repr", async () => {
    const r = await runVirtual(
      (function* () {
        const created = String(new Timeout(1));
        let active = "";
        let activeNone = "";
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        const cm = yield* timeout(1.23456, function* (cm) {
          active = String(cm);
          cm.reschedule(null);
          activeNone = String(cm);
          return cm;
        });
        return [created, active, activeNone, String(cm)];
      })(),
    );
    expect(r).toEqual([
      "<Timeout [created]>",
      "<Timeout [active] when=1.235>",
      "<Timeout [active] when=None>",
      "<Timeout [finished]>",
    ]);
  });

  describe("low-level enter()/exit()", () => {
    it("works as Python's async with, spelled out", async () => {
      const r = await runVirtual(
        (function* () {
          const cm = new Timeout(now() + 1);
          cm.enter();
          let caught: unknown;
          try {
            yield* sleep(5);
          } catch (e) {
            try {
              cm.exit(e);
            } catch (converted) {
              caught = converted;
            }
          }
          return { caught, expired: cm.expired(), cancelling: currentTask()!.cancelling() };
        })(),
      );
      expect(r.caught).toBeInstanceOf(TimeoutError);
      expect(r.expired).toBe(true);
      expect(r.cancelling).toBe(0);
    });

    it("refuses to be entered twice", async () => {
      const e = await runVirtual(
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        (function* () {
          const cm = new Timeout(null);
          cm.enter();
          cm.exit();
          try {
            cm.enter();
          } catch (err) {
            return err;
          }
          return null;
        })(),
      );
      expect(e).toEqual(new RuntimeError("Timeout has already been entered"));
    });

    it("refuses exit() before enter() and after exit()", async () => {
      const r = await runVirtual(
        // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
        (function* () {
          const cm = new Timeout(null);
          const errors: unknown[] = [];
          try {
            cm.exit();
          } catch (e) {
            errors.push(e);
          }
          cm.enter();
          cm.exit();
          try {
            cm.exit();
          } catch (e) {
            errors.push(e);
          }
          return errors;
        })(),
      );
      expect(r).toEqual([
        new RuntimeError("Timeout has not been entered"),
        new RuntimeError("Timeout has already been exited"),
      ]);
    });
  });
});
