// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { describe, expect, expectTypeOf, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  type AIterable,
  type AIterator,
  aiter,
  anext,
  asyncFor,
  asyncGenerator,
  BREAK,
  CancelledError,
  type Coroutine,
  createTask,
  type Emit,
  getRunningLoop,
  RuntimeError,
  StopAsyncIteration,
} from "../src/index.js";
import { sleep } from "./helpers.js";

type Log = (...parts: unknown[]) => void;

/** A hand-written iterator in Python's style: anext() raises StopAsyncIteration at the end. */
class Countdown implements AIterator<number> {
  constructor(
    private n: number,
    private readonly log: Log,
    private readonly failClose?: Error,
  ) {}
  *anext(): Coroutine<IteratorResult<number>> {
    yield* sleep(1);
    if (this.n === 0) throw new StopAsyncIteration();
    return { done: false, value: this.n-- };
  }
  *aclose(): Coroutine<void> {
    this.log("aclose");
    if (this.failClose) throw this.failClose;
  }
}

function letters(log: Log) {
  return asyncGenerator(function* (emit: Emit<string>) {
    try {
      for (const s of "abc") yield* emit(s);
    } finally {
      log("cleanup");
    }
  });
}

describe("asyncFor (async for)", () => {
  it("runs the body for every item in order, then gives true", async () => {
    const t = trace();
    const r = await runVirtual(
      asyncFor(letters(t.log)(), function* (s) {
        yield* sleep(1);
        t.log("item", s);
      }),
    );
    expect(r).toBe(true);
    expect(t.lines).toEqual(["item a", "item b", "item c", "cleanup"]);
  });

  it("leaves the loop on BREAK, closing the generator at once, and gives false", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        const done = yield* asyncFor(letters(t.log)(), function* (s) {
          t.log("item", s);
          if (s === "b") return BREAK;
        });
        t.log("after");
        return done;
      })(),
    );
    expect(r).toBe(false);
    expect(t.lines).toEqual(["item a", "item b", "cleanup", "after"]);
  });

  it("closes the iterator and rethrows when the body fails", async () => {
    const t = trace();
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(letters(t.log)(), function* (s) {
            if (s === "b") throw new RangeError(`bad ${s}`);
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toBe("bad b");
    expect(t.lines).toEqual(["cleanup"]);
  });

  it("closes the iterator when the task is cancelled in the body", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        const task = createTask(
          asyncFor(letters(t.log)(), function* (s) {
            t.log("item", s);
            yield* sleep(10);
          }),
        );
        yield* sleep(1);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          return e instanceof CancelledError;
        }
      })(),
    );
    expect(r).toBe(true);
    expect(t.lines).toEqual(["item a", "cleanup"]);
  });

  it("ends a hand-written iterator's loop on StopAsyncIteration and calls its aclose()", async () => {
    const t = trace();
    const r = await runVirtual(asyncFor(new Countdown(3, t.log), (n) => void t.log("n", n)));
    expect(r).toBe(true);
    expect(t.lines).toEqual(["n 3", "n 2", "n 1", "aclose"]);
  });

  it("chains an error from aclose() onto the body's error as its cause", async () => {
    const t = trace();
    const closeErr = new RuntimeError("close failed");
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(new Countdown(3, t.log, closeErr), () => {
            throw new RangeError("body failed");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBe(closeErr);
    expect((closeErr.cause as Error).message).toBe("body failed");
  });

  it("loops over an iterable through its aiter()", async () => {
    const ticks: AIterable<number> = {
      aiter() {
        let i = 0;
        return {
          *anext() {
            return i < 3 ? { done: false, value: i++ } : { done: true, value: undefined };
          },
        };
      },
    };
    const seen: number[] = [];
    await runVirtual(asyncFor(ticks, (x) => void seen.push(x)));
    expect(seen).toEqual([0, 1, 2]);
  });

  it("accepts a plain-function body and still awaits a generator body", async () => {
    const seen: string[] = [];
    await runVirtual(
      (function* () {
        yield* asyncFor(letters(() => {})(), (s) => (s === "c" ? BREAK : void seen.push(s)));
        yield* asyncFor(letters(() => {})(), function* (s) {
          yield* sleep(1);
          seen.push(s.toUpperCase());
        });
      })(),
    );
    expect(seen).toEqual(["a", "b", "A", "B", "C"]);
  });

  it("refuses an async-function body with a TypeError, closing the iterator", async () => {
    const t = trace();
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(letters(t.log)(), async () => {});
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/not an async function/);
    expect(t.lines).toEqual(["cleanup"]);
  });

  it("rejects what is not an async iterable, at the call, naming the fix for JS iterables", () => {
    expect(() => asyncFor([1, 2] as never, () => {})).toThrow(
      new TypeError(
        "Expected `source` to be an async iterable (an object with aiter() or anext()), got `[Array]`",
      ),
    );
    async function* native() {
      yield 1;
    }
    expect(() => asyncFor(native() as never, () => {})).toThrow(/fromAsyncIterable\(x\)/);
    expect(() => asyncFor(new Countdown(1, () => {}), 5 as never)).toThrow(
      /Expected `body` of asyncFor\(\) to be a generator function/,
    );
  });

  it("raises TypeError when anext() gives something that cannot be awaited", async () => {
    const bad = { anext: () => Promise.resolve({ done: true, value: undefined }) };
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(bad as never, () => {});
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toMatch(
      /anext\(\) of .* is not awaitable \(write anext\(\) as a generator method/,
    );
  });

  it("raises TypeError when aclose() gives something that cannot be awaited", async () => {
    const it = {
      *anext() {
        return { done: true as const, value: undefined };
      },
      aclose: () => 5,
    };
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(it as never, () => {});
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toEqual(
      new TypeError("'asyncFor' received an object from aclose() that is not awaitable: `5`"),
    );
  });

  it("types: the body gets the item type, the loop gives a boolean", () => {
    const gen = asyncGenerator(function* (emit: Emit<{ id: number }>) {
      yield* emit({ id: 1 });
    });
    asyncFor(gen(), (item) => {
      expectTypeOf(item).toEqualTypeOf<{ id: number }>();
    });
    expectTypeOf(asyncFor(gen(), () => {})).toEqualTypeOf<Coroutine<boolean>>();
  });
});

describe("aiter and anext (Python's builtins)", () => {
  it("anext() gives the next item and raises StopAsyncIteration at the end, or the default", async () => {
    const t = trace();
    const out = await runVirtual(
      (function* () {
        const it = aiter(new Countdown(1, t.log));
        const first = yield* anext(it);
        const second = yield* anext(it, "end");
        let stopped = false;
        try {
          yield* anext(it);
        } catch (e) {
          stopped = e instanceof StopAsyncIteration;
        }
        return [first, second, stopped];
      })(),
    );
    expect(out).toEqual([1, "end", true]);
  });

  it("aiter() returns an iterator itself and calls an iterable's aiter()", () => {
    const it = new Countdown(1, () => {});
    expect(aiter(it)).toBe(it);
    expect(aiter({ aiter: () => it })).toBe(it);
    expect(() => aiter({ aiter: () => 5 } as never)).toThrow(/returned a non-iterator/);
    expect(() => anext({} as never)).toThrow(
      new TypeError(
        "Expected `it` to be an async iterator (an object with anext()), got `[Object]`",
      ),
    );
  });
});

describe("asyncFor over an async generator: the generator never sees the loop body's outcome", () => {
  /** A producer that logs around each emit and would log any error thrown in at the emit. */
  function producer(log: Log) {
    return asyncGenerator(function* (emit: Emit<number>, n: number) {
      try {
        for (let i = 0; i < n; i++) {
          log("produce", i);
          try {
            yield* emit(i);
          } catch (e) {
            log("generator caught", (e as Error).message);
            throw e;
          }
          log("after emit", i);
          if (i % 2 === 1) yield* sleep(1);
        }
      } finally {
        log("generator finally");
      }
    });
  }

  it("raises a plain body's error in the loop, not in the generator, then closes it", async () => {
    const t = trace();
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(producer(t.log)(5), (i) => {
            t.log("body", i);
            if (i === 2) throw new RangeError("body failed");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toBe("body failed");
    expect(t.lines).toEqual([
      "produce 0",
      "body 0",
      "after emit 0",
      "produce 1",
      "body 1",
      "after emit 1",
      "produce 2",
      "body 2",
      "generator finally",
    ]);
  });

  it("goes on past any plain value a body returns, and stops at BREAK", async () => {
    const t = trace();
    const seen: number[] = [];
    const finished = await runVirtual(
      asyncFor(producer(t.log)(6), (i) => (i === 4 ? BREAK : seen.push(i))),
    );
    expect(finished).toBe(false);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(t.lines.at(-1)).toBe("generator finally");
    expect(t.lines).not.toContain("after emit 4");
  });

  it("still refuses an emit awaited by another task while the loop runs", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      yield* emit(1);
      yield* createTask(
        (function* () {
          yield* emit(2);
        })(),
      );
    });
    const seen: number[] = [];
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncFor(gen(), (i) => void seen.push(i));
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(seen).toEqual([1]);
    expect(err).toBeInstanceOf(TypeError);
  });

  it.skipIf(!hasPython)(
    "oracle: the same interleaving of generator, body and cleanup as CPython",
    async () => {
      const t = trace();
      const now = () => String(getRunningLoop().time());
      function* main(): Coroutine<void> {
        yield* asyncFor(producer(t.log)(4), (i) => void t.log("body", i, now()));
        yield* asyncFor(producer(t.log)(4), function* (i) {
          t.log("slow body", i, now());
          yield* sleep(0.5);
        });
        try {
          yield* asyncFor(producer(t.log)(4), (i) => {
            if (i === 3) throw new RangeError("stop at 3");
            t.log("body", i);
          });
        } catch (e) {
          t.log("loop raised", (e as Error).message);
        }
        const done = yield* asyncFor(producer(t.log)(4), (i) => (i === 1 ? BREAK : undefined));
        t.log("finished", done);
      }
      await runVirtual(main());
      const py = `
import asyncio, vtime
from contextlib import aclosing
lines = []
def log(*a): lines.append(" ".join(str(x) for x in a))
def now(): return "%g" % asyncio.get_running_loop().time()
async def producer(n):
    try:
        for i in range(n):
            log("produce", i)
            try:
                yield i
            except Exception as e:
                log("generator caught", e)
                raise
            log("after emit", i)
            if i % 2 == 1:
                await asyncio.sleep(1)
    finally:
        log("generator finally")
async def main():
    async with aclosing(producer(4)) as g:
        async for i in g:
            log("body", i, now())
    async with aclosing(producer(4)) as g:
        async for i in g:
            log("slow body", i, now())
            await asyncio.sleep(0.5)
    try:
        async with aclosing(producer(4)) as g:
            async for i in g:
                if i == 3:
                    raise ValueError("stop at 3")
                log("body", i)
    except ValueError as e:
        log("loop raised", e)
    done = True
    async with aclosing(producer(4)) as g:
        async for i in g:
            if i == 1:
                done = False
                break
    log("finished", done)
vtime.run(main())
print("\\n".join(lines))
`;
      expect(t.lines).toEqual(runPython(py));
    },
  );
});
