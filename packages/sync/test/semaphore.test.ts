import { CancelledError, type Coroutine, createTask, type Task } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Semaphore } from "../src/index.js";
import { now, thrown, thrownSync, turns } from "./helpers.js";

describe("Semaphore", () => {
  it("starts at 1 by default (null too) and at the value given", () => {
    expect(new Semaphore()._value).toBe(1);
    expect(new Semaphore(null)._value).toBe(1);
    expect(new Semaphore(0)._value).toBe(0);
    expect(new Semaphore(3)._value).toBe(3);
  });

  it("throws RangeError('Semaphore initial value must be >= 0') for a negative value", () => {
    for (const S of [Semaphore, BoundedSemaphore]) {
      const e = thrownSync(() => new S(-1));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toBe("Semaphore initial value must be >= 0");
    }
  });

  it("throws TypeError for a value that is not a number", () => {
    const e = thrownSync(() => new Semaphore("2" as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe('Expected `value` to be a number, got `"2"` (string)');
    expect(thrownSync(() => new Semaphore(Number.NaN))).toBeInstanceOf(TypeError);
  });

  it("admits value acquirers at once and blocks the next", async () => {
    const sem = new Semaphore(2);
    await runVirtual(
      (function* () {
        expect(yield* sem.acquire()).toBe(true);
        expect(sem.locked()).toBe(false);
        expect(String(sem)).toBe("<Semaphore [unlocked, value:1]>");
        yield* sem.acquire();
        expect(sem.locked()).toBe(true);
        expect(String(sem)).toBe("<Semaphore [locked]>");
        const t = createTask(sem.acquire());
        yield* sleep(4);
        expect(t.done()).toBe(false);
        expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
        sem.release();
        expect(yield* t).toBe(true);
        expect(now()).toBe(4);
        expect(sem._value).toBe(0);
      })(),
    );
  });

  it("wakes waiters in FIFO order", async () => {
    const sem = new Semaphore(0);
    const order: number[] = [];
    await runVirtual(
      (function* () {
        const tasks = [0, 1, 2, 3].map((i) =>
          createTask(
            (function* () {
              yield* sem.acquire();
              order.push(i);
            })(),
          ),
        );
        yield* turns(1);
        for (let i = 0; i < 4; i++) {
          sem.release();
          yield* sleep(1);
          expect(order.length).toBe(i + 1);
        }
        for (const t of tasks) yield* t;
      })(),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("makes a new acquirer wait its turn behind queued waiters, even with units free", async () => {
    const sem = new Semaphore(0);
    const order: string[] = [];
    await runVirtual(
      (function* () {
        const w = createTask(
          (function* () {
            yield* sem.acquire();
            order.push("waiter");
          })(),
        );
        yield* turns(1);
        sem.release();
        sem.release();
        // One unit went to the (not yet running) waiter, one is free; the waiter is queued.
        expect(sem.locked()).toBe(true);
        yield* sem.acquire();
        order.push("newcomer");
        yield* w;
      })(),
    );
    expect(order).toEqual(["waiter", "newcomer"]);
  });

  it("wakes several waiters for several releases", async () => {
    const sem = new Semaphore(0);
    await runVirtual(
      (function* () {
        const tasks = [0, 1, 2].map(() => createTask(sem.acquire()));
        yield* turns(1);
        sem.release();
        sem.release();
        yield* turns(2);
        expect(tasks.map((t) => t.done())).toEqual([true, true, false]);
        sem.release();
        yield* tasks[2]!;
      })(),
    );
  });

  it("removes a cancelled waiter from the line", async () => {
    const sem = new Semaphore(0);
    await runVirtual(
      (function* () {
        const a = createTask(sem.acquire());
        const b = createTask(sem.acquire());
        yield* turns(1);
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        expect(String(sem)).toBe("<Semaphore [locked, waiters:1]>");
        sem.release();
        expect(yield* b).toBe(true);
        expect(sem._value).toBe(0);
      })(),
    );
  });

  it("gives the unit back when a woken waiter is cancelled, and passes it on", async () => {
    const sem = new Semaphore(0);
    await runVirtual(
      (function* () {
        const a = createTask(sem.acquire());
        const b = createTask(sem.acquire());
        yield* turns(1);
        sem.release(); // wakes a, taking the unit for it
        expect(sem._value).toBe(0);
        a.cancel();
        expect(yield* thrown(a)).toBeInstanceOf(CancelledError);
        expect(yield* b).toBe(true);
        expect(sem._value).toBe(0);
        expect(sem.locked()).toBe(true);
      })(),
    );
  });

  it("lets a new caller in at once when every queued waiter is cancelled", async () => {
    const sem = new Semaphore(1);
    await runVirtual(
      (function* () {
        yield* sem.acquire();
        const a = createTask(sem.acquire());
        yield* turns(1);
        a.cancel();
        sem.release();
        // a's future is cancelled but a is still queued: it does not count.
        expect(sem.locked()).toBe(false);
        const t0 = now();
        yield* sem.acquire();
        expect(now()).toBe(t0);
        yield* thrown(a);
      })(),
    );
  });

  it("never admits more tasks than its value", async () => {
    const sem = new Semaphore(3);
    let inside = 0;
    let peak = 0;
    function* job(i: number): Coroutine<void> {
      yield* sem.with(function* () {
        inside++;
        peak = Math.max(peak, inside);
        yield* sleep((i % 4) + 1);
        inside--;
      });
    }
    await runVirtual(
      (function* () {
        const tasks: Task<void>[] = [];
        for (let i = 0; i < 20; i++) tasks.push(createTask(job(i)));
        for (const t of tasks) yield* t;
      })(),
    );
    expect(peak).toBe(3);
    expect(sem._value).toBe(3);
  });

  it("lets release() raise the counter above its initial value", () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(sem._value).toBe(2);
  });

  it("binds to the loop of its first wait", async () => {
    const sem = new Semaphore(0);
    await runVirtual(
      (function* () {
        const t = createTask(sem.acquire());
        yield* turns(1);
        sem.release();
        yield* t;
      })(),
    );
    const e = await runVirtual(thrown(sem.acquire()));
    expect((e as Error).message).toBe("<Semaphore [locked]> is bound to a different event loop");
  });
});

describe("BoundedSemaphore", () => {
  it("throws RangeError('BoundedSemaphore released too many times') above its initial value", async () => {
    const sem = new BoundedSemaphore(2);
    const e = thrownSync(() => sem.release());
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe("BoundedSemaphore released too many times");
    expect(sem._value).toBe(2);
    await runVirtual(
      (function* () {
        yield* sem.acquire();
        sem.release();
        expect(() => sem.release()).toThrow("BoundedSemaphore released too many times");
      })(),
    );
  });

  it("defaults to a bound of 1", () => {
    expect(() => new BoundedSemaphore().release()).toThrow(RangeError);
    expect(new BoundedSemaphore(null)._boundValue).toBe(1);
  });

  it("is a Semaphore that wakes waiters on release", async () => {
    const sem = new BoundedSemaphore(1);
    expect(sem).toBeInstanceOf(Semaphore);
    expect(String(sem)).toBe("<BoundedSemaphore [unlocked, value:1]>");
    await runVirtual(
      (function* () {
        yield* sem.acquire();
        const t = createTask(sem.acquire());
        yield* turns(1);
        sem.release();
        yield* t;
        expect(sem.locked()).toBe(true);
      })(),
    );
  });
});
