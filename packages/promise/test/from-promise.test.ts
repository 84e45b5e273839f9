// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import {
  BaseEventLoop,
  CancelledError,
  type Coroutine,
  createTask,
  Future,
  getRunningLoop,
  isCancelledError,
  RuntimeError,
  run,
} from "@asyncio-ts/core";
import { runVirtual, VirtualTimeEventLoop } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { fromPromise, toPromise } from "../src/index.js";
import {
  captureExceptions,
  collectUntil,
  forever,
  hasGc,
  later,
  never,
  now,
  settled,
  thrown,
} from "./helpers.js";

describe("fromPromise: success", () => {
  it("gives a Future on the running loop that settles with the Promise's value", async () => {
    const r = await run(
      (function* () {
        const fut = fromPromise(Promise.resolve(42));
        expect(fut).toBeInstanceOf(Future);
        expect(fut.getLoop()).toBe(getRunningLoop());
        expect(fut.done()).toBe(false);
        expect(String(fut)).toBe("<Future pending>");
        const v = yield* fut;
        expect(fut.result()).toBe(42);
        return v;
      })(),
    );
    expect(r).toBe(42);
  });

  it("delivers through the loop, never synchronously, even for a settled Promise", async () => {
    await runVirtual(
      (function* () {
        const fut = fromPromise(Promise.resolve("x"));
        yield* sleep(0);
        expect(fut.done()).toBe(false); // still in the batch that made it
        expect(yield* fut).toBe("x");
      })(),
    );
  });

  it("waits for a Promise settled later by outside work", async () => {
    const v = await runVirtual(
      (function* () {
        return yield* fromPromise(later(10, "late"));
      })(),
    );
    expect(v).toBe("late");
  });

  it("accepts any PromiseLike, and takes only its first outcome", async () => {
    const thenable: PromiseLike<number> = {
      // biome-ignore lint/suspicious/noThenProperty: a hand-made PromiseLike is the point.
      then(onfulfilled, onrejected) {
        onfulfilled?.(1);
        onfulfilled?.(2);
        onrejected?.(new Error("ignored"));
        return Promise.resolve() as never;
      },
    };
    const v = await runVirtual(
      (function* () {
        return yield* fromPromise(thenable);
      })(),
    );
    expect(v).toBe(1);
  });

  it("calls a factory at once with a fresh, unaborted AbortSignal", async () => {
    let seen: AbortSignal | null = null;
    const v = await runVirtual(
      (function* () {
        const fut = fromPromise(async (signal) => {
          seen = signal;
          return "made";
        });
        expect(seen).toBeInstanceOf(AbortSignal);
        expect(seen!.aborted).toBe(false);
        return yield* fut;
      })(),
    );
    expect(v).toBe("made");
    expect(seen!.aborted).toBe(false); // settled normally: never aborted afterwards
  });

  it("makes the future on options.loop, from outside any loop", async () => {
    const loop = new VirtualTimeEventLoop();
    const fut = fromPromise(later(5, "outside"), { loop });
    expect(fut.getLoop()).toBe(loop);
    expect(await loop.runUntilComplete(fut)).toBe("outside");
    loop.close();
  });

  it("returns a Future of the same loop as is (asyncio.wrap_future)", async () => {
    await runVirtual(
      (function* () {
        const f = getRunningLoop().createFuture<number>();
        expect(fromPromise(f)).toBe(f);
        const t = createTask(sleep(1, "t"));
        expect(fromPromise(t)).toBe(t);
        t.cancel();
      })(),
    );
  });

  it("follows a Future of another loop like a Promise", async () => {
    const other = new BaseEventLoop();
    const theirs = other.createFuture<string>();
    const running = other.runForever();
    const v = await runVirtual(
      (function* () {
        const mine = fromPromise(theirs);
        expect(mine).not.toBe(theirs);
        expect(mine.getLoop()).toBe(getRunningLoop());
        other.callSoonThreadsafe(() => theirs.setResult("from the other loop"));
        return yield* mine;
      })(),
    );
    expect(v).toBe("from the other loop");
    other.callSoonThreadsafe(() => other.stop());
    await running;
    other.close();
  });

  it("keeps the order of results that arrive together: call order", async () => {
    const v = await runVirtual(
      (function* () {
        const order: string[] = [];
        const fs = ["a", "b", "c", "d"].map((s) => fromPromise(Promise.resolve(s)));
        for (const f of fs) f.addDoneCallback(() => order.push(f.result()));
        for (const f of fs) yield* f;
        return order;
      })(),
    );
    expect(v).toEqual(["a", "b", "c", "d"]);
  });
});

describe("fromPromise: errors", () => {
  it("a rejection becomes the future's exception, the same object", async () => {
    const boom = new Error("boom");
    const [e, fromFut] = await runVirtual(
      (function* () {
        const fut = fromPromise(Promise.reject(boom));
        const e = yield* thrown(fut);
        return [e, fut.exception()];
      })(),
    );
    expect(e).toBe(boom);
    expect(fromFut).toBe(boom);
  });

  it("keeps non-Error rejection values as they are", async () => {
    const obj = { code: 7 };
    const got = await runVirtual(
      (function* () {
        const out: unknown[] = [];
        for (const reason of ["text", 0, obj, null]) {
          out.push(yield* thrown(fromPromise(Promise.reject(reason))));
        }
        return out;
      })(),
    );
    expect(got).toEqual(["text", 0, obj, null]);
    expect(got[2]).toBe(obj);
  });

  it("a rejection with CancelledError cancels the future, keeping the message", async () => {
    await runVirtual(
      (function* () {
        const fut = fromPromise(Promise.reject(new CancelledError("upstream")));
        const e = yield* thrown(fut);
        expect(fut.cancelled()).toBe(true);
        expect(e).toBeInstanceOf(CancelledError);
        expect((e as Error).message).toBe("upstream");
      })(),
    );
  });

  it("a factory that throws synchronously: the future fails with it at once", async () => {
    const boom = new TypeError("bad url");
    await runVirtual(
      (function* () {
        const fut = fromPromise(() => {
          throw boom;
        });
        expect(fut.done()).toBe(true);
        expect(fut.exception()).toBe(boom);
        // It took no outside-work hold: the clock still jumps.
        yield* sleep(3);
        expect(now()).toBe(3);
      })(),
    );
  });

  it("a factory that returns no Promise: the future fails with a TypeError", async () => {
    await runVirtual(
      (function* () {
        const fut = fromPromise((() => 42) as never);
        expect(fut.done()).toBe(true);
        const e = fut.exception() as Error;
        expect(e).toBeInstanceOf(TypeError);
        expect(e.message).toBe(
          "Expected the factory passed to fromPromise() to return a Promise (PromiseLike), got `42` (number)",
        );
        const e2 = fromPromise((() => sleep(1)) as never).exception() as Error;
        expect(e2.message).toMatch(
          /got `\[Object SleepCoroutine\]` \(object\): a coroutine is awaited with `yield\*` directly$/,
        );
      })(),
    );
  });

  it("a thenable whose then() throws: the future fails with that error", async () => {
    const boom = new Error("then exploded");
    const e = await runVirtual(
      (function* () {
        return yield* thrown(
          fromPromise({
            // biome-ignore lint/suspicious/noThenProperty: a hand-made PromiseLike is the point.
            then() {
              throw boom;
            },
          }),
        );
      })(),
    );
    expect(e).toBe(boom);
  });

  it.skipIf(!hasGc)("reports a rejected future nobody awaited, as Python", async () => {
    const loop = new VirtualTimeEventLoop();
    const seen = captureExceptions(loop);
    await loop.runUntilComplete(
      (function* () {
        const lost = fromPromise(Promise.reject(new Error("lost")));
        yield* fromPromise(Promise.resolve()); // delivered after `lost`
        expect(lost.done()).toBe(true);
      })(),
    );
    expect(await collectUntil(() => seen.length > 0)).toBe(true);
    expect(seen[0]?.message).toBe("Future exception was never retrieved");
    expect((seen[0]!.exception as Error).message).toBe("lost");
    loop.close();
  });
});

describe("fromPromise: cancellation", () => {
  it("cancel() aborts the signal with an AbortError whose cause is a CancelledError", async () => {
    let signal!: AbortSignal;
    let inner!: Promise<never>;
    await runVirtual(
      (function* () {
        const fut = fromPromise((s) => {
          signal = s;
          inner = new Promise<never>((_, reject) =>
            s.addEventListener("abort", () => reject(s.reason)),
          );
          return inner;
        });
        expect(fut.cancel("user left")).toBe(true);
        expect(signal.aborted).toBe(true); // at once, not one iteration later
        expect(fut.cancelled()).toBe(true);
        const e = yield* thrown(fut);
        expect(e).toBeInstanceOf(CancelledError);
        expect((e as Error).message).toBe("user left");
      })(),
    );
    const reason = signal.reason as DOMException;
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason.name).toBe("AbortError");
    expect(reason.message).toBe("user left");
    expect(reason.cause).toBeInstanceOf(CancelledError);
    expect((reason.cause as Error).message).toBe("user left");
    expect(await settled(inner)).toEqual(["err", reason]);
  });

  it("without a message the reason says the operation was aborted", async () => {
    let signal!: AbortSignal;
    await runVirtual(
      (function* () {
        const fut = fromPromise((s) => {
          signal = s;
          return never();
        });
        fut.cancel();
      })(),
    );
    expect((signal.reason as Error).message).toBe("This operation was aborted");
    expect(((signal.reason as Error).cause as Error).message).toBe("");
  });

  it("cancelling the awaiting task aborts the signal; the task sees CancelledError", async () => {
    let signal!: AbortSignal;
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const t = createTask(
          (function* (): Coroutine<void> {
            try {
              yield* fromPromise((s) => {
                signal = s;
                return never();
              });
            } catch (e) {
              log.push(`caught ${isCancelledError(e)} ${(e as Error).message}`);
              throw e;
            } finally {
              log.push("finally");
            }
          })(),
        );
        yield* sleep(0);
        t.cancel("shutting down");
        yield* sleep(0);
        expect(signal.aborted).toBe(true);
        expect((signal.reason as Error).message).toBe("shutting down");
        yield* thrown(t);
        expect(t.cancelled()).toBe(true);
      })(),
    );
    expect(log).toEqual(["caught true shutting down", "finally"]);
  });

  it("does not abort once the outcome is in", async () => {
    let signal!: AbortSignal;
    await runVirtual(
      (function* () {
        const fut = fromPromise(async (s) => {
          signal = s;
          return 1;
        });
        yield* fut;
        expect(fut.cancel()).toBe(false);
      })(),
    );
    expect(signal.aborted).toBe(false);
  });

  it("drops an outcome that arrives after cancel, without complaint", async () => {
    const loop = new VirtualTimeEventLoop();
    const seen = captureExceptions(loop);
    let resolve!: (v: number) => void;
    await loop.runUntilComplete(
      (function* () {
        const fut = fromPromise(new Promise<number>((r) => (resolve = r)));
        fut.cancel();
        resolve(5);
        yield* fromPromise(later(5, null)); // the late outcome comes and goes meanwhile
        expect(fut.cancelled()).toBe(true);
      })(),
    );
    expect(seen).toEqual([]);
    loop.close();
  });

  it("a future completed by hand keeps its value; the late outcome is dropped", async () => {
    await runVirtual(
      (function* () {
        const fut = fromPromise(later(5, "promise"));
        fut.setResult("by hand");
        expect(yield* fut).toBe("by hand");
        yield* fromPromise(later(10, null));
        expect(fut.result()).toBe("by hand");
        // The hold ended when the late outcome arrived: the clock jumps again.
        yield* sleep(2);
        expect(now()).toBe(2);
      })(),
    );
  });
});

describe("fromPromise: a closed loop", () => {
  it("drops an outcome that arrives after the loop closed, and releases the hold", async () => {
    const loop = new VirtualTimeEventLoop();
    let fut!: Future<string>;
    let rejected!: Future<string>;
    await loop.runUntilComplete(
      (function* () {
        fut = fromPromise(later(5, "too late"));
        rejected = fromPromise(later(5, null).then(() => Promise.reject(new Error("late"))));
      })(),
    );
    loop.close();
    expect(loop._externalWork).toBe(2);
    await later(15, null);
    expect(fut.done()).toBe(false);
    expect(rejected.done()).toBe(false);
    expect(loop._externalWork).toBe(0);
  });
});

describe("fromPromise: bad input", () => {
  it.each([
    [42, "`42` (number)"],
    [null, "`null` (object)"],
    [undefined, "`undefined` (undefined)"],
    ["https://x", '`"https://x"` (string)'],
    [{ a: 1 }, "`[Object]` (object)"],
  ])("%s is a TypeError naming the value and what was expected", (bad, shown) => {
    expect(() => fromPromise(bad as never)).toThrow(TypeError);
    expect(() => fromPromise(bad as never)).toThrow(
      `Expected \`p\` to be a Promise (PromiseLike) or a function (signal) => Promise, got ${shown}`,
    );
  });

  it("a coroutine is a TypeError pointing at yield*, even one that is a Future", async () => {
    function* gen(): Coroutine<number> {
      return 1;
    }
    expect(() => fromPromise(gen() as never)).toThrow(
      "Expected `p` to be a Promise (PromiseLike) or a function (signal) => Promise, got `[Generator]` (object): a coroutine is awaited with `yield*` directly",
    );
    expect(() => fromPromise(sleep(1) as never)).toThrow(/a coroutine is awaited with `yield\*`/);
  });

  it("is checked before the loop: bad input outside a loop is still a TypeError", () => {
    expect(() => fromPromise(1 as never)).toThrow(TypeError);
  });

  it("no running loop and no options.loop is RuntimeError('no running event loop')", () => {
    const p = Promise.resolve(1);
    expect(() => fromPromise(p)).toThrow(RuntimeError);
    expect(() => fromPromise(p)).toThrow("no running event loop");
    expect(() => fromPromise(p, { loop: null })).toThrow("no running event loop");
  });

  it("a bad options.loop or options is a TypeError; a closed loop a RuntimeError", () => {
    const p = Promise.resolve(1);
    expect(() => fromPromise(p, { loop: {} as never })).toThrow(
      "Expected `options.loop` to be an event loop, got `[Object]` (object)",
    );
    expect(() => fromPromise(p, 5 as never)).toThrow(
      "Expected `options` to be an object, got `5` (number)",
    );
    const loop = new BaseEventLoop();
    loop.close();
    expect(() => fromPromise(p, { loop })).toThrow(RuntimeError);
    expect(() => fromPromise(p, { loop })).toThrow("Event loop is closed");
  });

  it("a factory is never called when the arguments are bad", () => {
    let called = false;
    expect(() =>
      fromPromise(
        async () => {
          called = true;
        },
        { loop: 1 as never },
      ),
    ).toThrow(TypeError);
    expect(called).toBe(false);
  });
});

describe("fromPromise with toPromise", () => {
  it("a round trip through a Promise of the same loop is no outside work", async () => {
    const v = await runVirtual(
      (function* () {
        const r = yield* fromPromise(toPromise(sleep(60, "slept")));
        return [r, now()];
      })(),
    );
    expect(v).toEqual(["slept", 60]);
  });

  it("a failing or cancelled task comes back as such", async () => {
    await runVirtual(
      (function* () {
        const boom = new Error("inner");
        const bad = createTask(
          (function* (): Coroutine<never> {
            yield* sleep(1);
            throw boom;
          })(),
        );
        expect(yield* thrown(fromPromise(toPromise(bad)))).toBe(boom);
        const t = createTask(forever());
        const back = fromPromise(toPromise(t));
        yield* sleep(0);
        t.cancel("stop");
        const e = yield* thrown(back);
        expect(back.cancelled()).toBe(true);
        expect((e as Error).message).toBe("stop");
      })(),
    );
  });

  it("cancelling the future does not cancel the task behind the Promise", async () => {
    await runVirtual(
      (function* () {
        const t = createTask(sleep(5, "t"));
        const back = fromPromise(toPromise(t));
        back.cancel();
        expect(yield* t).toBe("t");
        expect(now()).toBe(5);
      })(),
    );
  });
});
