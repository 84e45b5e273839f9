// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import {
  captureExceptions,
  collectUntil,
  hasGc,
  hasPython,
  runPython,
  trace,
} from "@asyncio-ts/test-utils";
import { describe, expect, expectTypeOf, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  AGenerator,
  anext,
  asyncFor,
  asyncGenerator,
  BREAK,
  CancelledError,
  type Coroutine,
  createTask,
  type Emit,
  getRunningLoop,
  newEventLoop,
  RuntimeError,
  run,
  StopAsyncIteration,
} from "../src/index.js";
import { sleep } from "./helpers.js";

type Log = (...parts: unknown[]) => void;

/** Python's `async def numbers(n): for i in range(n): await sleep(1); yield i` with logging. */
function numbers(log: Log) {
  return asyncGenerator(function* numbers(emit: Emit<number>, n: number) {
    try {
      for (let i = 0; i < n; i++) {
        yield* sleep(1);
        log("emit", i);
        yield* emit(i);
      }
    } finally {
      log("finally");
    }
  });
}

describe("asyncGenerator (async def with yield)", () => {
  it("produces each emitted value in order, awaiting in between, then is done", async () => {
    const t = trace();
    const gen = numbers(t.log);
    const seen = await runVirtual(
      (function* () {
        const g = gen(3);
        const out: unknown[] = [];
        for (;;) {
          const r = yield* g.anext();
          if (r.done) break;
          out.push([r.value, getRunningLoop().time()]);
        }
        out.push(yield* g.anext());
        return out;
      })(),
    );
    expect(seen).toEqual([[0, 1], [1, 2], [2, 3], { done: true, value: undefined }]);
    expect(t.lines).toEqual(["emit 0", "emit 1", "emit 2", "finally"]);
  });

  it("does not start the body until the first anext()", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<string>) {
      t.log("started");
      yield* emit("x");
    });
    await runVirtual(
      (function* () {
        const g = gen();
        t.log("created");
        t.log((yield* g.anext()).value);
      })(),
    );
    expect(t.lines).toEqual(["created", "started", "x"]);
  });

  it("resumes emit() with what asend() sent", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number, string | undefined>) {
      const a = yield* emit(1);
      const b = yield* emit(2);
      yield* emit(a === "A" && b === undefined ? 3 : -1);
    });
    const values = await runVirtual(
      (function* () {
        const g = gen();
        const first = yield* g.anext();
        const second = yield* g.asend("A");
        const third = yield* g.anext();
        return [first.value, second.value, third.value];
      })(),
    );
    expect(values).toEqual([1, 2, 3]);
  });

  it("refuses to asend a value into a generator that has not started", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number, number>) {
      yield* emit(1);
    });
    const err = await runVirtual(
      (function* () {
        try {
          yield* gen().asend(5);
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/just-started async generator/);
  });

  it("athrow() raises at the paused emit; a body that catches it emits the next value", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<string>) {
      for (;;) {
        try {
          yield* emit("ready");
        } catch (e) {
          t.log("caught", (e as Error).message);
          yield* sleep(1);
          yield* emit("recovered");
          return;
        }
      }
    });
    const out = await runVirtual(
      (function* () {
        const g = gen();
        yield* g.anext();
        const r = yield* g.athrow(new RangeError("bad"));
        const end = yield* g.anext();
        return [r, end];
      })(),
    );
    expect(out).toEqual([
      { done: false, value: "recovered" },
      { done: true, value: undefined },
    ]);
    expect(t.lines).toEqual(["caught bad"]);
  });

  it("athrow() that the body does not catch propagates and closes the generator", async () => {
    const t = trace();
    const gen = numbers(t.log);
    const out = await runVirtual(
      (function* () {
        const g = gen(5);
        yield* g.anext();
        let caught: unknown;
        try {
          yield* g.athrow(new RangeError("stop"));
        } catch (e) {
          caught = e;
        }
        return [caught, yield* g.anext(), yield* g.athrow(new RangeError("again"))];
      })(),
    );
    expect((out[0] as Error).message).toBe("stop");
    expect(out[1]).toEqual({ done: true, value: undefined });
    expect(out[2]).toEqual({ done: true, value: undefined });
    expect(t.lines).toEqual(["emit 0", "finally"]);
  });

  it("aclose() runs the body's finally (which may await) and ends the generator", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        yield* sleep(2);
        t.log("closed at", getRunningLoop().time());
      }
    });
    const after = await runVirtual(
      (function* () {
        const g = gen();
        yield* g.anext();
        yield* g.aclose();
        yield* g.aclose();
        return [yield* g.anext(), String(g)];
      })(),
    );
    expect(t.lines).toEqual(["closed at 2"]);
    expect(after).toEqual([
      { done: true, value: undefined },
      "<async_generator (anonymous) closed>",
    ]);
  });

  it("aclose() on a generator that never started does not run its body", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      t.log("body");
      yield* emit(1);
    });
    const r = await runVirtual(
      (function* () {
        const g = gen();
        yield* g.aclose();
        return yield* g.anext();
      })(),
    );
    expect(r).toEqual({ done: true, value: undefined });
    expect(t.lines).toEqual([]);
  });

  it("aclose() raises RuntimeError when the body emits again while closing", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
      } finally {
        yield* emit(2);
      }
    });
    const err = await runVirtual(
      (function* () {
        const g = gen();
        yield* g.anext();
        try {
          yield* g.aclose();
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("async generator ignored GeneratorExit");
  });

  it("raises RuntimeError for an operation while another one is running", async () => {
    const t = trace();
    const gen = numbers(t.log);
    const errors = await runVirtual(
      (function* () {
        const g = gen(3);
        const first = createTask(
          (function* () {
            return yield* g.anext();
          })(),
        );
        yield* sleep(0);
        const errs: string[] = [];
        for (const op of [() => g.anext(), () => g.aclose(), () => g.athrow(new Error("x"))]) {
          try {
            yield* op();
          } catch (e) {
            errs.push((e as Error).message);
          }
        }
        errs.push(String((yield* first).value));
        return errs;
      })(),
    );
    expect(errors).toEqual([
      "anext(): asynchronous generator is already running",
      "aclose(): asynchronous generator is already running",
      "athrow(): asynchronous generator is already running",
      "0",
    ]);
  });

  it("refuses to await the same anext() twice", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      yield* emit(1);
      yield* emit(2);
    });
    const err = await runVirtual(
      (function* () {
        const g = gen();
        const next = g.anext();
        yield* next;
        try {
          yield* next;
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("cannot reuse already awaited __anext__()/asend()");
  });

  it("a task cancelled while the body awaits runs the body's finally and closes it", async () => {
    const t = trace();
    const gen = numbers(t.log);
    const out = await runVirtual(
      (function* () {
        const g = gen(3);
        const task = createTask(
          (function* () {
            return yield* g.anext();
          })(),
        );
        yield* sleep(0.5);
        task.cancel();
        let cancelled = false;
        try {
          yield* task;
        } catch (e) {
          cancelled = e instanceof CancelledError;
        }
        return [cancelled, yield* g.anext()];
      })(),
    );
    expect(out).toEqual([true, { done: true, value: undefined }]);
    expect(t.lines).toEqual(["finally"]);
  });

  it("turns a StopAsyncIteration raised by the body into RuntimeError, as Python does", async () => {
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      yield* emit(1);
      throw new StopAsyncIteration();
    });
    const err = await runVirtual(
      (function* () {
        const g = gen();
        yield* g.anext();
        try {
          yield* g.anext();
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe("async generator raised StopAsyncIteration");
    expect((err as Error).cause).toBeInstanceOf(StopAsyncIteration);
  });

  it("lets a helper coroutine emit on the generator's behalf", async () => {
    function* pair(emit: Emit<number>, x: number): Coroutine<void> {
      yield* emit(x);
      yield* sleep(1);
      yield* emit(x * 10);
    }
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      yield* pair(emit, 1);
      yield* pair(emit, 2);
    });
    const seen: number[] = [];
    await runVirtual(asyncFor(gen(), (x) => void seen.push(x)));
    expect(seen).toEqual([1, 10, 2, 20]);
  });

  it("raises TypeError in a task that awaits emit() outside the generator's body", async () => {
    const gen = asyncGenerator(function* leaky(emit: Emit<number>) {
      const task = createTask(
        (function* () {
          yield* emit(1);
        })(),
      );
      try {
        yield* task;
      } catch (e) {
        yield* emit(-1);
        throw e;
      }
    });
    const err = await runVirtual(
      (function* () {
        const g = gen();
        const r = yield* g.anext();
        try {
          yield* g.anext();
        } catch (e) {
          return [r.value, e];
        }
      })(),
    );
    const [value, error] = err ?? [];
    expect(value).toBe(-1);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/emit\(\) of async generator leaky outside/);
  });

  it("passes `this` and the arguments to the body", async () => {
    class Pager {
      constructor(readonly size: number) {}
      pages = asyncGenerator(function* (this: Pager, emit: Emit<number>, count: number) {
        for (let i = 0; i < count; i++) yield* emit(i * this.size);
      });
    }
    const seen: number[] = [];
    await runVirtual(asyncFor(new Pager(10).pages(3), (x) => void seen.push(x)));
    expect(seen).toEqual([0, 10, 20]);
  });

  it("rejects a function that is not a generator function, at the call", () => {
    expect(() => asyncGenerator(42 as never)).toThrow(
      new TypeError("Expected `fn` to be a generator function (function*), got `42` (number)"),
    );
    const notGen = asyncGenerator((() => 1) as never);
    expect(() => notGen()).toThrow(
      /must be given a generator function, but calling it returned `1`/,
    );
    const asyncFn = asyncGenerator((async () => {}) as never);
    expect(() => asyncFn()).toThrow(/not an async function/);
  });

  it("is an AGenerator with a readable toString()", () => {
    const gen = asyncGenerator(function* ticks(emit: Emit<number>) {
      yield* emit(1);
    });
    const g = gen();
    expect(g).toBeInstanceOf(AGenerator);
    expect(g.aiter()).toBe(g);
    expect(String(g)).toBe("<async_generator ticks created>");
  });

  it("types: items from the emit annotation, arguments from the body", () => {
    const gen = asyncGenerator(function* (emit: Emit<string>, n: number, s: string) {
      yield* emit(s.repeat(n));
    });
    expectTypeOf(gen).parameters.toEqualTypeOf<[number, string]>();
    expectTypeOf(gen(1, "a")).toEqualTypeOf<AGenerator<string, undefined>>();
    expectTypeOf(gen(1, "a").anext).returns.toExtend<
      Iterable<unknown, IteratorResult<string, void>>
    >();
    expectTypeOf(anext(gen(1, "a"))).toEqualTypeOf<Coroutine<string>>();
    expectTypeOf(anext(gen(1, "a"), null)).toEqualTypeOf<Coroutine<string | null>>();
  });
});

describe("async generators and the loop (shutdownAsyncgens, finalizer)", () => {
  it("run() closes generators left open when main returns, after cancelling leftover tasks", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        t.log("agen finally");
      }
    });
    const kept: unknown[] = [];
    await runVirtual(
      (function* () {
        const g = gen();
        kept.push(g);
        yield* g.anext();
        createTask(
          (function* () {
            try {
              yield* sleep(100);
            } finally {
              t.log("leftover task cancelled");
            }
          })(),
        );
        yield* sleep(0);
        t.log("main returns");
      })(),
    );
    expect(t.lines).toEqual(["main returns", "leftover task cancelled", "agen finally"]);
  });

  it("leaves a generator first iterated outside any running loop to its owner", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
        yield* emit(2);
      } finally {
        t.log("finally");
      }
    });
    const g = gen();
    const step = g.anext()[Symbol.iterator]().next();
    expect(step.done && step.value).toEqual({ done: false, value: 1 });
    await run((function* () {})());
    expect(t.lines).toEqual([]);
    const rest = await run(
      (function* () {
        return [yield* g.anext(), yield* g.anext()];
      })(),
    );
    expect(rest).toEqual([
      { done: false, value: 2 },
      { done: true, value: undefined },
    ]);
    expect(t.lines).toEqual(["finally"]);
  });

  it("reports an error raised while shutdownAsyncgens() closes a generator", async () => {
    function* cleanupFails(): Coroutine<void> {
      throw new RangeError("cleanup failed");
    }
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
      } catch {
        // Only aclose() ends this generator: it never catches an error.
      } finally {
        yield* cleanupFails();
      }
    });
    const loop = newEventLoop();
    const seen = captureExceptions<{ message: string; exception?: unknown }>(loop);
    const kept: unknown[] = [];
    await loop.runUntilComplete(
      (function* () {
        const g = gen();
        kept.push(g);
        yield* g.anext();
      })(),
    );
    await loop.runUntilComplete(loop.shutdownAsyncgens());
    loop.close();
    expect(seen.map((c) => c.message)).toEqual([
      "an error occurred during closing of asynchronous generator",
    ]);
    expect(seen[0]?.exception).toEqual(new RangeError("cleanup failed"));
  });

  it.skipIf(!hasGc)(
    "closes a started generator nobody holds any more, in a task on its loop",
    async () => {
      const t = trace();
      const gen = asyncGenerator(function* (emit: Emit<number>) {
        try {
          for (let i = 0; ; i++) yield* emit(i);
        } finally {
          t.log("finalized");
        }
      });
      await run(
        (function* () {
          let ref: WeakRef<object> | null = null;
          (yield* (function* () {
            const g = gen();
            ref = new WeakRef(g);
            yield* g.anext();
          })()) as void;
          const loop = getRunningLoop();
          const done = loop.createFuture<boolean>();
          collectUntil(() => t.lines.length > 0 || ref?.deref() === undefined).then(() => {
            // The finalizer's task needs a few turns of the loop after collection.
            loop.callSoonThreadsafe(() => done.setResult(true));
          });
          yield* done;
          for (let i = 0; i < 5 && t.lines.length === 0; i++) yield* sleep(0);
        })(),
      );
      expect(t.lines).toEqual(["finalized"]);
    },
  );
});

describe("oracle: async generators order emits, cleanup and closing as CPython's", () => {
  it.skipIf(!hasPython)(
    "anext, asend, athrow, aclose, break with aclosing, cancellation, shutdown",
    async () => {
      const t = trace();
      const now = () => String(Math.round(getRunningLoop().time() * 1000) / 1000);
      const counter = asyncGenerator(function* (emit: Emit<number, number | undefined>, n: number) {
        t.log("start", n);
        try {
          let i = 0;
          while (i < n) {
            yield* sleep(0.5);
            const sent = yield* emit(i);
            t.log("resumed", i, sent === undefined ? "None" : sent);
            i = sent ?? i + 1;
          }
          t.log("exhausted");
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          t.log("caught", e.name);
          yield* emit(-1);
        } finally {
          t.log("finally", now());
          yield* sleep(1);
          t.log("cleaned", now());
        }
      });
      function* main(): Coroutine<void> {
        const g = counter(3);
        t.log("anext", (yield* g.anext()).value);
        t.log("asend", (yield* g.asend(2)).value);
        t.log("end", (yield* g.anext()).done);
        const h = counter(10);
        t.log("anext", (yield* h.anext()).value);
        t.log("athrow", (yield* h.athrow(new RangeError("x"))).value);
        yield* h.aclose();
        t.log("closed");
        const finished = yield* asyncFor(counter(10), function* (i) {
          t.log("item", i);
          if (i === 1) return BREAK;
        });
        t.log("after break", finished);
        const task = createTask(asyncFor(counter(10), (i) => void t.log("task item", i)));
        yield* sleep(1.2);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          t.log("task cancelled", e instanceof CancelledError);
        }
        const left = counter(10);
        t.log("left open", (yield* left.anext()).value);
      }
      await runVirtual(main());
      const py = `
import asyncio, vtime
from contextlib import aclosing
lines = []
def log(*a): lines.append(" ".join(str(x) for x in a))
def now(): return "%g" % round(asyncio.get_running_loop().time(), 3)
async def counter(n):
    log("start", n)
    try:
        i = 0
        while i < n:
            await asyncio.sleep(0.5)
            sent = yield i
            log("resumed", i, sent)
            i = i + 1 if sent is None else sent
        log("exhausted")
    except ValueError:
        log("caught", "RangeError")
        yield -1
    finally:
        log("finally", now())
        await asyncio.sleep(1)
        log("cleaned", now())
async def main():
    g = counter(3)
    log("anext", await g.__anext__())
    log("asend", await g.asend(2))
    try:
        await g.__anext__()
    except StopAsyncIteration:
        log("end", True)
    h = counter(10)
    log("anext", await h.__anext__())
    log("athrow", await h.athrow(ValueError("x")))
    await h.aclose()
    log("closed")
    finished = True
    async with aclosing(counter(10)) as it:
        async for i in it:
            log("item", i)
            if i == 1:
                finished = False
                break
    log("after break", finished)
    async def loop():
        async with aclosing(counter(10)) as it:
            async for i in it:
                log("task item", i)
    task = asyncio.create_task(loop())
    await asyncio.sleep(1.2)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log("task cancelled", True)
    global left
    left = counter(10)
    log("left open", await left.__anext__())
vtime.run(main())
print("\\n".join(lines))
`;
      expect(t.lines).toEqual(runPython(py));
    },
  );
});
