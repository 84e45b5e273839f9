// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
// fromAsyncIterable: native async iterables (async generators, Node Readables, web
// ReadableStreams) as asyncio-ts async iterators, one native request per anext().
import { PassThrough, Readable } from "node:stream";
import {
  AGenerator,
  asyncFor,
  asyncGenerator,
  BREAK,
  CancelledError,
  type Coroutine,
  createTask,
} from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { fromAsyncIterable, fromPromise } from "../src/index.js";
import { failOnUnhandledRejections, macrotask, now, thrown } from "./helpers.js";

/** Every item of `it`, through anext() calls. */
function* drain<T>(it: { anext(): Iterable<unknown> }): Coroutine<T[]> {
  const out: T[] = [];
  for (;;) {
    const r = (yield* it.anext() as Coroutine<IteratorResult<T>>) as IteratorResult<T>;
    if (r.done) return out;
    out.push(r.value);
  }
}

/** A native async iterator that records the calls it gets; `next()` answers from `answers`. */
function spyIterator<T>(answers: Array<() => Promise<IteratorResult<T>>>) {
  const calls: string[] = [];
  const iterator: AsyncIterator<T> = {
    next() {
      calls.push("next");
      const answer = answers.shift();
      return answer ? answer() : Promise.resolve({ done: true, value: undefined });
    },
    return() {
      calls.push("return");
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  let opened = 0;
  const iterable: AsyncIterable<T> = {
    [Symbol.asyncIterator]() {
      opened++;
      return iterator;
    },
  };
  return { iterable, calls, opened: () => opened };
}

function item<T>(value: T): () => Promise<IteratorResult<T>> {
  return () => Promise.resolve({ done: false, value });
}

failOnUnhandledRejections();

describe("fromAsyncIterable: iterating", () => {
  it("gives every item of a native async generator in order, then done, and stays done", async () => {
    async function* letters() {
      yield "a";
      await Promise.resolve();
      yield "b";
      yield "c";
    }
    const got = await runVirtual(
      (function* () {
        const it = fromAsyncIterable(letters());
        const items = yield* drain<string>(it);
        const after = yield* it.anext();
        return [items, after];
      })(),
    );
    expect(got).toEqual([["a", "b", "c"], { done: true, value: undefined }]);
  });

  it("asyncFor over a Node Readable gets its chunks in order", async () => {
    const readable = Readable.from(["x", "y", "z"]);
    const seen: string[] = [];
    const finished = await runVirtual(
      asyncFor(fromAsyncIterable<string>(readable), (chunk) => {
        seen.push(chunk);
      }),
    );
    expect(seen).toEqual(["x", "y", "z"]);
    expect(finished).toBe(true);
    expect(readable.readableEnded).toBe(true);
  });

  it("reads a web ReadableStream through a reader and releases the lock at the end", async () => {
    const stream = new ReadableStream<number>({
      start(controller) {
        for (const n of [1, 2, 3]) controller.enqueue(n);
        controller.close();
      },
    });
    const got = await runVirtual(drain<number>(fromAsyncIterable(stream)));
    expect(got).toEqual([1, 2, 3]);
    expect(stream.locked).toBe(false);
  });

  it("a ReadableStream without Symbol.asyncIterator (some browsers) works the same", async () => {
    let i = 0;
    const stream = new ReadableStream<number>({
      pull(controller) {
        if (i < 3) controller.enqueue(i++);
        else controller.close();
      },
    });
    Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
    expect(await runVirtual(drain<number>(fromAsyncIterable(stream)))).toEqual([0, 1, 2]);
  });

  it("the adapter is its own async iterable and does not open the source before anext()", async () => {
    const spy = spyIterator([item(1)]);
    const it = fromAsyncIterable(spy.iterable);
    expect(it.aiter()).toBe(it);
    expect(spy.opened()).toBe(0);
    expect(await runVirtual(drain<number>(it))).toEqual([1]);
    expect(spy.opened()).toBe(1);
    expect(spy.calls).toEqual(["next", "next"]);
  });

  it("awaits exactly one native next() per anext(): no read-ahead", async () => {
    const spy = spyIterator([item("a"), item("b"), item("c")]);
    await runVirtual(
      (function* () {
        const it = fromAsyncIterable(spy.iterable);
        yield* it.anext();
        yield* sleep(1);
        expect(spy.calls).toEqual(["next"]);
        yield* it.anext();
        yield* sleep(1);
        expect(spy.calls).toEqual(["next", "next"]);
      })(),
    );
  });

  it("a pending native next() is outside work: under virtual time the clock waits for it", async () => {
    async function* slow() {
      await macrotask();
      yield "late";
    }
    const got = await runVirtual(
      (function* () {
        const racer = createTask(sleep(10, "timer"));
        const r = yield* fromAsyncIterable(slow()).anext();
        const t = now();
        racer.cancel();
        return [r, t];
      })(),
    );
    expect(got).toEqual([{ done: false, value: "late" }, 0]);
  });

  it("backpressure: a slow consumer keeps a Node Readable at most highWaterMark + 1 ahead", async () => {
    const HWM = 3;
    let made = 0;
    let consumed = 0;
    let maxAhead = 0;
    const readable = new Readable({
      objectMode: true,
      highWaterMark: HWM,
      read() {
        this.push(made < 20 ? made++ : null);
      },
    });
    await runVirtual(
      asyncFor(fromAsyncIterable<number>(readable), function* (n) {
        expect(n).toBe(consumed);
        consumed++;
        // A slow consumer: the stream gets several host turns to fill its buffer.
        for (let i = 0; i < 3; i++) yield* fromPromise(macrotask());
        maxAhead = Math.max(maxAhead, made - consumed);
      }),
    );
    expect(consumed).toBe(20);
    expect(maxAhead).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThanOrEqual(HWM + 1);
  });
});

describe("fromAsyncIterable: errors", () => {
  it("an error from a native async generator mid-way propagates as is, after the items before it", async () => {
    const boom = new Error("boom");
    async function* failing() {
      yield 1;
      yield 2;
      throw boom;
    }
    const seen: number[] = [];
    const [err, after] = await runVirtual(
      (function* () {
        const it = fromAsyncIterable(failing());
        const e = yield* thrown(
          asyncFor(it, (n) => {
            seen.push(n);
          }),
        );
        return [e, yield* it.anext()];
      })(),
    );
    expect(seen).toEqual([1, 2]);
    expect(err).toBe(boom);
    expect(after).toEqual({ done: true, value: undefined });
  });

  it("a raised source is finished: aclose() does not call its return()", async () => {
    const boom = new Error("boom");
    const spy = spyIterator<number>([item(1), () => Promise.reject(boom)]);
    await runVirtual(
      (function* () {
        const it = fromAsyncIterable(spy.iterable);
        expect(yield* thrown(drain(it))).toBe(boom);
        yield* it.aclose();
      })(),
    );
    expect(spy.calls).toEqual(["next", "next"]);
  });

  it("a web ReadableStream that errors mid-way: the same error, and the lock is released", async () => {
    const boom = new TypeError("bad chunk");
    let i = 0;
    const stream = new ReadableStream<number>({
      pull(controller) {
        if (i < 2) controller.enqueue(i++);
        else controller.error(boom);
      },
    });
    const seen: number[] = [];
    const err = await runVirtual(
      thrown(
        asyncFor(fromAsyncIterable(stream), (n) => {
          seen.push(n);
        }),
      ),
    );
    expect(seen).toEqual([0, 1]);
    expect(err).toBe(boom);
    expect(stream.locked).toBe(false);
  });

  it("a Node Readable destroyed with an error: the same error", async () => {
    const boom = new Error("socket hang up");
    const readable = new PassThrough({ objectMode: true });
    readable.write("first");
    const seen: string[] = [];
    const err = await runVirtual(
      thrown(
        asyncFor(fromAsyncIterable<string>(readable), (chunk) => {
          seen.push(chunk);
          setImmediate(() => readable.destroy(boom));
        }),
      ),
    );
    expect(seen).toEqual(["first"]);
    expect(err).toBe(boom);
  });

  it("a next() that throws synchronously, or resolves to a non-object, raises at the anext()", async () => {
    const boom = new Error("sync");
    const throwing: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          throw boom;
        },
      }),
    };
    const bad: AsyncIterable<number> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(42 as never) }),
    };
    const [e1, e2] = await runVirtual(
      (function* () {
        return [
          yield* thrown(fromAsyncIterable(throwing).anext()),
          yield* thrown(fromAsyncIterable(bad).anext()),
        ];
      })(),
    );
    expect(e1).toBe(boom);
    expect(e2).toBeInstanceOf(TypeError);
    expect((e2 as Error).message).toBe("Iterator result 42 is not an object");
  });
});

describe("fromAsyncIterable: cancellation while waiting in anext()", () => {
  it("closes the source (return()) at once and raises CancelledError; the late rejection is dropped", async () => {
    let rejectNext!: (e: unknown) => void;
    const spy = spyIterator<number>([
      item(1),
      () =>
        new Promise((_resolve, reject) => {
          rejectNext = reject;
        }),
    ]);
    const [err, callsAtCancel, after] = await runVirtual(
      (function* () {
        const it = fromAsyncIterable(spy.iterable);
        const t = createTask(drain(it));
        // Not sleep(1): while a native request is pending, virtual time stands still.
        yield* fromPromise(macrotask());
        expect(spy.calls).toEqual(["next", "next"]);
        t.cancel("stop reading");
        const e = yield* thrown(t);
        const calls = [...spy.calls];
        rejectNext(new Error("arrives after the cancellation"));
        yield* it.aclose(); // already closed: no second return()
        return [e, calls, yield* it.anext()];
      })(),
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as Error).message).toBe("stop reading");
    expect(callsAtCancel).toEqual(["next", "next", "return"]);
    expect(spy.calls).toEqual(["next", "next", "return"]);
    expect(after).toEqual({ done: true, value: undefined });
  });

  it("an idle Node Readable is destroyed, without waiting for data that never comes", async () => {
    const readable = new PassThrough({ objectMode: true });
    let closedAt: number | null = null;
    const err = await runVirtual(
      (function* () {
        const reader = createTask(
          asyncFor(fromAsyncIterable<string>(readable), () => {
            throw new Error("no chunk expected");
          }),
        );
        yield* sleep(0);
        reader.cancel();
        const e = yield* thrown(reader);
        closedAt = now();
        return e;
      })(),
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect(closedAt).toBe(0);
    expect(readable.destroyed).toBe(true);
  });

  it("a ReadableStream whose pull never settles is cancelled and its lock released", async () => {
    const cancels: unknown[] = [];
    const stream = new ReadableStream<number>({
      pull: () => new Promise<void>(() => {}),
      cancel: (reason) => {
        cancels.push(reason);
      },
    });
    const err = await runVirtual(
      (function* () {
        const t = createTask(drain(fromAsyncIterable(stream)));
        yield* sleep(0);
        t.cancel();
        return yield* thrown(t);
      })(),
    );
    expect(err).toBeInstanceOf(CancelledError);
    expect(cancels).toHaveLength(1);
    expect(stream.locked).toBe(false);
  });
});

describe("fromAsyncIterable: closing", () => {
  it("BREAK in asyncFor closes a Node Readable: it ends up destroyed", async () => {
    const readable = Readable.from(["a", "b", "c", "d"]);
    const seen: string[] = [];
    const finished = await runVirtual(
      asyncFor(fromAsyncIterable<string>(readable), (chunk) => {
        seen.push(chunk);
        if (chunk === "b") return BREAK;
      }),
    );
    expect(finished).toBe(false);
    expect(seen).toEqual(["a", "b"]);
    expect(readable.destroyed).toBe(true);
  });

  it("aclose() awaits the native return(): an async generator's finally has run", async () => {
    const log: string[] = [];
    async function* withCleanup() {
      try {
        yield 1;
        yield 2;
      } finally {
        await macrotask();
        log.push("cleanup done");
      }
    }
    await runVirtual(
      (function* () {
        const it = fromAsyncIterable(withCleanup());
        yield* it.anext();
        yield* it.aclose();
        log.push("aclose returned");
        expect(yield* it.anext()).toEqual({ done: true, value: undefined });
      })(),
    );
    expect(log).toEqual(["cleanup done", "aclose returned"]);
  });

  it("calls return() once, and not at all before iterating or after the end", async () => {
    const a = spyIterator([item(1)]);
    const b = spyIterator([item(1)]);
    const c = spyIterator([item(1), item(2)]);
    await runVirtual(
      (function* () {
        const unopened = fromAsyncIterable(a.iterable);
        yield* unopened.aclose();
        expect(yield* unopened.anext()).toEqual({ done: true, value: undefined });

        const ended = fromAsyncIterable(b.iterable);
        yield* drain(ended);
        yield* ended.aclose();

        const open = fromAsyncIterable(c.iterable);
        yield* open.anext();
        yield* open.aclose();
        yield* open.aclose();
      })(),
    );
    expect(a.opened()).toBe(0);
    expect(a.calls).toEqual([]);
    expect(b.calls).toEqual(["next", "next"]);
    expect(c.calls).toEqual(["next", "return"]);
  });

  it("closing a ReadableStream cancels it and releases the lock", async () => {
    const cancels: unknown[] = [];
    let i = 0;
    const stream = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(i++),
      cancel: (reason) => {
        cancels.push(reason);
      },
    });
    await runVirtual(asyncFor(fromAsyncIterable(stream), (n) => (n === 2 ? BREAK : undefined)));
    expect(cancels).toEqual([undefined]);
    expect(stream.locked).toBe(false);
  });
});

describe("fromAsyncIterable: bad input", () => {
  it.each([
    [42, "`42`"],
    [null, "`null`"],
    [{}, "`[Object]`"],
    ["text", '`"text"`'],
  ])("fromAsyncIterable(%s) is a TypeError at the call", (bad, shown) => {
    expect(() => fromAsyncIterable(bad as never)).toThrow(
      new TypeError(
        `Expected \`source\` to be an async iterable or a ReadableStream, got ${shown}`,
      ),
    );
  });

  it("hints at what to do with an asyncio-ts iterable, a sync iterable or a Promise", () => {
    const agen = asyncGenerator(function* (emit) {
      yield* emit(1);
    })();
    expect(agen).toBeInstanceOf(AGenerator);
    expect(() => fromAsyncIterable(agen as never)).toThrow(
      /got `\[Object AGenerator\]` \(it already is an asyncio-ts async iterable: use it directly\)$/,
    );
    expect(() => fromAsyncIterable([1, 2] as never)).toThrow(/got `\[Array\]` \(a sync iterable/);
    expect(() => fromAsyncIterable(Promise.resolve(1) as never)).toThrow(
      /\(a Promise: await it with yield\* fromPromise\(p\)\)$/,
    );
  });

  it("a locked ReadableStream is a TypeError at the call", () => {
    const stream = new ReadableStream();
    stream.getReader();
    expect(() => fromAsyncIterable(stream)).toThrow(
      new TypeError(
        "Expected `source` to be an unlocked ReadableStream, got `[ReadableStream]`, which already has a reader",
      ),
    );
  });

  it("anext() outside a running loop raises RuntimeError", () => {
    const it = fromAsyncIterable(Readable.from([1]));
    expect(() => (it.anext() as Coroutine<unknown>).next()).toThrow("no running event loop");
  });
});
