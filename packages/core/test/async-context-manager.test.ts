// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { describe, expect, expectTypeOf, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  aclosing,
  asyncContextManager,
  asyncGenerator,
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  type Emit,
  RuntimeError,
  StopAsyncIteration,
} from "../src/index.js";
import { sleep } from "./helpers.js";

type Log = (...parts: unknown[]) => void;

/** Python's `@asynccontextmanager async def resource(name): ... yield name ...`. */
function resource(log: Log) {
  return asyncContextManager(function* (emit: Emit<string>, name: string) {
    log("open", name);
    yield* sleep(1);
    try {
      yield* emit(name.toUpperCase());
    } finally {
      yield* sleep(1);
      log("close", name);
    }
  });
}

describe("asyncContextManager (contextlib.asynccontextmanager)", () => {
  it("runs the code before emit on enter, gives the emitted value, and the rest on exit", async () => {
    const t = trace();
    const r = await runVirtual(
      asyncWith(resource(t.log)("db"), function* (v) {
        t.log("body", v);
        return 5;
      }),
    );
    expect(r).toBe(5);
    expect(t.lines).toEqual(["open db", "body DB", "close db"]);
  });

  it("throws the body's error in at the emit, so finally runs and the error propagates", async () => {
    const t = trace();
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(resource(t.log)("db"), function* () {
            throw new RangeError("query failed");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toBe("query failed");
    expect(t.lines).toEqual(["open db", "close db"]);
  });

  it("suppresses the error when the generator catches it and finishes", async () => {
    const tolerant = asyncContextManager(function* (emit: Emit<undefined>) {
      try {
        yield* emit(undefined);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
    });
    const r = await runVirtual(
      asyncWith(tolerant(), function* () {
        throw new RangeError("ignored");
      }),
    );
    expect(r).toBeUndefined();
  });

  it("runs cleanup when the task is cancelled in the body, and stays cancelled", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        const task = createTask(
          asyncWith(resource(t.log)("db"), function* () {
            yield* sleep(10);
          }),
        );
        yield* sleep(2);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          return e instanceof CancelledError;
        }
      })(),
    );
    expect(r).toBe(true);
    expect(t.lines).toEqual(["open db", "close db"]);
  });

  it("raises RuntimeError for a generator that does not emit, or emits twice", async () => {
    const none = asyncContextManager(function* (_emit: Emit<number>) {});
    const twice = asyncContextManager(function* (emit: Emit<number>) {
      yield* emit(1);
      yield* emit(2);
    });
    const stubborn = asyncContextManager(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
      } catch {
        yield* emit(2);
      }
    });
    const messages = await runVirtual(
      (function* () {
        const out: string[] = [];
        const bodies = [
          () => asyncWith(none(), function* () {}),
          () => asyncWith(twice(), function* () {}),
          () =>
            asyncWith(stubborn(), function* () {
              throw new RangeError("x");
            }),
        ];
        for (const body of bodies) {
          try {
            yield* body();
          } catch (e) {
            out.push((e as Error).message);
          }
        }
        return out;
      })(),
    );
    expect(messages).toEqual([
      "generator didn't yield",
      "generator didn't stop",
      "generator didn't stop after athrow()",
    ]);
  });

  it("lets a StopAsyncIteration from the body through unchanged", async () => {
    const t = trace();
    const stop = new StopAsyncIteration();
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(resource(t.log)("it"), function* () {
            throw stop;
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBe(stop);
  });

  it("chains the body's error as the cause of an error raised by the cleanup", async () => {
    const failing = asyncContextManager(function* (emit: Emit<number>) {
      try {
        yield* emit(1);
      } finally {
        yield* failAfterSleep();
      }
    });
    function* failAfterSleep(): Coroutine<void> {
      yield* sleep(1);
      throw new RuntimeError("cleanup failed");
    }
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(failing(), function* () {
            throw new RangeError("body failed");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toBe("cleanup failed");
    expect(((err as Error).cause as Error).message).toBe("body failed");
  });

  it("types: the body gets the emitted type; the scope may give undefined (it can suppress)", () => {
    const cm = asyncContextManager(function* (emit: Emit<{ n: number }>, n: number) {
      yield* emit({ n });
    });
    expectTypeOf(cm).parameters.toEqualTypeOf<[number]>();
    const scope = asyncWith(cm(1), function* (v) {
      expectTypeOf(v).toEqualTypeOf<{ n: number }>();
      return v.n;
    });
    expectTypeOf(scope).toEqualTypeOf<Coroutine<number | undefined>>();
  });
});

describe("aclosing (contextlib.aclosing)", () => {
  it("closes the generator when the scope ends, even after an error", async () => {
    const t = trace();
    const gen = asyncGenerator(function* (emit: Emit<number>) {
      try {
        for (let i = 0; ; i++) yield* emit(i);
      } finally {
        t.log("closed");
      }
    });
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(aclosing(gen()), function* (g) {
            t.log("got", (yield* g.anext()).value);
            throw new RangeError("stop");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toBe("stop");
    expect(t.lines).toEqual(["got 0", "closed"]);
    expect(() => aclosing({} as never)).toThrow(
      new TypeError("Expected `thing` to have an aclose() method, got `[Object]`"),
    );
  });
});

describe("oracle: asyncContextManager orders setup, body and cleanup as CPython's", () => {
  it.skipIf(!hasPython)("success, error, suppression, cancellation", async () => {
    const t = trace();
    const cm = asyncContextManager(function* (emit: Emit<string>, name: string, swallow: boolean) {
      t.log("setup", name);
      yield* sleep(0.5);
      try {
        yield* emit(name);
      } catch (e) {
        t.log("caught", name, (e as Error).name);
        if (!swallow) throw e;
      } finally {
        yield* sleep(0.5);
        t.log("teardown", name);
      }
    });
    function* main(): Coroutine<void> {
      t.log(
        "r",
        yield* asyncWith(cm("a", false), function* (v) {
          t.log("body", v);
          return 1;
        }),
      );
      try {
        yield* asyncWith(cm("b", false), function* () {
          throw new RangeError("b");
        });
      } catch (e) {
        t.log("propagated", (e as Error).name);
      }
      const r = yield* asyncWith(cm("c", true), function* () {
        throw new RangeError("c");
      });
      t.log("suppressed", r === undefined);
      const task = createTask(asyncWith(cm("d", false), () => sleep(5)));
      yield* sleep(1.5);
      task.cancel();
      try {
        yield* task;
      } catch (e) {
        t.log("task cancelled", e instanceof CancelledError);
      }
    }
    await runVirtual(main());
    const py = `
import asyncio, vtime
from contextlib import asynccontextmanager
lines = []
def log(*a): lines.append(" ".join(str(x) for x in a))
@asynccontextmanager
async def cm(name, swallow):
    log("setup", name)
    await asyncio.sleep(0.5)
    try:
        yield name
    except BaseException as e:
        log("caught", name, {"ValueError": "RangeError"}.get(type(e).__name__, type(e).__name__))
        if not swallow:
            raise
    finally:
        await asyncio.sleep(0.5)
        log("teardown", name)
async def main():
    async with cm("a", False) as v:
        log("body", v)
        r = 1
    log("r", r)
    try:
        async with cm("b", False):
            raise ValueError("b")
    except ValueError:
        log("propagated", "RangeError")
    r = None
    async with cm("c", True):
        raise ValueError("c")
    log("suppressed", r is None)
    async def body():
        async with cm("d", False):
            await asyncio.sleep(5)
    task = asyncio.create_task(body())
    await asyncio.sleep(1.5)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log("task cancelled", True)
vtime.run(main())
print("\\n".join(lines))
`;
    expect(t.lines).toEqual(runPython(py));
  });
});
