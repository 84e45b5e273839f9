import {
  CancelledError,
  type Coroutine,
  createTask,
  ExceptionGroup,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALL_COMPLETED,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  gather,
  taskGroup,
  wait,
} from "../src/index.js";
import { now } from "./helpers.js";

// Whole milliseconds: distinct delays differ by far more than the loop's 1e-9 s resolution.
const ms = (max: number) => fc.integer({ min: 0, max }).map((n) => n / 1000);

function* after<T>(delay: number, v: T, failing = false): Coroutine<T> {
  yield* sleep(delay);
  if (failing) throw new Error(String(v));
  return v;
}

describe("properties", () => {
  it("gather keeps argument order for any delays and any mix of futures and coroutines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(ms(2000), fc.boolean()), { maxLength: 30 }),
        async (specs) => {
          const r = await runVirtual(
            (function* () {
              const aws = specs.map(([d, asTask], i) =>
                asTask ? createTask(after(d, i)) : after(d, i),
              );
              return { results: yield* gather(...aws), t: now() };
            })(),
          );
          expect(r.results).toEqual(specs.map((_, i) => i));
          expect(r.t).toBe(Math.max(0, ...specs.map(([d]) => d)));
        },
      ),
    );
  });

  it("gather with returnExceptions puts each error at its argument's place", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(ms(500), fc.boolean()), { maxLength: 20 }),
        async (specs) => {
          const r = await runVirtual(
            (function* () {
              const aws = specs.map(([d, failing], i) => after(d, i, failing));
              return yield* gather(...aws, { returnExceptions: true });
            })(),
          );
          expect(r.map((x) => (x instanceof Error ? `error ${x.message}` : x))).toEqual(
            specs.map(([, failing], i) => (failing ? `error ${i}` : i)),
          );
        },
      ),
    );
  });

  it("wait never loses a future: done and pending split the input exactly", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(ms(1000), fc.boolean()), { minLength: 1, maxLength: 15 }),
        fc.option(ms(1200), { nil: null }),
        fc.constantFrom(FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED),
        async (specs, timeout, returnWhen) => {
          await runVirtual(
            (function* () {
              const ts = specs.map(([d, failing], i) => createTask(after(d, i, failing)));
              // Duplicates in the input do not matter.
              const [done, pending] = yield* wait([...ts, ...ts.slice(0, 2)], {
                timeout,
                returnWhen,
              });
              expect(done.size + pending.size).toBe(ts.length);
              for (const t of ts) expect(done.has(t) !== pending.has(t)).toBe(true);
              for (const t of done) expect(t.done()).toBe(true);
              for (const t of pending) expect(t.done()).toBe(false);
              const failed = [...done].some((t) => !t.cancelled() && t.exception() !== null);
              if (pending.size > 0) {
                // Returned early: for the timeout, or as returnWhen allows.
                const early =
                  (timeout !== null && now() === timeout) ||
                  returnWhen === FIRST_COMPLETED ||
                  (returnWhen === FIRST_EXCEPTION && failed);
                expect(early).toBe(true);
              }
              for (const t of pending) t.cancel();
              for (const t of ts) if (t.done() && !t.cancelled()) t.exception();
            })(),
          );
        },
      ),
    );
  });

  it("asCompleted gives each result exactly once, in completion order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 20 }),
        async (delaysMs) => {
          const r = await runVirtual(
            (function* () {
              const out: number[] = [];
              for (const next of asCompleted(delaysMs.map((d) => sleep(d / 1000, d)))) {
                out.push(yield* next);
              }
              return out;
            })(),
          );
          expect(r).toEqual([...delaysMs].sort((a, b) => a - b));
        },
      ),
    );
  });

  it("a TaskGroup raises exactly the failures: the first, then those failing on cancellation", async () => {
    const child = fc.record({
      delay: fc.integer({ min: 1, max: 3000 }),
      fails: fc.boolean(),
      failsOnCancel: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(child, { maxLength: 12, selector: (c) => c.delay }),
        async (children) => {
          function* run(i: number): Coroutine<number> {
            const c = children[i]!;
            try {
              yield* sleep(c.delay / 1000);
            } catch (e) {
              if (e instanceof CancelledError && c.failsOnCancel) throw new Error(`cancel ${i}`);
              throw e;
            }
            if (c.fails) throw new Error(`fail ${i}`);
            return i;
          }
          const r = await runVirtual(
            (function* () {
              let tasks: Task<number>[] = [];
              try {
                yield* taskGroup(function* (tg) {
                  tasks = children.map((_, i) => tg.createTask(run(i)));
                });
                return { error: null, tasks };
              } catch (e) {
                return { error: e, tasks };
              }
            })(),
          );
          const failing = children.filter((c) => c.fails);
          if (failing.length === 0) {
            expect(r.error).toBeNull();
            expect(r.tasks.map((t) => t.result())).toEqual(children.map((_, i) => i));
            return;
          }
          const first = Math.min(...failing.map((c) => c.delay));
          const firstIndex = children.findIndex((c) => c.delay === first);
          // Cancelled children fail in creation order (they are cancelled in that order).
          const expected = [
            `fail ${firstIndex}`,
            ...children.flatMap((c, i) =>
              c.delay > first && c.failsOnCancel ? [`cancel ${i}`] : [],
            ),
          ];
          expect(r.error).toBeInstanceOf(ExceptionGroup);
          const g = r.error as ExceptionGroup<Error>;
          expect(g.exceptions.map((e) => e.message)).toEqual(expected);
          for (const [i, t] of r.tasks.entries()) {
            const c = children[i]!;
            const state = t.cancelled() ? "cancelled" : t.exception() ? "failed" : "ok";
            expect(state).toBe(
              c.delay < first
                ? "ok"
                : c.delay === first
                  ? "failed"
                  : c.failsOnCancel
                    ? "failed"
                    : "cancelled",
            );
          }
        },
      ),
    );
  });
});
