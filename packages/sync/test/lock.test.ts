import {
  CancelledError,
  type Coroutine,
  createTask,
  getRunningLoop,
  RuntimeError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { Lock } from "../src/index.js";
import { now, thrown, thrownSync, turns } from "./helpers.js";

describe("Lock", () => {
  it("starts unlocked, and acquire() takes it at once returning true", async () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    const r = await runVirtual(
      (function* () {
        const v = yield* lock.acquire();
        return [v, lock.locked(), now()];
      })(),
    );
    expect(r).toEqual([true, true, 0]);
  });

  it("is unlocked again by release()", async () => {
    const lock = new Lock();
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        lock.release();
      })(),
    );
    expect(lock.locked()).toBe(false);
  });

  it("throws RuntimeError('Lock is not acquired.') when released unlocked", () => {
    const e = thrownSync(() => new Lock().release());
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("Lock is not acquired.");
  });

  it("does nothing until the acquire() coroutine is stepped", () => {
    const lock = new Lock();
    lock.acquire();
    expect(lock.locked()).toBe(false);
  });

  it("blocks a second acquirer until release", async () => {
    const lock = new Lock();
    const log: string[] = [];
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const t = createTask(
          (function* () {
            yield* lock.acquire();
            log.push(`b got it at ${now()}`);
            lock.release();
          })(),
        );
        yield* sleep(5);
        log.push("a releases");
        lock.release();
        yield* t;
      })(),
    );
    expect(log).toEqual(["a releases", "b got it at 5"]);
  });

  it("wakes waiters in FIFO order", async () => {
    const lock = new Lock();
    const order: number[] = [];
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const tasks = [0, 1, 2, 3].map((i) =>
          createTask(
            (function* () {
              yield* lock.acquire();
              order.push(i);
              yield* sleep(1);
              lock.release();
            })(),
          ),
        );
        yield* turns(1);
        lock.release();
        for (const t of tasks) yield* t;
      })(),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("does not let a running task barge in ahead of a woken waiter", async () => {
    const lock = new Lock();
    const order: string[] = [];
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const waiter = createTask(
          (function* () {
            yield* lock.acquire();
            order.push("waiter");
            lock.release();
          })(),
        );
        yield* turns(1);
        lock.release();
        // The waiter is woken but has not run yet: the lock looks free, and we ask again.
        expect(lock.locked()).toBe(false);
        yield* lock.acquire();
        order.push("barger");
        lock.release();
        yield* waiter;
      })(),
    );
    expect(order).toEqual(["waiter", "barger"]);
  });

  it("removes a cancelled waiter from the line", async () => {
    const lock = new Lock();
    const order: string[] = [];
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const mk = (name: string) =>
          createTask(
            (function* () {
              yield* lock.acquire();
              order.push(name);
              lock.release();
            })(),
          );
        const a = mk("a");
        const b = mk("b");
        yield* turns(1);
        a.cancel();
        yield* turns(1);
        expect(a.cancelled()).toBe(true);
        expect(String(lock)).toBe("<Lock [locked, waiters:1]>");
        lock.release();
        yield* b;
      })(),
    );
    expect(order).toEqual(["b"]);
  });

  it("passes the wake-up on when the woken waiter is cancelled before it runs", async () => {
    const lock = new Lock();
    const order: string[] = [];
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const mk = (name: string) =>
          createTask(
            (function* () {
              try {
                yield* lock.acquire();
              } catch (e) {
                order.push(`${name} ${(e as Error).name}`);
                throw e;
              }
              order.push(name);
              lock.release();
            })(),
          );
        const a = mk("a");
        const b = mk("b");
        yield* turns(1);
        lock.release(); // wakes a
        a.cancel(); // ... which is cancelled before it runs
        yield* thrown(a);
        yield* b;
        expect(lock.locked()).toBe(false);
      })(),
    );
    expect(order).toEqual(["a CancelledError", "b"]);
  });

  it("lets a new caller take a free lock at once when every waiter is cancelled", async () => {
    const lock = new Lock();
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const a = createTask(lock.acquire());
        yield* turns(1);
        lock.release(); // wakes a
        a.cancel();
        // a is still queued (its wake-up has not run), but cancelled: no need to wait for it.
        const t0 = now();
        yield* lock.acquire();
        expect(now()).toBe(t0);
        expect(a.cancelled()).toBe(true);
        lock.release();
      })(),
    );
  });

  it("raises CancelledError from a cancelled acquire() and leaves the lock as it was", async () => {
    const lock = new Lock();
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const t = createTask(lock.acquire());
        yield* turns(1);
        t.cancel("stop");
        const e = yield* thrown(t);
        expect(e).toBeInstanceOf(CancelledError);
        expect((e as Error).message).toBe("stop");
        expect(lock.locked()).toBe(true);
        expect(String(lock)).toBe("<Lock [locked]>");
      })(),
    );
  });

  it("shows its state in toString()", async () => {
    const lock = new Lock();
    expect(String(lock)).toBe("<Lock [unlocked]>");
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        const t = createTask(lock.acquire());
        yield* turns(1);
        expect(String(lock)).toBe("<Lock [locked, waiters:1]>");
        lock.release();
        yield* t;
        expect(String(lock)).toBe("<Lock [locked]>");
      })(),
    );
  });

  it("binds to the loop of its first wait and refuses another loop", async () => {
    const lock = new Lock();
    function* contend(): Coroutine<void> {
      yield* lock.acquire();
      const t = createTask(lock.acquire());
      yield* turns(1);
      lock.release();
      yield* t;
    }
    await runVirtual(contend());
    // Still locked by the task above; a waiter on another loop is refused.
    const e = await runVirtual(thrown(lock.acquire()));
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("<Lock [locked]> is bound to a different event loop");
  });

  it("throws RuntimeError('no running event loop') when it must wait outside a loop", () => {
    const lock = new Lock();
    lock._locked = true;
    const e = thrownSync(() => lock.acquire().next());
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as Error).message).toBe("no running event loop");
  });

  it("does not bind on the fast path, so a fresh lock works on any loop", async () => {
    const lock = new Lock();
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        lock.release();
      })(),
    );
    await runVirtual(
      (function* () {
        yield* lock.acquire();
        lock.release();
      })(),
    );
    expect(lock._loop).toBe(null);
  });

  it("creates its waiter futures with the loop's createFuture()", async () => {
    const lock = new Lock();
    let made = 0;
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const orig = loop.createFuture.bind(loop);
        loop.createFuture = <T>() => {
          made++;
          return orig<T>();
        };
        yield* lock.acquire();
        const t = createTask(lock.acquire());
        yield* turns(1);
        lock.release();
        yield* t;
      })(),
    );
    expect(made).toBe(1);
  });
});
