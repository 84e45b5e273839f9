import { CancelledError, type Coroutine, createTask, type Task } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError } from "../src/index.js";
import { now, thrown, thrownSync, turns } from "./helpers.js";

describe("Barrier", () => {
  it("throws RangeError('parties must be > 0') for fewer than one party", () => {
    for (const n of [0, -3]) {
      const e = thrownSync(() => new Barrier(n));
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toBe("parties must be > 0");
    }
    expect(thrownSync(() => new Barrier("3" as never))).toBeInstanceOf(TypeError);
  });

  it("exposes parties, nWaiting and broken as getters", () => {
    const b = new Barrier(3);
    expect(b.parties).toBe(3);
    expect(b.nWaiting).toBe(0);
    expect(b.broken).toBe(false);
    expect(String(b)).toBe("<Barrier [filling, waiters:0/3]>");
  });

  it("releases all parties together when the last arrives, with indices in arrival order", async () => {
    const b = new Barrier(3);
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const tasks = [0, 1, 2].map((i) =>
          createTask(
            (function* () {
              yield* sleep(i + 1);
              const idx = yield* b.wait();
              log.push(`task ${i} index ${idx} at ${now()}`);
            })(),
          ),
        );
        yield* sleep(2.5);
        expect(b.nWaiting).toBe(2);
        expect(String(b)).toBe("<Barrier [filling, waiters:2/3]>");
        for (const t of tasks) yield* t;
      })(),
    );
    expect(log).toEqual(["task 2 index 2 at 3", "task 0 index 0 at 3", "task 1 index 1 at 3"]);
    expect(b.nWaiting).toBe(0);
    expect(String(b)).toBe("<Barrier [filling, waiters:0/3]>");
  });

  it("passes at once for a single party", async () => {
    const b = new Barrier(1);
    const r = await runVirtual(
      (function* () {
        return [yield* b.wait(), yield* b.wait(), now()];
      })(),
    );
    expect(r).toEqual([0, 0, 0]);
  });

  it("can be used again after it drains", async () => {
    const b = new Barrier(2);
    const log: string[] = [];
    function* party(name: string): Coroutine<void> {
      for (let round = 0; round < 3; round++) {
        const idx = yield* b.wait();
        log.push(`${name} r${round} i${idx}`);
        yield* sleep(name === "a" ? 1 : 2);
      }
    }
    await runVirtual(
      (function* () {
        const a = createTask(party("a"));
        const c = createTask(party("c"));
        yield* a;
        yield* c;
      })(),
    );
    expect(log).toEqual(["c r0 i1", "a r0 i0", "c r1 i1", "a r1 i0", "c r2 i1", "a r2 i0"]);
  });

  it("holds back new arrivals while it drains", async () => {
    const b = new Barrier(2);
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const tasks: Task<void>[] = [];
        for (const name of ["a", "b", "c", "d"]) {
          tasks.push(
            createTask(
              (function* () {
                const idx = yield* b.wait();
                log.push(`${name} ${idx}`);
              })(),
            ),
          );
        }
        for (const t of tasks) yield* t;
      })(),
    );
    expect(log).toEqual(["b 1", "a 0", "d 1", "c 0"]);
  });

  it("raises BrokenBarrierError('Abort or reset of barrier') in waiters on abort(), and 'Barrier aborted' after", async () => {
    const b = new Barrier(3);
    await runVirtual(
      (function* () {
        const tasks = [0, 1].map(() => createTask(b.wait()));
        yield* turns(1);
        expect(b.nWaiting).toBe(2);
        yield* b.abort();
        expect(b.broken).toBe(true);
        expect(b.nWaiting).toBe(0);
        expect(String(b)).toBe("<Barrier [broken]>");
        for (const t of tasks) {
          const e = yield* thrown(t);
          expect(e).toBeInstanceOf(BrokenBarrierError);
          expect((e as Error).message).toBe("Abort or reset of barrier");
        }
        const e = yield* thrown(b.wait());
        expect(e).toBeInstanceOf(BrokenBarrierError);
        expect((e as Error).message).toBe("Barrier aborted");
      })(),
    );
  });

  it("raises BrokenBarrierError('Abort or reset of barrier') in waiters on reset(), then works again", async () => {
    const b = new Barrier(2);
    await runVirtual(
      (function* () {
        const t = createTask(b.wait());
        yield* turns(1);
        yield* b.reset();
        const e = yield* thrown(t);
        expect(e).toBeInstanceOf(BrokenBarrierError);
        expect((e as Error).message).toBe("Abort or reset of barrier");
        expect(b.broken).toBe(false);
        expect(String(b)).toBe("<Barrier [filling, waiters:0/2]>");
        // We arrive before u runs.
        const u = createTask(b.wait());
        expect(yield* b.wait()).toBe(0);
        expect(yield* u).toBe(1);
      })(),
    );
  });

  it("mends a broken barrier with reset()", async () => {
    const b = new Barrier(1);
    await runVirtual(
      (function* () {
        yield* b.abort();
        expect(b.broken).toBe(true);
        yield* b.reset();
        expect(b.broken).toBe(false);
        expect(yield* b.wait()).toBe(0);
      })(),
    );
  });

  it("drops a cancelled waiter from the count (indices may then repeat, as in CPython)", async () => {
    const b = new Barrier(3);
    await runVirtual(
      (function* () {
        const t = createTask(b.wait());
        const u = createTask(b.wait());
        yield* turns(1);
        expect(b.nWaiting).toBe(2);
        t.cancel();
        expect(yield* thrown(t)).toBeInstanceOf(CancelledError);
        expect(b.nWaiting).toBe(1);
        const v = createTask(b.wait());
        yield* turns(1);
        expect(b.nWaiting).toBe(2);
        expect(yield* b.wait()).toBe(2);
        expect([yield* u, yield* v]).toEqual([1, 1]);
      })(),
    );
  });
});
