import { type Coroutine, currentTask, TimeoutError } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sleep, type Timeout, timeout, waitFor } from "../src/index.js";
import { now } from "./helpers.js";

// Whole milliseconds: two distinct delays differ by far more than the loop's 1e-9 s clock
// resolution, within which timers count as simultaneous (as in CPython).
const seconds = (min: number, max: number) =>
  fc.integer({ min: min * 1000, max: max * 1000 }).map((ms) => ms / 1000);

describe("properties", () => {
  it("a timeout fires iff the body's sleep reaches the delay", async () => {
    await fc.assert(
      fc.asyncProperty(seconds(-2, 10), seconds(-2, 10), async (delay, work) => {
        const r = await runVirtual(
          (function* () {
            let scope: Timeout | null = null;
            let outcome: string;
            try {
              outcome = yield* timeout(delay, function* (cm) {
                scope = cm;
                return yield* sleep(work, "done");
              });
            } catch (e) {
              if (!(e instanceof TimeoutError)) throw e;
              outcome = "timeout";
            }
            return {
              outcome,
              expired: scope!.expired(),
              t: now(),
              cancelling: currentTask()!.cancelling(),
            };
          })(),
        );
        // A sleep of <= 0 is one loop turn, which a deadline of <= 0 (fired via callSoon) beats.
        const fires = Math.max(work, 0) >= delay;
        expect(r.outcome).toBe(fires ? "timeout" : "done");
        expect(r.expired).toBe(fires);
        expect(r.t).toBe(fires ? Math.max(delay, 0) : Math.max(work, 0));
        expect(r.cancelling).toBe(0);
      }),
    );
  });

  it("of nested timeouts with distinct delays, exactly the earliest expires and the scope raises TimeoutError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 5 }),
        seconds(0, 12),
        async (delaysMs, work) => {
          const delays = delaysMs.map((ms) => ms / 1000);
          const r = await runVirtual(
            (function* () {
              const scopes: Timeout[] = [];
              function* nest(i: number): Coroutine<string> {
                if (i === delays.length) return yield* sleep(work, "done");
                return yield* timeout(delays[i]!, function* (cm) {
                  scopes.push(cm);
                  return yield* nest(i + 1);
                });
              }
              let outcome: string;
              try {
                outcome = yield* nest(0);
              } catch (e) {
                if (!(e instanceof TimeoutError)) throw e;
                outcome = "timeout";
              }
              return {
                outcome,
                expired: scopes.map((s) => s.expired()),
                t: now(),
                cancelling: currentTask()!.cancelling(),
              };
            })(),
          );
          const first = Math.min(...delays);
          const fires = work >= first;
          expect(r.outcome).toBe(fires ? "timeout" : "done");
          expect(r.expired).toEqual(delays.map((d) => fires && d === first));
          expect(r.t).toBe(Math.min(work, first));
          expect(r.cancelling).toBe(0);
        },
      ),
    );
  });

  it("waitFor returns the result iff the work finishes strictly before a positive timeout", async () => {
    await fc.assert(
      fc.asyncProperty(seconds(-2, 10), seconds(0, 10), async (limit, work) => {
        const r = await runVirtual(
          (function* () {
            try {
              return yield* waitFor(sleep(work, "done"), limit);
            } catch (e) {
              if (!(e instanceof TimeoutError)) throw e;
              return "timeout";
            }
          })(),
        );
        expect(r).toBe(limit > 0 && work < limit ? "done" : "timeout");
      }),
    );
  });
});
