import { CancelledError, type Coroutine, createTask, type Task } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Lock, PriorityQueue, Queue, Semaphore } from "../src/index.js";

// Delays in whole eighths of a second: exact in binary, so virtual time never drifts.
const delay = fc.integer({ min: 0, max: 16 }).map((n) => n / 8);

function* settle(tasks: Task<unknown>[]): Coroutine<void> {
  for (const t of tasks) {
    try {
      yield* t;
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
    }
  }
}

/** Python's `<` on [number, string] tuples, strings by code point. */
function tupleCmp(a: [number, string], b: [number, string]): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  const x = [...a[1]].map((c) => c.codePointAt(0)!);
  const y = [...b[1]].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

describe("properties", () => {
  it("a Queue never loses or duplicates an item under random producers, consumers and cancellations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.array(delay, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.array(delay, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), delay), { maxLength: 6 }),
        async (maxsize, producers, consumers, cancels) => {
          const q = new Queue<string>(maxsize);
          const put: string[] = [];
          const got: string[] = [];
          let overfull = false;
          await runVirtual(
            (function* () {
              const prods = producers.map((delays, p) =>
                createTask(
                  (function* () {
                    for (const [i, d] of delays.entries()) {
                      yield* sleep(d);
                      yield* q.put(`${p}.${i}`);
                      put.push(`${p}.${i}`);
                      if (maxsize > 0 && q.qsize() > maxsize) overfull = true;
                    }
                  })(),
                ),
              );
              const cons = consumers.map((work) =>
                createTask(
                  (function* () {
                    for (;;) {
                      got.push(yield* q.get());
                      yield* sleep(work);
                    }
                  })(),
                ),
              );
              const all = [...prods, ...cons];
              const canceller = createTask(
                (function* () {
                  for (const [which, at] of cancels) {
                    yield* sleep(at);
                    all[which % all.length]!.cancel();
                  }
                })(),
              );
              // Producers block for good once every consumer is gone: then stop them too.
              while (prods.some((p) => !p.done())) {
                if (cons.every((c) => c.done())) for (const p of prods) p.cancel();
                yield* sleep(0.125);
              }
              yield* settle(prods);
              // Let live consumers drain what they can, then stop them.
              for (let i = 0; i < 200 && !q.empty() && cons.some((c) => !c.done()); i++) {
                yield* sleep(0.125);
              }
              canceller.cancel();
              for (const c of cons) c.cancel();
              yield* settle([...cons, canceller]);
              while (!q.empty()) got.push(q.getNowait());
            })(),
          );
          expect(overfull).toBe(false);
          expect(new Set(got).size).toBe(got.length);
          expect([...got].sort()).toEqual([...put].sort());
          expect(q._getters.length + q._putters.length).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a Queue hands items out in the order they were put", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(delay, { minLength: 1, maxLength: 20 }),
        fc.array(delay, { minLength: 1, maxLength: 20 }),
        async (maxsize, putGaps, getGaps) => {
          const q = new Queue<number>(maxsize);
          const got: number[] = [];
          await runVirtual(
            (function* () {
              const p = createTask(
                (function* () {
                  for (const [i, d] of putGaps.entries()) {
                    yield* sleep(d);
                    yield* q.put(i);
                  }
                })(),
              );
              for (let i = 0; i < putGaps.length; i++) {
                yield* sleep(getGaps[i % getGaps.length]!);
                got.push(yield* q.get());
              }
              yield* p;
            })(),
          );
          expect(got).toEqual(putGaps.map((_, i) => i));
        },
      ),
    );
  });

  it("a Semaphore never admits more tasks than its value, and ends where it started", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(delay, delay), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), delay), { maxLength: 6 }),
        async (value, jobs, cancels) => {
          const sem = new Semaphore(value);
          let inside = 0;
          let peak = 0;
          await runVirtual(
            (function* () {
              const tasks = jobs.map(([start, hold]) =>
                createTask(
                  (function* () {
                    yield* sleep(start);
                    yield* sem.with(function* () {
                      inside++;
                      peak = Math.max(peak, inside);
                      try {
                        yield* sleep(hold);
                      } finally {
                        inside--;
                      }
                    });
                  })(),
                ),
              );
              for (const [which, at] of cancels) {
                yield* sleep(at);
                tasks[which % tasks.length]!.cancel();
              }
              yield* settle(tasks);
            })(),
          );
          expect(peak).toBeLessThanOrEqual(value);
          expect(inside).toBe(0);
          expect(sem._value).toBe(value);
          expect(sem._waiters?.length ?? 0).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a Lock admits one task at a time, in the order they asked, skipping cancelled ones", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(delay, delay), { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), delay), { maxLength: 4 }),
        async (jobs, cancels) => {
          const lock = new Lock();
          const asked: number[] = [];
          const entered: number[] = [];
          let inside = 0;
          let overlap = false;
          await runVirtual(
            (function* () {
              const tasks = jobs.map(([start, hold], i) =>
                createTask(
                  (function* () {
                    yield* sleep(start);
                    asked.push(i);
                    yield* lock.with(function* () {
                      entered.push(i);
                      if (++inside > 1) overlap = true;
                      try {
                        yield* sleep(hold);
                      } finally {
                        inside--;
                      }
                    });
                  })(),
                ),
              );
              for (const [which, at] of cancels) {
                yield* sleep(at);
                tasks[which % tasks.length]!.cancel();
              }
              yield* settle(tasks);
            })(),
          );
          expect(overlap).toBe(false);
          expect(lock.locked()).toBe(false);
          // Entry order is the asking order with the tasks cancelled before entering left out.
          expect(entered).toEqual(asked.filter((i) => entered.includes(i)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a PriorityQueue pops random numbers in sorted order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 200 }), (xs) => {
        const q = new PriorityQueue<number>();
        for (const x of xs) q.putNowait(x);
        const out: number[] = [];
        while (!q.empty()) out.push(q.getNowait());
        expect(out).toEqual([...xs].sort((a, b) => a - b));
      }),
    );
  });

  it("a PriorityQueue pops random tuples in Python's tuple order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: -3, max: 3 }), fc.string({ unit: "binary", maxLength: 4 })),
          {
            maxLength: 100,
          },
        ),
        (xs) => {
          const q = new PriorityQueue<[number, string]>();
          for (const x of xs) q.putNowait(x);
          const out: [number, string][] = [];
          while (!q.empty()) out.push(q.getNowait());
          expect(out).toEqual([...xs].sort(tupleCmp));
        },
      ),
    );
  });

  it("a PriorityQueue with a compare option pops in that order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 100 }), (xs) => {
        const q = new PriorityQueue<number>(0, { compare: (a, b) => b - a });
        for (const x of xs) q.putNowait(x);
        const out: number[] = [];
        while (!q.empty()) out.push(q.getNowait());
        expect(out).toEqual([...xs].sort((a, b) => b - a));
      }),
    );
  });
});
