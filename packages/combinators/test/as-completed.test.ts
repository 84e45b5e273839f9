import {
  CancelledError,
  type Coroutine,
  createTask,
  type Future,
  getRunningLoop,
  TimeoutError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { asCompleted, gather } from "../src/index.js";
import { now, thrown } from "./helpers.js";

function* fail(delay: number, message: string): Coroutine<never> {
  yield* sleep(delay);
  throw new Error(message);
}

describe("asCompleted", () => {
  it("gives the results in completion order", async () => {
    const r = await runVirtual(
      (function* () {
        const out: [unknown, number][] = [];
        for (const next of asCompleted([sleep(0.3, "c"), sleep(0.1, "a"), sleep(0.2, "b")])) {
          out.push([yield* next, now()]);
        }
        return out;
      })(),
    );
    expect(r).toEqual([
      ["a", 0.1],
      ["b", 0.2],
      ["c", 0.3],
    ]);
  });

  it("raises each error in its turn", async () => {
    const r = await runVirtual(
      (function* () {
        const out: unknown[] = [];
        for (const next of asCompleted([sleep(0.3, "late"), fail(0.1, "early")])) {
          try {
            out.push(yield* next);
          } catch (e) {
            out.push(`error: ${(e as Error).message}`);
          }
        }
        return out;
      })(),
    );
    expect(r).toEqual(["error: early", "late"]);
  });

  it("raises TimeoutError for the rest once the timeout passes, and cancels nothing", async () => {
    const r = await runVirtual(
      (function* () {
        const slow = createTask(sleep(5, "slow"));
        const out: unknown[] = [];
        for (const next of asCompleted([sleep(0.1, "fast"), slow, sleep(6)], { timeout: 1 })) {
          try {
            out.push(yield* next);
          } catch (e) {
            out.push(e instanceof TimeoutError ? `timeout at ${now()}` : e);
          }
        }
        return { out, slowCancelled: slow.cancelled(), slow: yield* slow };
      })(),
    );
    expect(r).toEqual({
      out: ["fast", "timeout at 1", "timeout at 1"],
      slowCancelled: false,
      slow: "slow",
    });
  });

  it("cancels its timer when everything completes in time", async () => {
    const r = await runVirtual(
      (function* () {
        for (const next of asCompleted([sleep(0.1)], { timeout: 100 })) yield* next;
        // Nothing is left on the clock: a zero sleep does not jump to the old deadline.
        yield* sleep(0);
        return now();
      })(),
    );
    expect(r).toBe(0.1);
  });

  it("iterates once per distinct awaitable", async () => {
    const r = await runVirtual(
      (function* () {
        const t = createTask(sleep(0.1, "t"));
        const c = sleep(0.2, "c");
        const it = asCompleted([t, c, t, c]);
        const nexts = [...it];
        const results = [];
        for (const n of nexts) results.push(yield* n);
        return { count: nexts.length, results, after: it.next().done };
      })(),
    );
    expect(r).toEqual({ count: 2, results: ["t", "c"], after: true });
  });

  it("iterates nothing for no awaitables", async () => {
    const r = await runVirtual(
      (function* () {
        const it = asCompleted([], { timeout: 5 });
        const n = [...it].length;
        yield* sleep(0);
        return { n, t: now() };
      })(),
    );
    expect(r).toEqual({ n: 0, t: 0 });
  });

  it("gives the original futures, or the tasks made for coroutines, through futures()", async () => {
    const r = await runVirtual(
      (function* () {
        const t = createTask(sleep(0.2, "task"));
        const f = getRunningLoop().createFuture<string>();
        getRunningLoop().callLater(0.1, () => f.setResult("future"));
        const seen: string[] = [];
        for (const next of asCompleted([t, f, sleep(0.3, "coro")]).futures()) {
          const done: Future<string> = yield* next;
          seen.push(done === t ? "t" : done === f ? "f" : `new task: ${done.result()}`);
        }
        return seen;
      })(),
    );
    expect(r).toEqual(["f", "t", "new task: coro"]);
  });

  it("shares one count between next() and futures()", async () => {
    const r = await runVirtual(
      (function* () {
        const it = asCompleted([sleep(0.1, 1), sleep(0.2, 2), sleep(0.3, 3)]);
        const first = yield* it.next().value!;
        const futs = [...it.futures()];
        const second = (yield* futs[0]!).result();
        return { first, second, left: futs.length, more: it.next().done };
      })(),
    );
    expect(r).toEqual({ first: 1, second: 2, left: 2, more: true });
  });

  it("serves waiters that await concurrently in the order they wait", async () => {
    const r = await runVirtual(
      (function* () {
        const nexts = [...asCompleted([sleep(0.2, "b"), sleep(0.1, "a"), sleep(0.3, "c")])];
        // Awaited out of order: each waiter gets the next completion when it is its turn.
        return yield* gather(nexts[2]!, nexts[0]!, nexts[1]!);
      })(),
    );
    expect(r).toEqual(["a", "b", "c"]);
  });

  it("passes a completion on to the next waiter when one is cancelled", async () => {
    const r = await runVirtual(
      (function* () {
        const [n1, n2] = [...asCompleted([sleep(0.1, "a"), sleep(0.2, "b")])];
        const w1 = createTask(n1!);
        const w2 = createTask(n2!);
        yield* sleep(0.05);
        w1.cancel();
        const e = yield* thrown(w1);
        const got = yield* w2;
        return { cancelled: e instanceof CancelledError, got, t: now() };
      })(),
    );
    expect(r).toEqual({ cancelled: true, got: "a", t: 0.1 });
  });

  it("does not yield to the loop for a completion that is already queued", async () => {
    const r = await runVirtual(
      (function* () {
        const t = createTask(sleep(0.1, 1));
        const nexts = [...asCompleted([t])];
        yield* sleep(0.2);
        const order: string[] = [];
        getRunningLoop().callSoon(() => order.push("callback"));
        order.push(`result ${yield* nexts[0]!}`);
        yield* sleep(0);
        return order;
      })(),
    );
    expect(r).toEqual(["result 1", "callback"]);
  });

  describe("bad input", () => {
    it("rejects a future, a coroutine and a non-iterable at the call", async () => {
      await runVirtual(
        (function* () {
          const t = createTask(sleep(0));
          expect(() => asCompleted(t as never)).toThrow(
            new TypeError("expects an iterable of awaitables, not Task"),
          );
          expect(() => asCompleted(sleep(1) as never)).toThrow(
            new TypeError("expects an iterable of awaitables, not coroutine"),
          );
          expect(() => asCompleted(7 as never)).toThrow(
            new TypeError("Expected `fs` to be an iterable, got `7` (number)"),
          );
          yield* t;
        })(),
      );
    });

    it("rejects a NaN timeout and members that are not awaitable", async () => {
      await runVirtual(
        (function* () {
          expect(() => asCompleted([], { timeout: Number.NaN })).toThrow(
            new TypeError(
              "Expected `timeout` to be a number of seconds or null, got `NaN` (number)",
            ),
          );
          expect(() => asCompleted([42 as never])).toThrow(
            new TypeError("An asyncio.Future, a coroutine or an awaitable is required"),
          );
          yield* sleep(0);
        })(),
      );
    });
  });
});
