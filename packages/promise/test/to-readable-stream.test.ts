// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
// toReadableStream: asyncio-ts async iterators as web ReadableStreams with a pull() source, and
// the round trip back through fromAsyncIterable.
import {
  asyncFor,
  asyncGenerator,
  BaseEventLoop,
  BREAK,
  CancelledError,
  type Coroutine,
  createTask,
  type Emit,
  RuntimeError,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { fromAsyncIterable, fromPromise, toAsyncIterable, toReadableStream } from "../src/index.js";
import { failOnUnhandledRejections, forever, macrotask, now, thrown } from "./helpers.js";

failOnUnhandledRejections();

/** 0..n-1, one every `gap` seconds; logs what it makes (with the time) and its cleanup. */
const ticker = asyncGenerator(function* (
  emit: Emit<number>,
  n: number,
  gap: number,
  log: string[],
) {
  try {
    for (let i = 0; i < n; i++) {
      yield* sleep(gap);
      log.push(`made ${i}@${now()}`);
      yield* emit(i);
    }
  } finally {
    log.push(`finally@${now()}`);
  }
});

async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader();
  const out: T[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe("toReadableStream: reading", () => {
  it("a reader gets every item in order, then done", async () => {
    const log: string[] = [];
    const got = await runVirtual(
      (function* () {
        return yield* fromPromise(readAll(toReadableStream(ticker(3, 0, log))));
      })(),
    );
    expect(got).toEqual([0, 1, 2]);
    expect(log).toEqual(["made 0@0", "made 1@0", "made 2@0", "finally@0"]);
  });

  it("pipes through native transforms: a Response body", async () => {
    const words = asyncGenerator(function* (emit) {
      yield* emit("hello ");
      yield* sleep(0);
      yield* emit("world");
    });
    const text = await runVirtual(
      (function* () {
        const body = toReadableStream(words()).pipeThrough(new TextEncoderStream());
        return yield* fromPromise(new Response(body).text());
      })(),
    );
    expect(text).toBe("hello world");
  });

  it("an error from the source errors the stream with the same error", async () => {
    const boom = new Error("boom");
    const failing = asyncGenerator(function* (emit) {
      yield* emit(1);
      throw boom;
    });
    const got = await runVirtual(
      (function* () {
        const reader = toReadableStream(failing()).getReader();
        const first = yield* fromPromise(reader.read());
        const err = yield* thrown(fromPromise(reader.read()));
        return [first, err];
      })(),
    );
    expect(got).toEqual([{ done: false, value: 1 }, boom]);
  });
});

describe("toReadableStream: backpressure", () => {
  it("highWaterMark 0 (the default): nothing is made before a read, one item per read", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* () {
        const reader = toReadableStream(ticker(10, 0, log)).getReader();
        yield* fromPromise(macrotask());
        expect(log).toEqual([]);
        yield* fromPromise(reader.read());
        yield* fromPromise(macrotask());
        expect(log).toEqual(["made 0@0"]);
        yield* fromPromise(reader.read());
        yield* fromPromise(macrotask());
        expect(log).toEqual(["made 0@0", "made 1@0"]);
        yield* fromPromise(reader.cancel());
      })(),
    );
  });

  it("highWaterMark n: the stream keeps n items ahead of its reader, no more", async () => {
    let made = 0;
    const numbers = asyncGenerator(function* (emit) {
      for (;;) {
        made++;
        yield* emit(made);
      }
    });
    await runVirtual(
      (function* () {
        const stream = toReadableStream(numbers(), { highWaterMark: 3 });
        yield* fromPromise(macrotask());
        expect(made).toBe(3);
        const reader = stream.getReader();
        for (let i = 1; i <= 4; i++) {
          expect(yield* fromPromise(reader.read())).toEqual({ done: false, value: i });
          for (let j = 0; j < 3; j++) yield* fromPromise(macrotask());
          expect(made).toBe(i + 3);
        }
        yield* fromPromise(reader.cancel());
      })(),
    );
  });
});

describe("toReadableStream: cancel()", () => {
  it("cancel() awaits aclose(): a finally that awaits has finished", async () => {
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
    await runVirtual(
      (function* () {
        const reader = toReadableStream(slowCleanup()).getReader();
        yield* fromPromise(reader.read());
        yield* fromPromise(reader.cancel("not needed"));
        log.push("cancel() resolved");
      })(),
    );
    expect(log).toEqual(["cleaned up", "cancel() resolved"]);
  });

  it("cancel() while a pull waits cancels that step, so the source closes at once", async () => {
    const log: string[] = [];
    const stuck = asyncGenerator(function* (emit) {
      try {
        yield* forever();
        yield* emit(1);
      } finally {
        log.push("finally");
      }
    });
    const got = await runVirtual(
      (function* () {
        const reader = toReadableStream(stuck()).getReader();
        const read = reader.read();
        yield* fromPromise(macrotask());
        yield* fromPromise(reader.cancel());
        return yield* fromPromise(read);
      })(),
    );
    expect(got).toEqual({ done: true, value: undefined });
    expect(log).toEqual(["finally"]);
  });
});

/** asyncFor over fromAsyncIterable(make()), with the stream made inside the running loop. */
function* readBack<T>(
  make: () => ReadableStream<T> | AsyncIterable<T>,
  body: (item: T) => unknown,
): Coroutine<boolean> {
  return yield* asyncFor(fromAsyncIterable(make()), body);
}

describe("round trip: agen → toReadableStream → fromAsyncIterable", () => {
  it("every item, at the virtual time it was made, then the generator's cleanup", async () => {
    const log: string[] = [];
    await runVirtual(
      readBack(
        () => toReadableStream(ticker(3, 1, log)),
        (i) => {
          log.push(`got ${i}@${now()}`);
        },
      ),
    );
    expect(log).toEqual([
      "made 0@1",
      "got 0@1",
      "made 1@2",
      "got 1@2",
      "made 2@3",
      "got 2@3",
      "finally@3",
    ]);
  });

  it("with highWaterMark 1 the stream reads ahead, and items still arrive at their own times", async () => {
    const log: string[] = [];
    await runVirtual(
      readBack(
        () => toReadableStream(ticker(3, 1, log), { highWaterMark: 1 }),
        function* (i) {
          log.push(`got ${i}@${now()}`);
          yield* sleep(0.5);
        },
      ),
    );
    expect(log).toEqual([
      "made 0@1",
      "got 0@1",
      "made 1@2",
      "got 1@2",
      "made 2@3",
      "got 2@3",
      "finally@3", // read ahead: the generator ran out while the consumer slept
    ]);
  });

  it("the same through toAsyncIterable, and the order is the same every run", async () => {
    const once = async () => {
      const log: string[] = [];
      await runVirtual(
        readBack(
          () => toAsyncIterable(ticker(3, 1, log)),
          (i) => {
            log.push(`got ${i}@${now()}`);
          },
        ),
      );
      return log;
    };
    const first = await once();
    expect(first).toEqual([
      "made 0@1",
      "got 0@1",
      "made 1@2",
      "got 1@2",
      "made 2@3",
      "got 2@3",
      "finally@3",
    ]);
    for (let i = 0; i < 3; i++) expect(await once()).toEqual(first);
  });

  it("BREAK cancels the stream, which closes the generator (its finally runs)", async () => {
    const log: string[] = [];
    const finished = await runVirtual(
      readBack(
        () => toReadableStream(ticker(10, 1, log)),
        (i) => {
          log.push(`got ${i}`);
          if (i === 1) return BREAK;
        },
      ),
    );
    expect(finished).toBe(false);
    expect(log).toEqual(["made 0@1", "got 0", "made 1@2", "got 1", "finally@2"]);
  });

  it("closing waits for a cleanup that sleeps, and virtual time runs meanwhile", async () => {
    const log: string[] = [];
    const slowCleanup = asyncGenerator(function* (emit: Emit<number>) {
      try {
        for (let i = 0; ; i++) yield* emit(i);
      } finally {
        yield* sleep(2);
        log.push(`cleaned up@${now()}`);
      }
    });
    await runVirtual(
      (function* () {
        yield* readBack(
          () => toReadableStream(slowCleanup()),
          (i) => (i === 1 ? BREAK : undefined),
        );
        log.push(`loop ended@${now()}`);
      })(),
    );
    expect(log).toEqual(["cleaned up@2", "loop ended@2"]);
  });

  it("cancelling the consuming task closes the generator, even while it sleeps", async () => {
    const log: string[] = [];
    const err = await runVirtual(
      (function* (): Coroutine<unknown> {
        const consumer = createTask(
          asyncFor(fromAsyncIterable(toReadableStream(ticker(10, 5, log))), (i) => {
            log.push(`got ${i}`);
          }),
        );
        yield* sleep(7);
        consumer.cancel();
        const e = yield* thrown(consumer);
        yield* sleep(0);
        return e;
      })(),
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect(log).toEqual(["made 0@5", "got 0", "finally@7"]);
  });

  it("through toAsyncIterable too: cancelling the consumer closes the generator", async () => {
    const log: string[] = [];
    await runVirtual(
      (function* (): Coroutine<void> {
        const consumer = createTask(
          readBack(
            () => toAsyncIterable(ticker(10, 5, log)),
            (i) => {
              log.push(`got ${i}`);
            },
          ),
        );
        yield* sleep(7);
        consumer.cancel();
        yield* thrown(consumer);
        yield* sleep(0);
      })(),
    );
    expect(log).toEqual(["made 0@5", "got 0", "finally@7"]);
  });

  it("an error in the generator reaches the consumer as is", async () => {
    const boom = new RangeError("out of range");
    const failing = asyncGenerator(function* (emit: Emit<string>) {
      yield* emit("a");
      yield* sleep(1);
      throw boom;
    });
    const seen: string[] = [];
    const err = await runVirtual(
      thrown(
        readBack(
          () => toReadableStream(failing()),
          (s) => {
            seen.push(s);
          },
        ),
      ),
    );
    expect(seen).toEqual(["a"]);
    expect(err).toBe(boom);
  });
});

describe("toReadableStream: bad input", () => {
  it("a bad highWaterMark is a TypeError or RangeError at the call", async () => {
    await runVirtual(
      (function* () {
        const gen = ticker(1, 0, []);
        expect(() => toReadableStream(gen, { highWaterMark: "2" as never })).toThrow(
          new TypeError('Expected `options.highWaterMark` to be a number, got `"2"` (string)'),
        );
        expect(() => toReadableStream(gen, { highWaterMark: Number.NaN })).toThrow(TypeError);
        expect(() => toReadableStream(gen, { highWaterMark: -1 })).toThrow(
          new RangeError("Expected `options.highWaterMark` to be >= 0, got -1"),
        );
      })(),
    );
  });

  it("a bad source, or no loop, as toAsyncIterable", () => {
    expect(() => toReadableStream(null as never)).toThrow(
      new TypeError(
        "Expected `source` to be an async iterable (an object with aiter() or anext()), got `null`",
      ),
    );
    expect(() => toReadableStream(ticker(1, 0, []))).toThrow(
      new RuntimeError(
        "no running event loop: call toReadableStream() inside a running loop or pass `options.loop`",
      ),
    );
    const loop = new BaseEventLoop();
    loop.close();
    expect(() => toReadableStream(ticker(1, 0, []), { loop })).toThrow("Event loop is closed");
  });
});
