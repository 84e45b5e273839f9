// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { hasPython, runPython, trace } from "@asyncio-ts/test-utils";
import { describe, expect, expectTypeOf, it } from "vitest";
import { runVirtual } from "../../testing/src/index.js";
import {
  type AsyncContextManager,
  asyncWith,
  CancelledError,
  type Coroutine,
  createTask,
  RuntimeError,
} from "../src/index.js";
import { sleep } from "./helpers.js";

type Log = (...parts: unknown[]) => void;

/** A manager that logs its calls; `suppress` is what aexit returns, `failExit` makes it throw. */
function manager(
  log: Log,
  name: string,
  options: { suppress?: boolean; failExit?: Error; failEnter?: Error; pause?: boolean } = {},
): AsyncContextManager<string> {
  return {
    *aenter() {
      log(`${name} enter`);
      if (options.pause) yield* sleep(0.1);
      if (options.failEnter) throw options.failEnter;
      return `${name}-value`;
    },
    *aexit(exc: unknown) {
      log(`${name} exit`, exc === null ? "None" : (exc as Error).name);
      if (options.pause) yield* sleep(0.1);
      if (options.failExit) throw options.failExit;
      return options.suppress ?? false;
    },
  };
}

describe("asyncWith (async with)", () => {
  it("enters, runs the body with aenter's value, exits with null, and returns the result", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        return yield* asyncWith(manager(t.log, "cm", { pause: true }), function* (v) {
          t.log("body", v);
          yield* sleep(1);
          return 7;
        });
      })(),
    );
    expect(r).toBe(7);
    expect(t.lines).toEqual(["cm enter", "body cm-value", "cm exit None"]);
  });

  it("calls aexit with the error and rethrows it when aexit returns false", async () => {
    const t = trace();
    const boom = new RangeError("boom");
    const err = await runVirtual(
      (function* () {
        yield* asyncWith(manager(t.log, "cm"), function* () {
          throw boom;
        });
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(t.lines).toEqual(["cm enter", "cm exit RangeError"]);
  });

  it("suppresses the error when aexit returns true, giving undefined", async () => {
    const t = trace();
    const r = await runVirtual(
      (function* () {
        const inner = yield* asyncWith(manager(t.log, "cm", { suppress: true }), function* () {
          throw new Error("swallowed");
        });
        t.log("after", String(inner));
        return "done";
      })(),
    );
    expect(r).toBe("done");
    expect(t.lines).toEqual(["cm enter", "cm exit Error", "after undefined"]);
  });

  it("replaces the body's error with aexit's, which gets the body's as its cause", async () => {
    const t = trace();
    const original = new Error("in body");
    const fromExit = new TypeError("in aexit");
    const err = await runVirtual(
      (function* () {
        yield* asyncWith(manager(t.log, "cm", { failExit: fromExit }), function* () {
          throw original;
        });
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBe(fromExit);
    expect(fromExit.cause).toBe(original);
    // An error that already has a cause keeps it.
    const own = new Error("own cause", { cause: "mine" });
    const err2 = await runVirtual(
      (function* () {
        yield* asyncWith(manager(t.log, "cm2", { failExit: own }), function* () {
          throw original;
        });
      })(),
    ).catch((e: unknown) => e);
    expect((err2 as Error).cause).toBe("mine");
  });

  it("an error in aexit after a clean body propagates as is", async () => {
    const t = trace();
    const fromExit = new Error("exit failed");
    const err = await runVirtual(
      (function* () {
        return yield* asyncWith(manager(t.log, "cm", { failExit: fromExit }), function* () {
          return 1;
        });
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBe(fromExit);
    expect(Object.hasOwn(fromExit, "cause")).toBe(false);
  });

  it("does not call aexit when aenter fails, nor run the body", async () => {
    const t = trace();
    const bad = new Error("cannot enter");
    const err = await runVirtual(
      (function* () {
        yield* asyncWith(manager(t.log, "cm", { failEnter: bad }), function* () {
          t.log("body");
        });
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBe(bad);
    expect(t.lines).toEqual(["cm enter"]);
  });

  it("runs aexit with the CancelledError when the task is cancelled in the body", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const task = createTask(
          asyncWith(manager(t.log, "cm", { pause: true }), function* () {
            t.log("body waits");
            yield* sleep(10);
            t.log("never");
          }),
        );
        yield* sleep(1);
        task.cancel();
        try {
          yield* task;
        } catch (e) {
          t.log("task", (e as Error).name, task.cancelled());
        }
      })(),
    );
    expect(t.lines).toEqual([
      "cm enter",
      "body waits",
      "cm exit CancelledError",
      "task CancelledError True",
    ]);
  });

  it("lets aexit suppress a cancellation (the task then goes on)", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        const task = createTask(
          (function* () {
            yield* asyncWith(manager(t.log, "cm", { suppress: true }), function* () {
              yield* sleep(10);
            });
            t.log("after the scope");
            return "finished";
          })(),
        );
        yield* sleep(1);
        task.cancel();
        t.log("result", yield* task, task.cancelling());
      })(),
    );
    expect(t.lines).toEqual([
      "cm enter",
      "cm exit CancelledError",
      "after the scope",
      "result finished 1",
    ]);
  });

  it("nests: inner exits before outer, in reverse order of entry", async () => {
    const t = trace();
    await runVirtual(
      (function* () {
        yield* asyncWith(manager(t.log, "outer"), function* (a) {
          yield* asyncWith(manager(t.log, "inner"), function* (b) {
            t.log("body", a, b);
          });
        });
      })(),
    );
    expect(t.lines).toEqual([
      "outer enter",
      "inner enter",
      "body outer-value inner-value",
      "inner exit None",
      "outer exit None",
    ]);
  });

  it("accepts aenter/aexit returning a Future", async () => {
    const r = await runVirtual(
      (function* () {
        const cm: AsyncContextManager<number, false> = {
          aenter: () => {
            const f = createTask(
              (function* () {
                return 5;
              })(),
            );
            return f;
          },
          *aexit() {
            return false;
          },
        };
        return yield* asyncWith(cm, function* (v) {
          return v * 2;
        });
      })(),
    );
    expect(r).toBe(10);
  });

  it("refuses a non-manager and a bad body at the call, with TypeErrors that say why", () => {
    const body = function* () {};
    expect(() => asyncWith({ aenter() {} } as never, body)).toThrow(
      "Expected `cm` to be an asynchronous context manager (an object with aenter() and aexit() methods), got `[Object]`",
    );
    expect(() => asyncWith(null as never, body)).toThrow(TypeError);
    expect(() =>
      asyncWith(
        manager(() => {}, "cm"),
        42 as never,
      ),
    ).toThrow("Expected `body` of asyncWith() to be a generator function, got `42` (number)");
  });

  it("refuses an aenter that returns a Promise or a plain value, when entered", async () => {
    const promised = {
      aenter: async () => 1,
      *aexit() {
        return false;
      },
    };
    const err = await runVirtual(
      (function* () {
        yield* asyncWith(promised as never, function* () {});
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(
      /^'asyncWith' received an object from aenter\(\) that is not awaitable: `\[Promise\]` \(write it as a generator method/,
    );
    const plain = { aenter: () => 3, aexit: () => false };
    const err2 = await runVirtual(
      (function* () {
        yield* asyncWith(plain as never, function* () {});
      })(),
    ).catch((e: unknown) => e);
    expect((err2 as Error).message).toBe(
      "'asyncWith' received an object from aenter() that is not awaitable: `3`",
    );
  });

  it("refuses a body that returns a Promise", async () => {
    const err = await runVirtual(
      (function* () {
        yield* asyncWith(
          manager(() => {}, "cm"),
          (async () => 1) as never,
        );
      })(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toContain("The body of asyncWith() must return a coroutine");
  });

  it("types: a manager that never suppresses gives R, one that may gives R | undefined", () => {
    const never: AsyncContextManager<string, false> = {
      *aenter() {
        return "x";
      },
      *aexit() {
        return false;
      },
    };
    const may: AsyncContextManager<string> = manager(() => {}, "cm");
    expectTypeOf(
      asyncWith(never, function* (v) {
        expectTypeOf(v).toEqualTypeOf<string>();
        return 1;
      }),
    ).toEqualTypeOf<Coroutine<number>>();
    expectTypeOf(
      asyncWith(may, function* () {
        return 1;
      }),
    ).toEqualTypeOf<Coroutine<number | undefined>>();
  });
});

describe("oracle: asyncWith orders enter, body, exit and cleanup as CPython's async with", () => {
  it.skipIf(!hasPython)("success, error, suppression, aexit raising, cancellation", async () => {
    const t = trace();
    function* main(): Coroutine<void> {
      const cm = (name: string, suppress: boolean, raiseInExit: boolean) =>
        ({
          *aenter() {
            t.log("enter", name);
            yield* sleep(0.1);
            return name.toUpperCase();
          },
          *aexit(exc: unknown) {
            t.log("exit", name, exc === null ? "None" : (exc as Error).name);
            yield* sleep(0.1);
            if (raiseInExit) throw new RuntimeError(`from exit ${name}`);
            return suppress;
          },
        }) satisfies AsyncContextManager<string>;
      t.log(
        "r1",
        yield* asyncWith(cm("a", false, false), function* (v) {
          t.log("body", v);
          return 1;
        }),
      );
      try {
        yield* asyncWith(cm("b", false, false), function* () {
          throw new RangeError("b failed");
        });
      } catch (e) {
        t.log("caught", (e as Error).name, (e as Error).message);
      }
      t.log(
        "r3",
        String(
          yield* asyncWith(cm("c", true, false), function* () {
            throw new RangeError("c failed");
          }),
        ),
      );
      try {
        yield* asyncWith(cm("d", false, true), function* () {
          throw new RangeError("d failed");
        });
      } catch (e) {
        t.log("caught", (e as Error).message, "context", ((e as Error).cause as Error).message);
      }
      const task = createTask(
        asyncWith(cm("e", false, false), function* () {
          try {
            yield* sleep(5);
          } finally {
            t.log("body finally");
          }
        }),
      );
      yield* sleep(1);
      task.cancel();
      try {
        yield* task;
      } catch (e) {
        t.log("task", e instanceof CancelledError);
      }
    }
    await runVirtual(main());
    const py = `
import asyncio, vtime
lines = []
def log(*a): lines.append(" ".join(str(x) for x in a))
class CM:
    def __init__(self, name, suppress, raise_in_exit):
        self.name, self.suppress, self.raise_in_exit = name, suppress, raise_in_exit
    async def __aenter__(self):
        log("enter", self.name)
        await asyncio.sleep(0.1)
        return self.name.upper()
    async def __aexit__(self, t, exc, tb):
        log("exit", self.name, "None" if exc is None else {"ValueError": "RangeError"}.get(type(exc).__name__, type(exc).__name__))
        await asyncio.sleep(0.1)
        if self.raise_in_exit:
            raise RuntimeError(f"from exit {self.name}")
        return self.suppress
async def main():
    async with CM("a", False, False) as v:
        log("body", v)
        r1 = 1
    log("r1", r1)
    try:
        async with CM("b", False, False):
            raise ValueError("b failed")
    except ValueError as e:
        log("caught", "RangeError", e)
    r3 = None
    async with CM("c", True, False):
        raise ValueError("c failed")
    log("r3", "undefined" if r3 is None else r3)
    try:
        async with CM("d", False, True):
            raise ValueError("d failed")
    except RuntimeError as e:
        log("caught", e, "context", e.__context__)
    async def body():
        async with CM("e", False, False):
            try:
                await asyncio.sleep(5)
            finally:
                log("body finally")
    task = asyncio.create_task(body())
    await asyncio.sleep(1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log("task", True)
    print("\\n".join(lines))
vtime.run(main())
`;
    expect(t.lines).toEqual(runPython(py));
  });
});
