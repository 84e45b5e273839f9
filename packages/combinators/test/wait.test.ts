import {
  type Coroutine,
  createTask,
  type Future,
  getRunningLoop,
  type Task,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import {
  ALL_COMPLETED,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  wait,
} from "../src/index.js";
import { now, thrown } from "./helpers.js";

function* fail(delay: number): Coroutine<never> {
  yield* sleep(delay);
  throw new Error(`failed after ${delay}`);
}

function tasks(...delays: number[]): Task<number>[] {
  return delays.map((d) => createTask(sleep(d, d)));
}

function cancelAll(fs: Iterable<Future<unknown>>): void {
  for (const f of fs) f.cancel();
}

/** The labels of `fs`, in its order (vitest cannot deep-compare futures: they are iterable). */
function names(fs: Iterable<Future<unknown>>, labels: Map<Future<unknown>, string>): string[] {
  return [...fs].map((f) => labels.get(f) ?? "?");
}

function labelled(...delays: number[]): [Task<number>[], Map<Future<unknown>, string>] {
  const ts = tasks(...delays);
  return [ts, new Map(ts.map((t, i) => [t, "abcdefgh"[i]!]))];
}

describe("wait", () => {
  it("exports the returnWhen constants with their names as values", () => {
    expect([FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED]).toEqual([
      "FIRST_COMPLETED",
      "FIRST_EXCEPTION",
      "ALL_COMPLETED",
    ]);
  });

  it("waits for all futures by default", async () => {
    const r = await runVirtual(
      (function* () {
        const [ts, l] = labelled(0.3, 0.1, 0.2);
        const [done, pending] = yield* wait(ts);
        return { done: names(done, l), pending: pending.size, t: now() };
      })(),
    );
    expect(r).toEqual({ done: ["a", "b", "c"], pending: 0, t: 0.3 });
  });

  it("returns when the first future completes with FIRST_COMPLETED", async () => {
    const r = await runVirtual(
      (function* () {
        const [ts, l] = labelled(0.3, 0.1, 0.2);
        const [done, pending] = yield* wait(ts, { returnWhen: FIRST_COMPLETED });
        cancelAll(pending);
        return { done: names(done, l), pending: names(pending, l), t: now() };
      })(),
    );
    expect(r).toEqual({ done: ["b"], pending: ["a", "c"], t: 0.1 });
  });

  it("counts a cancellation as a completion, not as an exception", async () => {
    const r = await runVirtual(
      (function* () {
        const [a, b] = tasks(1, 2);
        const loop = getRunningLoop();
        loop.callLater(0.1, () => a!.cancel());
        const [done1] = yield* wait([a!, b!], { returnWhen: FIRST_EXCEPTION });
        const t1 = now();
        const [a2, b2] = tasks(1, 2);
        loop.callLater(0.1, () => a2!.cancel());
        const [done2, pending2] = yield* wait([a2!, b2!], { returnWhen: FIRST_COMPLETED });
        cancelAll(pending2);
        return { first: done1.size, t1, second: done2.size, t2: now() };
      })(),
    );
    // FIRST_EXCEPTION waited for b as well; FIRST_COMPLETED returned on the cancellation.
    expect(r).toEqual({ first: 2, t1: 2, second: 1, t2: 2.1 });
  });

  it("returns on the first error with FIRST_EXCEPTION, and retrieves it", async () => {
    const r = await runVirtual(
      (function* () {
        const ok = createTask(sleep(0.1, "ok"));
        const bad = createTask(fail(0.2));
        const slow = createTask(sleep(5));
        const l = new Map<Future<unknown>, string>([
          [ok, "ok"],
          [bad, "bad"],
          [slow, "slow"],
        ]);
        const [done, pending] = yield* wait([ok, bad, slow], { returnWhen: FIRST_EXCEPTION });
        // Core's F_LOG_TRACEBACK: wait's `f.exception()` retrieved the error, as Python's does.
        const out = {
          done: names(done, l),
          pending: names(pending, l),
          t: now(),
          logs: bad._flags & 4,
        };
        slow.cancel();
        return out;
      })(),
    );
    expect(r).toEqual({ done: ["ok", "bad"], pending: ["slow"], t: 0.2, logs: 0 });
  });

  it("returns at the timeout with the rest pending, without raising or cancelling", async () => {
    const r = await runVirtual(
      (function* () {
        const [[a, b], l] = labelled(0.1, 5);
        const [done, pending] = yield* wait([a!, b!], { timeout: 1 });
        const out = {
          done: names(done, l),
          pending: names(pending, l),
          t: now(),
          bCancelled: b!.cancelled(),
        };
        const [, zeroPending] = yield* wait([b!], { timeout: 0 });
        const [, negativePending] = yield* wait([b!], { timeout: -1 });
        b!.cancel();
        return { ...out, zero: zeroPending.size, negative: negativePending.size, t2: now() };
      })(),
    );
    expect(r).toEqual({
      done: ["a"],
      pending: ["b"],
      t: 1,
      bCancelled: false,
      zero: 1,
      negative: 1,
      t2: 1,
    });
  });

  it("returns without waiting on the timer when everything finishes first", async () => {
    const r = await runVirtual(
      (function* () {
        const ts = tasks(0.1, 0.2);
        const [done] = yield* wait(ts, { timeout: 100, returnWhen: ALL_COMPLETED });
        const at = now();
        // The timer was cancelled: nothing keeps the virtual clock busy until 100.
        yield* sleep(0);
        return { done: done.size, at, loopTimers: now() };
      })(),
    );
    expect(r).toEqual({ done: 2, at: 0.2, loopTimers: 0.2 });
  });

  it("deduplicates its input and keeps the input order in both sets", async () => {
    const r = await runVirtual(
      (function* () {
        const [[a, b, c], l] = labelled(0.3, 0.1, 0.2);
        const [done] = yield* wait([c!, a!, c!, b!, a!]);
        return names(done, l);
      })(),
    );
    expect(r).toEqual(["c", "a", "b"]);
  });

  it("accepts any iterable of futures", async () => {
    const r = await runVirtual(
      (function* () {
        const m = new Map([
          ["x", createTask(sleep(0.1, 1))],
          ["y", createTask(sleep(0.2, 2))],
        ]);
        const [done] = yield* wait(m.values());
        return done.size;
      })(),
    );
    expect(r).toBe(2);
  });

  it("removes its callbacks from the futures when it returns or is cancelled", async () => {
    const r = await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const f = loop.createFuture<number>();
        const g = loop.createFuture<number>();
        loop.callLater(0.1, () => g.setResult(1));
        yield* wait([f, g], { returnWhen: FIRST_COMPLETED });
        const afterReturn = f._callbacks;
        const w = createTask(wait([f]));
        yield* sleep(0.1);
        const whileWaiting = f._callbacks !== null;
        w.cancel();
        yield* thrown(w);
        const afterCancel = f._callbacks;
        const fDone = f.done();
        f.cancel();
        return { afterReturn, whileWaiting, afterCancel, fDone };
      })(),
    );
    expect(r).toEqual({ afterReturn: null, whileWaiting: true, afterCancel: null, fDone: false });
  });

  it("treats null options like missing ones", async () => {
    const r = await runVirtual(
      (function* () {
        const [done] = yield* wait(tasks(0.1), { timeout: null, returnWhen: null });
        return done.size;
      })(),
    );
    expect(r).toBe(1);
  });

  describe("bad input", () => {
    function* firstStep(c: Coroutine<unknown>): Coroutine<unknown> {
      return yield* thrown(c);
    }

    it("raises only when the coroutine is first stepped", async () => {
      const r = await runVirtual(
        (function* () {
          const c = wait([]);
          return yield* firstStep(c);
        })(),
      );
      expect(r).toEqual(new RangeError("Set of Tasks/Futures is empty."));
    });

    it("rejects a bad returnWhen with Python's message", async () => {
      const r = await runVirtual(
        (function* () {
          const t = createTask(sleep(0));
          return yield* firstStep(wait([t], { returnWhen: "SOMETIMES" as ReturnWhen }));
        })(),
      );
      expect(r).toEqual(new RangeError("Invalid return_when value: SOMETIMES"));
    });

    it("rejects coroutines: they must be tasks", async () => {
      const r = await runVirtual(
        (function* () {
          const t = createTask(sleep(0));
          const c = sleep(1);
          return yield* firstStep(wait([t, c as never]));
        })(),
      );
      expect(r).toEqual(new TypeError("Passing coroutines is forbidden, use tasks explicitly."));
    });

    it("rejects a single future, a coroutine or a non-iterable as fs", async () => {
      const r = await runVirtual(
        (function* () {
          const t = createTask(sleep(0));
          return [
            yield* firstStep(wait(t as never)),
            yield* firstStep(wait(sleep(1) as never)),
            yield* firstStep(wait(42 as never)),
          ];
        })(),
      );
      expect(r).toEqual([
        new TypeError("expect a list of futures, not Task"),
        new TypeError("expect a list of futures, not coroutine"),
        new TypeError("Expected `fs` to be an iterable, got `42` (number)"),
      ]);
    });

    it("rejects members that are not futures", async () => {
      const r = await runVirtual(
        (function* () {
          return [
            yield* firstStep(wait([42] as never)),
            yield* firstStep(wait([Promise.resolve(1)] as never)),
          ];
        })(),
      );
      expect((r[0] as Error).message).toBe(
        "Expected `fs` to hold futures or tasks, got `42` (number)",
      );
      expect((r[1] as Error).message).toMatch(/fromPromise/);
    });

    it("rejects a NaN or non-number timeout", async () => {
      const r = await runVirtual(
        (function* () {
          const t = createTask(sleep(0));
          return [
            yield* firstStep(wait([t], { timeout: Number.NaN })),
            yield* firstStep(wait([t], { timeout: "1" as never })),
          ];
        })(),
      );
      expect(r).toEqual([
        new TypeError("Expected `timeout` to be a number of seconds or null, got `NaN` (number)"),
        new TypeError('Expected `timeout` to be a number of seconds or null, got `"1"` (string)'),
      ]);
    });
  });
});
