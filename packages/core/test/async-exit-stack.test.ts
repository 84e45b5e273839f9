// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { describe, expect, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  type AsyncContextManager,
  AsyncExitStack,
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  RuntimeError,
} from "../src/index.js";
import { sleep } from "./helpers.js";

type Log = (...parts: unknown[]) => void;

function named(log: Log, name: string, options: { suppress?: boolean; fail?: Error } = {}) {
  return {
    *aenter() {
      log("enter", name);
      yield* sleep(0.1);
      return name;
    },
    *aexit(exc: unknown) {
      log("exit", name, exc === null ? "None" : (exc as Error).message || (exc as Error).name);
      yield* sleep(0.1);
      if (options.fail) throw options.fail;
      return options.suppress ?? false;
    },
  } satisfies AsyncContextManager<string>;
}

describe("AsyncExitStack (contextlib.AsyncExitStack)", () => {
  it("unwinds managers and callbacks last-in first-out on a clean exit", async () => {
    const t = trace();
    const r = await runVirtual(
      asyncWith(new AsyncExitStack(), function* (stack) {
        const a = yield* stack.enterAsyncContext(named(t.log, "a"));
        stack.callback((x: string) => t.log("callback", x), "sync");
        stack.pushAsyncCallback(function* (x: string) {
          yield* sleep(1);
          t.log("async callback", x);
        }, "async");
        const b = yield* stack.enterAsyncContext(named(t.log, "b"));
        return a + b;
      }),
    );
    expect(r).toBe("ab");
    expect(t.lines).toEqual([
      "enter a",
      "enter b",
      "exit b None",
      "async callback async",
      "callback sync",
      "exit a None",
    ]);
  });

  it("lets an exit suppress the error, and the exits after it see none", async () => {
    const t = trace();
    const r = await runVirtual(
      asyncWith(new AsyncExitStack(), function* (stack) {
        yield* stack.enterAsyncContext(named(t.log, "outer"));
        yield* stack.enterAsyncContext(named(t.log, "suppressor", { suppress: true }));
        yield* stack.enterAsyncContext(named(t.log, "inner"));
        throw new RangeError("boom");
      }),
    );
    expect(r).toBeUndefined();
    expect(t.lines).toEqual([
      "enter outer",
      "enter suppressor",
      "enter inner",
      "exit inner boom",
      "exit suppressor boom",
      "exit outer None",
    ]);
  });

  it("replaces the error with one an exit raises, chaining the old one as cause", async () => {
    const t = trace();
    const failure = new RuntimeError("exit failed");
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(new AsyncExitStack(), function* (stack) {
            yield* stack.enterAsyncContext(named(t.log, "outer"));
            yield* stack.enterAsyncContext(named(t.log, "failing", { fail: failure }));
            throw new RangeError("boom");
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBe(failure);
    expect((failure.cause as Error).message).toBe("boom");
    expect(t.lines.at(-1)).toBe("exit outer exit failed");
  });

  it("raises an error from an exit after a clean body", async () => {
    const failure = new RuntimeError("cleanup failed");
    const err = await runVirtual(
      (function* () {
        try {
          yield* asyncWith(new AsyncExitStack(), function* (stack) {
            stack.push(() => {
              throw failure;
            });
          });
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(err).toBe(failure);
    expect(Object.hasOwn(failure, "cause")).toBe(false);
  });

  it("unwinds when the task is cancelled inside the scope", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        const task = createTask(
          asyncWith(new AsyncExitStack(), function* (stack) {
            yield* stack.enterAsyncContext(named(t.log, "a"));
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
    expect(t.lines).toEqual(["enter a", "exit a CancelledError"]);
  });

  it("popAll() moves the callbacks to a new stack, so the old one exits with nothing", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        let kept: AsyncExitStack | null = null;
        yield* asyncWith(new AsyncExitStack(), function* (stack) {
          yield* stack.enterAsyncContext(named(t.log, "a"));
          kept = stack.popAll();
        });
        t.log("scope ended");
        yield* kept!.aclose();
      })(),
    );
    expect(t.lines).toEqual(["enter a", "scope ended", "exit a None"]);
  });

  it("pushAsyncExit takes a manager's aexit without entering it, or a callback", async () => {
    const t = trace();
    await runVirtual(
      asyncWith(new AsyncExitStack(), function* (stack) {
        stack.pushAsyncExit(named(t.log, "not entered"));
        stack.pushAsyncExit(function* (exc: unknown) {
          t.log("exit callback", exc === null);
          return false;
        });
      }),
    );
    expect(t.lines).toEqual(["exit callback True", "exit not entered None"]);
  });

  it("rejects bad arguments with TypeErrors", async () => {
    const stack = new AsyncExitStack();
    expect(() => stack.pushAsyncExit(5 as never)).toThrow(
      new TypeError("Expected `exit` to be an async context manager or a function, got `5`"),
    );
    expect(() => stack.callback(null as never)).toThrow(
      new TypeError("Expected `callback` to be a function, got `null`"),
    );
    expect(() => stack.push("x" as never)).toThrow(/Expected `exit` to be a function/);
    const err = await runVirtual(
      (function* () {
        try {
          yield* stack.enterAsyncContext({} as never);
        } catch (e) {
          return e;
        }
      })(),
    );
    expect((err as Error).message).toMatch(/Expected `cm` to be an asynchronous context manager/);
  });
});

describe("oracle: AsyncExitStack unwinds as CPython's", () => {
  it.skipIf(!hasPython)("LIFO order, suppression, replacement and chaining", async () => {
    const t = trace();
    function* main(): Coroutine<void> {
      yield* asyncWith(new AsyncExitStack(), function* (stack) {
        for (const n of ["a", "b"]) yield* stack.enterAsyncContext(named(t.log, n));
        stack.callback(() => t.log("cb"));
      });
      const r = yield* asyncWith(new AsyncExitStack(), function* (stack) {
        yield* stack.enterAsyncContext(named(t.log, "s", { suppress: true }));
        stack.pushAsyncCallback(function* () {
          t.log("async cb");
        });
        throw new RangeError("e1");
      });
      t.log("suppressed", r === undefined);
      try {
        yield* asyncWith(new AsyncExitStack(), function* (stack) {
          yield* stack.enterAsyncContext(named(t.log, "x"));
          yield* stack.enterAsyncContext(named(t.log, "y", { fail: new RuntimeError("y failed") }));
          throw new RangeError("e2");
        });
      } catch (e) {
        t.log("caught", (e as Error).message, "context", ((e as Error).cause as Error).message);
      }
    }
    await runVirtual(main());
    const py = `
import asyncio, vtime
from contextlib import AsyncExitStack
lines = []
def log(*a): lines.append(" ".join(str(x) for x in a))
class Named:
    def __init__(self, name, suppress=False, fail=None):
        self.name, self.suppress, self.fail = name, suppress, fail
    async def __aenter__(self):
        log("enter", self.name)
        await asyncio.sleep(0.1)
        return self.name
    async def __aexit__(self, t, exc, tb):
        log("exit", self.name, "None" if exc is None else exc)
        await asyncio.sleep(0.1)
        if self.fail:
            raise self.fail
        return self.suppress
async def main():
    async with AsyncExitStack() as stack:
        for n in ["a", "b"]:
            await stack.enter_async_context(Named(n))
        stack.callback(lambda: log("cb"))
    r = None
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(Named("s", suppress=True))
        async def acb():
            log("async cb")
        stack.push_async_callback(acb)
        raise ValueError("e1")
    log("suppressed", r is None)
    try:
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(Named("x"))
            await stack.enter_async_context(Named("y", fail=RuntimeError("y failed")))
            raise ValueError("e2")
    except RuntimeError as e:
        log("caught", e, "context", e.__context__)
vtime.run(main())
print("\\n".join(lines))
`;
    expect(t.lines).toEqual(runPython(py));
  });
});
