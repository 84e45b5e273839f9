// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
// toAsyncIterable: asyncio-ts async iterators as native async iterators (for await,
// Readable.from), one anext() per native next(), run as a task on the loop.
import { Readable } from "node:stream";
import {
  type AIterator,
  asyncGenerator,
  BaseEventLoop,
  CancelledError,
  type Coroutine,
  type Emit,
  getRunningLoop,
  RuntimeError,
  run,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import {
  type AdaptedAsyncIterator,
  fromPromise,
  runCoroutineThreadsafe,
  toAsyncIterable,
} from "../src/index.js";
import { failOnUnhandledRejections, forever, macrotask, now, settled, thrown } from "./helpers.js";

failOnUnhandledRejections();

/** An async generator of 0..n-1 that logs what it makes and when it is cleaned up. */
const counter = asyncGenerator(function* (emit: Emit<number>, n: number, log: string[]) {
  try {
    for (let i = 0; i < n; i++) {
      yield* sleep(0);
      log.push(`made ${i}`);
      yield* emit(i);
    }
  } finally {
    log.push("finally");
  }
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

describe("toAsyncIterable: for await in native code", () => {
  it("gives every item in order, then done, and stays done", async () => {
    const log: string[] = [];
    const [items, after] = await runVirtual(
      (function* () {
        const it = toAsyncIterable(counter(3, log));
        const got = yield* fromPromise(collect(it));
        return [got, yield* fromPromise(it.next())];
      })(),
    );
    expect(items).toEqual([0, 1, 2]);
    expect(after).toEqual({ done: true, value: undefined });
    expect(log).toEqual(["made 0", "made 1", "made 2", "finally"]);
  });

  it("is its own async iterable", async () => {
    await runVirtual(
      (function* () {
        const it = toAsyncIterable(counter(0, []));
        expect(it[Symbol.asyncIterator]()).toBe(it);
        expect(Object.prototype.toString.call(it)).toBe("[object AsyncIterator]");
      })(),
    );
  });

  it("break in for await calls return(): the generator's finally has run when the loop ends", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const it = toAsyncIterable(counter(10, log));
        yield* fromPromise(
          (async () => {
            for await (const i of it) {
              log.push(`got ${i}`);
              if (i === 1) break;
            }
            log.push("after the loop");
          })(),
        );
      })(),
    );
    expect(log).toEqual(["made 0", "got 0", "made 1", "got 1", "finally", "after the loop"]);
  });

  it("an error from the source rejects next() with the same error; then it is done", async () => {
    const boom = new Error("boom");
    const failing = asyncGenerator(function* (emit) {
      yield* emit("ok");
      throw boom;
    });
    const got = await runVirtual(
      (function* () {
        const it = toAsyncIterable(failing());
        const out: unknown[] = [];
        const p = (async () => {
          for await (const x of it) out.push(x);
        })();
        out.push(yield* thrown(fromPromise(p)));
        out.push(yield* fromPromise(it.next()));
        return out;
      })(),
    );
    expect(got).toEqual(["ok", boom, { done: true, value: undefined }]);
  });

  it("works on any asyncio-ts async iterator, not only generators", async () => {
    let i = 0;
    const closed: string[] = [];
    const ticks: AIterator<number, void> = {
      *anext(): Coroutine<IteratorResult<number, void>> {
        yield* sleep(0);
        return i < 2 ? { done: false, value: i++ } : { done: true, value: undefined };
      },
      *aclose(): Coroutine<void> {
        closed.push("aclose");
      },
    };
    const items = await runVirtual(
      (function* () {
        return yield* fromPromise(collect(toAsyncIterable(ticks)));
      })(),
    );
    expect(items).toEqual([0, 1]);
    expect(closed).toEqual([]); // ran out: nothing to close
  });
});

describe("toAsyncIterable: backpressure", () => {
  it("nothing is made until next() is called, and one item per next()", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const it = toAsyncIterable(counter(5, log));
        yield* sleep(10);
        expect(log).toEqual([]);
        expect(yield* fromPromise(it.next())).toEqual({ done: false, value: 0 });
        yield* sleep(10);
        expect(log).toEqual(["made 0"]);
        yield* fromPromise(it.next());
        yield* sleep(10);
        expect(log).toEqual(["made 0", "made 1"]);
        yield* fromPromise(it.return());
      })(),
    );
  });

  it("Readable.from pulls only as the consumer reads: at most highWaterMark + 1 ahead", async () => {
    const HWM = 2;
    let made = 0;
    let consumed = 0;
    let maxAhead = 0;
    const numbers = asyncGenerator(function* (emit) {
      for (let i = 0; i < 20; i++) {
        made++;
        yield* emit(i);
      }
    });
    const got = await runVirtual(
      (function* () {
        const readable = Readable.from(toAsyncIterable(numbers()), { highWaterMark: HWM });
        return yield* fromPromise(
          (async () => {
            const out: number[] = [];
            for await (const n of readable) {
              out.push(n);
              consumed++;
              // A slow consumer: the producer gets several host turns to run ahead.
              for (let i = 0; i < 5; i++) await macrotask();
              maxAhead = Math.max(maxAhead, made - consumed);
            }
            return out;
          })(),
        );
      })(),
    );
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(maxAhead).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThanOrEqual(HWM + 1);
  });

  it("concurrent next() calls are queued and answered in order", async () => {
    const log: string[] = [];
    const got = await runVirtual(
      (function* () {
        const it = toAsyncIterable(counter(2, log));
        return yield* fromPromise(Promise.all([it.next(), it.next(), it.next(), it.next()]));
      })(),
    );
    expect(got).toEqual([
      { done: false, value: 0 },
      { done: false, value: 1 },
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });
});

describe("toAsyncIterable: return() and throw()", () => {
  it("return() awaits aclose(): a finally that awaits has finished", async () => {
    const log: string[] = [];
    const slowCleanup = asyncGenerator(function* (emit) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        yield* sleep(0);
        log.push("cleaned up");
      }
    });
    const r = await runVirtual(
      (function* () {
        const it = toAsyncIterable(slowCleanup());
        yield* fromPromise(it.next());
        const closed = yield* fromPromise(it.return());
        log.push("return() resolved");
        return [closed, yield* fromPromise(it.next())];
      })(),
    );
    expect(log).toEqual(["cleaned up", "return() resolved"]);
    expect(r).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });

  it("return() while a next() is pending cancels that step: it resolves done, the source is closed", async () => {
    const log: string[] = [];
    const stuck = asyncGenerator(function* (emit) {
      try {
        yield* emit("first");
        yield* forever();
      } finally {
        log.push("finally");
      }
    });
    const got = await runVirtual(
      (function* () {
        const it = toAsyncIterable(stuck());
        yield* fromPromise(it.next());
        const pending = it.next();
        yield* sleep(0);
        const closed = it.return();
        return yield* fromPromise(Promise.all([pending, closed]));
      })(),
    );
    expect(got).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(log).toEqual(["finally"]);
  });

  it("throw(e) raises e inside the generator where it is paused, and ends the iteration", async () => {
    const log: string[] = [];
    const gen = asyncGenerator(function* (emit) {
      try {
        yield* emit(1);
        yield* emit(2);
      } catch (e) {
        log.push(`caught ${(e as Error).message}`);
        throw e;
      }
    });
    const boom = new Error("stop");
    const got = await runVirtual(
      (function* () {
        const it = toAsyncIterable(gen());
        yield* fromPromise(it.next());
        const err = yield* thrown(fromPromise(it.throw(boom)));
        return [err, yield* fromPromise(it.next())];
      })(),
    );
    expect(log).toEqual(["caught stop"]);
    expect(got).toEqual([boom, { done: true, value: undefined }]);
  });

  it("throw(e) on an iterator without athrow closes it and rejects with e", async () => {
    const closed: string[] = [];
    const plain: AIterator<number, void> = {
      *anext(): Coroutine<IteratorResult<number, void>> {
        return { done: false, value: 1 };
      },
      *aclose(): Coroutine<void> {
        closed.push("aclose");
      },
    };
    const boom = new Error("stop");
    const err = await runVirtual(
      (function* () {
        const it = toAsyncIterable(plain);
        yield* fromPromise(it.next());
        return yield* thrown(fromPromise(it.throw(boom)));
      })(),
    );
    expect(err).toBe(boom);
    expect(closed).toEqual(["aclose"]);
  });

  it("a Readable.from stream destroyed early closes the generator", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const readable = Readable.from(toAsyncIterable(counter(100, log)), { highWaterMark: 1 });
        yield* fromPromise(
          (async () => {
            for await (const n of readable) if (n === 2) break; // destroys the Readable
            // Node destroys it with an AbortError, which `events.once` would reject with.
            if (!readable.closed) await new Promise((resolve) => readable.on("close", resolve));
          })(),
        );
        expect(readable.destroyed).toBe(true);
      })(),
    );
    expect(log.at(-1)).toBe("finally");
    expect(log.filter((l) => l.startsWith("made")).length).toBeLessThanOrEqual(5);
  });
});

describe("toAsyncIterable: the loop", () => {
  it("next() awaited inside the loop is the loop's own work: virtual time still runs", async () => {
    const sleepy = asyncGenerator(function* (emit) {
      yield* sleep(5);
      yield* emit(now());
      yield* sleep(5);
      yield* emit(now());
    });
    const got = await runVirtual(
      (function* () {
        const it = toAsyncIterable(sleepy());
        const a = yield* fromPromise(it.next());
        const b = yield* fromPromise(it.next());
        return [a, b, now()];
      })(),
    );
    expect(got).toEqual([{ done: false, value: 5 }, { done: false, value: 10 }, 10]);
  });

  it("a next() Promise made outside the loop, awaited inside it, is still the loop's own work", async () => {
    const sleepy = asyncGenerator(function* (emit: Emit<number>) {
      yield* sleep(5);
      yield* emit(now());
    });
    const got = await runVirtual(
      (function* () {
        const iter = toAsyncIterable(sleepy());
        let p!: Promise<IteratorResult<number, void>>;
        // A host callback (outside the loop) calls next().
        yield* fromPromise(
          new Promise<void>((resolve) =>
            setImmediate(() => {
              p = iter.next();
              resolve();
            }),
          ),
        );
        return [yield* fromPromise(p), now()];
      })(),
    );
    expect(got).toEqual([{ done: false, value: 5 }, 5]);
  });

  it("from outside any loop with options.loop: steps go through callSoonThreadsafe", async () => {
    const loop = new BaseEventLoop();
    const running = loop.runForever();
    const log: string[] = [];
    try {
      const items = await collect(toAsyncIterable(counter(3, log), { loop }));
      expect(items).toEqual([0, 1, 2]);
      expect(log).toEqual(["made 0", "made 1", "made 2", "finally"]);
    } finally {
      loop.stop();
      await running;
      loop.close();
    }
  });

  it("a task of another loop can consume it (each loop drives its own side)", async () => {
    const other = new BaseEventLoop();
    const otherRunning = other.runForever();
    try {
      const it = await runCoroutineThreadsafe(
        (function* () {
          return toAsyncIterable(counter(3, []));
        })(),
        other,
      );
      const got = await runVirtual(
        (function* () {
          return yield* fromPromise(collect(it));
        })(),
      );
      expect(got).toEqual([0, 1, 2]);
    } finally {
      other.stop();
      await otherRunning;
      other.close();
    }
  });

  it("next() after the loop is closed rejects with RuntimeError (it does not throw)", async () => {
    let it!: AdaptedAsyncIterator<number>;
    await run(
      (function* () {
        it = toAsyncIterable(counter(3, []));
      })(),
    );
    const [kind, err] = await settled(it.next());
    expect(kind).toBe("err");
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("Event loop is closed");
  });

  it("a next() still pending when run() ends rejects with CancelledError", async () => {
    let pending!: Promise<["ok" | "err", unknown]>;
    await run(
      (function* () {
        const it = toAsyncIterable(
          asyncGenerator(function* (emit) {
            yield* forever();
            yield* emit(1);
          })(),
        );
        pending = settled(it.next());
        yield* sleep(0);
      })(),
    );
    const [kind, err] = await pending;
    expect(kind).toBe("err");
    expect(err).toBeInstanceOf(CancelledError);
  });
});

describe("toAsyncIterable: bad input", () => {
  it("a non-iterable source is a TypeError at the call", async () => {
    await runVirtual(
      (function* () {
        expect(() => toAsyncIterable(42 as never)).toThrow(
          new TypeError(
            "Expected `source` to be an async iterable (an object with aiter() or anext()), got `42`",
          ),
        );
      })(),
    );
  });

  it("a native async iterable is a TypeError saying to use it directly", async () => {
    async function* native() {
      yield 1;
    }
    await runVirtual(
      (function* () {
        expect(() => toAsyncIterable(native() as never)).toThrow(
          /got `\[AsyncGenerator\]`: it already is a JS async iterable, use it directly$/,
        );
      })(),
    );
  });

  it("outside a running loop without options.loop: RuntimeError", () => {
    expect(() => toAsyncIterable(counter(1, []))).toThrow(
      new RuntimeError(
        "no running event loop: call toAsyncIterable() inside a running loop or pass `options.loop`",
      ),
    );
  });

  it("a bad or closed options.loop", () => {
    const closed = new BaseEventLoop();
    closed.close();
    expect(() => toAsyncIterable(counter(1, []), { loop: closed })).toThrow(
      new RuntimeError("Event loop is closed"),
    );
    expect(() => toAsyncIterable(counter(1, []), { loop: {} as never })).toThrow(
      new TypeError("Expected `options.loop` to be an event loop, got `[Object]` (object)"),
    );
    expect(() => toAsyncIterable(counter(1, []), 5 as never)).toThrow(
      new TypeError("Expected `options` to be an object, got `5` (number)"),
    );
  });

  it("the running loop is the default", async () => {
    await runVirtual(
      (function* () {
        const loop = getRunningLoop();
        const it = toAsyncIterable(counter(1, []));
        expect(yield* fromPromise(it.next())).toEqual({ done: false, value: 0 });
        expect(getRunningLoop()).toBe(loop);
      })(),
    );
  });
});
