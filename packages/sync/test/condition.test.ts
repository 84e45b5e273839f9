// biome-ignore-all lint/correctness/useYield: bodies need not await (Python's `async with` blocks without `await`).
import { CancelledError, type Coroutine, createTask, RuntimeError } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { Condition, Lock } from "../src/index.js";
import { now, thrown, thrownSync, turns } from "./helpers.js";

/** A task that waits on `cond` (holding its lock) and logs when it is back with the lock. */
function waiter(cond: Condition, log: string[], name: string): Coroutine<void> {
  return cond.with(function* () {
    const v = yield* cond.wait();
    log.push(`${name} ${v} ${cond.locked()}`);
  });
}

describe("Condition", () => {
  it("makes its own Lock when none is given", () => {
    const c = new Condition();
    expect(c._lock).toBeInstanceOf(Lock);
    expect(new Condition(null)._lock).toBeInstanceOf(Lock);
    expect(c.locked()).toBe(false);
  });

  it("shares the lock it is given", async () => {
    const lock = new Lock();
    const c = new Condition(lock);
    await runVirtual(
      (function* () {
        yield* c.acquire();
        expect(lock.locked()).toBe(true);
        c.release();
        expect(lock.locked()).toBe(false);
      })(),
    );
  });

  it("throws RuntimeError('cannot wait on un-acquired lock') from wait() without the lock", async () => {
    const c = new Condition();
    const e = await runVirtual(thrown(c.wait()));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("cannot wait on un-acquired lock");
  });

  it("throws RuntimeError('cannot notify on un-acquired lock') from notify() and notifyAll()", () => {
    const c = new Condition();
    for (const f of [() => c.notify(), () => c.notify(2), () => c.notifyAll()]) {
      const e = thrownSync(f);
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toBe("cannot notify on un-acquired lock");
    }
  });

  it("throws TypeError for a notify() count that is not a number", async () => {
    const c = new Condition();
    await runVirtual(
      (function* () {
        yield* c.acquire();
        const e = thrownSync(() => c.notify("2" as never));
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toBe('Expected `n` to be a number, got `"2"` (string)');
        c.notify(null);
        c.release();
      })(),
    );
  });

  it("releases the lock while waiting and holds it again on return", async () => {
    const c = new Condition();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const t = createTask(waiter(c, log, "a"));
        yield* turns(1);
        expect(c.locked()).toBe(false);
        expect(String(c)).toBe("<Condition [unlocked, waiters:1]>");
        yield* c.with(function* () {
          c.notify();
        });
        yield* t;
      })(),
    );
    expect(log).toEqual(["a true true"]);
  });

  it("wakes the first n waiters with notify(n), in FIFO order", async () => {
    const c = new Condition();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const tasks = ["a", "b", "c", "d"].map((n) => createTask(waiter(c, log, n)));
        yield* turns(1);
        yield* c.with(function* () {
          c.notify(2);
        });
        yield* sleep(1);
        expect(log).toEqual(["a true true", "b true true"]);
        yield* c.with(function* () {
          c.notify();
        });
        yield* sleep(1);
        expect(log).toEqual(["a true true", "b true true", "c true true"]);
        yield* c.with(function* () {
          c.notify(0);
          c.notify(-1);
        });
        yield* sleep(1);
        expect(log.length).toBe(3);
        yield* c.with(function* () {
          c.notifyAll();
        });
        for (const t of tasks) yield* t;
      })(),
    );
    expect(log).toEqual(["a true true", "b true true", "c true true", "d true true"]);
  });

  it("wakes every waiter with notifyAll(), each taking the lock in turn", async () => {
    const c = new Condition();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const tasks = ["a", "b", "c"].map((n) =>
          createTask(
            c.with(function* () {
              yield* c.wait();
              log.push(`${n} in ${now()}`);
              yield* sleep(1);
              log.push(`${n} out ${now()}`);
            }),
          ),
        );
        yield* turns(1);
        yield* c.with(function* () {
          c.notifyAll();
        });
        for (const t of tasks) yield* t;
      })(),
    );
    expect(log).toEqual(["a in 0", "a out 1", "b in 1", "b out 2", "c in 2", "c out 3"]);
  });

  it("waitFor() waits until the predicate is truthy and returns its value", async () => {
    const c = new Condition();
    let value = 0;
    let calls = 0;
    await runVirtual(
      (function* () {
        const t = createTask(
          c.with(function* () {
            return yield* c.waitFor(() => {
              calls++;
              return value >= 2 ? `value ${value}` : "";
            });
          }),
        );
        for (let i = 1; i <= 3; i++) {
          yield* sleep(1);
          yield* c.with(function* () {
            value = i;
            c.notifyAll();
          });
        }
        expect(yield* t).toBe("value 2");
      })(),
    );
    expect(calls).toBe(3);
  });

  it("waitFor() returns at once, without waiting, when the predicate is already truthy", async () => {
    const c = new Condition();
    const r = await runVirtual(
      c.with(function* () {
        return yield* c.waitFor(() => 7);
      }),
    );
    expect(r).toBe(7);
  });

  it("re-acquires the lock before raising CancelledError from a cancelled wait()", async () => {
    const c = new Condition();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const t = createTask(
          c.with(function* () {
            try {
              yield* c.wait();
            } catch (e) {
              log.push(`${(e as Error).name} locked=${c.locked()} at ${now()}`);
              throw e;
            }
          }),
        );
        yield* turns(1);
        yield* c.acquire();
        t.cancel();
        yield* sleep(2);
        expect(log).toEqual([]); // still waiting for the lock
        c.release();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(c.locked()).toBe(false);
      })(),
    );
    expect(log).toEqual(["CancelledError locked=true at 2"]);
  });

  it("passes a notification on when the notified waiter is cancelled", async () => {
    const c = new Condition();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const a = createTask(waiter(c, log, "a"));
        const b = createTask(waiter(c, log, "b"));
        yield* turns(1);
        yield* c.with(function* () {
          c.notify(1);
        });
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        yield* b;
      })(),
    );
    expect(log).toEqual(["b true true"]);
  });

  it("keeps waiting through cancellations of the re-acquire and raises the last one", async () => {
    const c = new Condition();
    await runVirtual(
      (function* () {
        const t = createTask(
          c.with(function* () {
            yield* c.wait();
          }),
        );
        yield* turns(1);
        yield* c.acquire();
        t.cancel("first");
        yield* turns(2);
        t.cancel("second");
        yield* turns(2);
        expect(t.done()).toBe(false);
        c.release();
        const e = yield* thrown(t);
        expect(e).toBeInstanceOf(CancelledError);
        expect((e as Error).message).toBe("second");
        expect(c.locked()).toBe(false);
      })(),
    );
  });

  it("shows its state in toString()", async () => {
    const c = new Condition();
    expect(String(c)).toBe("<Condition [unlocked]>");
    await runVirtual(
      (function* () {
        yield* c.acquire();
        expect(String(c)).toBe("<Condition [locked]>");
        c.release();
      })(),
    );
  });

  it("binds to the loop of its first wait", async () => {
    const c = new Condition();
    await runVirtual(
      (function* () {
        const t = createTask(waiter(c, [], "a"));
        yield* turns(1);
        yield* c.with(function* () {
          c.notify();
        });
        yield* t;
      })(),
    );
    const e = await runVirtual(
      c.with(function* () {
        return yield* thrown(c.wait());
      }),
    );
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("<Condition [locked]> is bound to a different event loop");
  });
});
