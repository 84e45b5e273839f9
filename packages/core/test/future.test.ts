// biome-ignore-all lint/correctness/useYield: coroutines need not await (Python's `async def` without `await`).
import { afterEach, describe, expect, it } from "vitest";
import {
  type BaseEventLoop,
  CancelledError,
  ContextVar,
  type Coroutine,
  copyContext,
  Future,
  getRunningLoop,
  InvalidStateError,
  isFuture,
  RuntimeError,
} from "../src/index.js";
import { captureExceptions, collectUntil, freshLoop, hasGc, macrotask, runOn } from "./helpers.js";

let loops: BaseEventLoop[] = [];
function newLoop(): BaseEventLoop {
  const l = freshLoop();
  loops.push(l);
  return l;
}
afterEach(() => {
  for (const l of loops) if (!l.isRunning()) l.close();
  loops = [];
});

/** Run the loop until its ready queue has drained once more (callbacks scheduled so far ran). */
async function drain(loop: BaseEventLoop): Promise<void> {
  const f = loop.createFuture<void>();
  loop.callSoon(() => loop.callSoon(() => f.setResult(undefined)));
  await loop.runUntilComplete(f);
}

describe("Future: pending state", () => {
  it("is neither done nor cancelled", () => {
    const f = new Future<number>(newLoop());
    expect(f.done()).toBe(false);
    expect(f.cancelled()).toBe(false);
  });

  it("result() raises InvalidStateError('Result is not set.')", () => {
    const f = new Future<number>(newLoop());
    expect(() => f.result()).toThrow(InvalidStateError);
    expect(() => f.result()).toThrow("Result is not set.");
  });

  it("exception() raises InvalidStateError('Exception is not set.')", () => {
    const f = new Future<number>(newLoop());
    expect(() => f.exception()).toThrow(InvalidStateError);
    expect(() => f.exception()).toThrow("Exception is not set.");
  });

  it("getLoop() returns the loop it was made for", () => {
    const loop = newLoop();
    expect(new Future(loop).getLoop()).toBe(loop);
    expect(loop.createFuture().getLoop()).toBe(loop);
  });

  it("binds to the running loop when made without one inside a coroutine", async () => {
    const loop = newLoop();
    const seen = await runOn(
      loop,
      (function* (): Coroutine<unknown> {
        return new Future().getLoop();
      })(),
    );
    expect(seen).toBe(loop);
  });

  it("reads as <Future pending>", () => {
    expect(String(new Future(newLoop()))).toBe("<Future pending>");
  });
});

describe("Future: setResult", () => {
  it("makes the future done with that result and no exception", () => {
    const f = new Future<string>(newLoop());
    f.setResult("v");
    expect(f.done()).toBe(true);
    expect(f.cancelled()).toBe(false);
    expect(f.result()).toBe("v");
    expect(f.exception()).toBeNull();
    expect(String(f)).toBe('<Future finished result="v">');
  });

  it("a second setResult raises InvalidStateError('invalid state') and keeps the first", () => {
    const f = new Future<number>(newLoop());
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow("invalid state");
    expect(f.result()).toBe(1);
  });

  it("setException after setResult raises InvalidStateError('invalid state')", () => {
    const f = new Future<number>(newLoop());
    f.setResult(1);
    expect(() => f.setException(new Error("x"))).toThrow("invalid state");
    expect(f.exception()).toBeNull();
  });

  it("setResult after cancel raises InvalidStateError", () => {
    const f = new Future<number>(newLoop());
    f.cancel();
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect(f.cancelled()).toBe(true);
  });

  it("accepts undefined and null as results", () => {
    const a = new Future<undefined>(newLoop());
    a.setResult(undefined);
    expect(a.result()).toBeUndefined();
    const b = new Future<null>(newLoop());
    b.setResult(null);
    expect(b.result()).toBeNull();
  });
});

describe("Future: setException", () => {
  it("result() rethrows the very exception and exception() returns it", () => {
    const f = new Future<number>(newLoop());
    const e = new Error("boom");
    f.setException(e);
    expect(f.done()).toBe(true);
    expect(f.cancelled()).toBe(false);
    expect(f.exception()).toBe(e);
    let thrown: unknown;
    try {
      f.result();
    } catch (x) {
      thrown = x;
    }
    expect(thrown).toBe(e);
  });

  it("a second setException raises InvalidStateError('invalid state')", () => {
    const f = new Future<number>(newLoop());
    f.setException(new Error("a"));
    expect(() => f.setException(new Error("b"))).toThrow("invalid state");
    expect(() => f.setResult(1)).toThrow(InvalidStateError);
    expect((f.exception() as Error).message).toBe("a");
  });
});

describe("Future: cancel", () => {
  it("returns true, then the future is cancelled and done", () => {
    const f = new Future<number>(newLoop());
    expect(f.cancel()).toBe(true);
    expect(f.cancelled()).toBe(true);
    expect(f.done()).toBe(true);
    expect(String(f)).toBe("<Future cancelled>");
  });

  it("result() and exception() raise CancelledError", () => {
    const f = new Future<number>(newLoop());
    f.cancel();
    expect(() => f.result()).toThrow(CancelledError);
    expect(() => f.exception()).toThrow(CancelledError);
  });

  it("carries the cancel message into the CancelledError", () => {
    const f = new Future<number>(newLoop());
    f.cancel("stop now");
    expect(() => f.result()).toThrow("stop now");
    try {
      f.exception();
    } catch (e) {
      expect((e as CancelledError).message).toBe("stop now");
    }
  });

  it("without a message the CancelledError message is empty (Python's CancelledError())", () => {
    const f = new Future<number>(newLoop());
    f.cancel();
    try {
      f.result();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CancelledError);
      expect((e as Error).message).toBe("");
    }
  });

  it("returns false on a done future and leaves its outcome alone", () => {
    const f = new Future<number>(newLoop());
    f.setResult(3);
    expect(f.cancel()).toBe(false);
    expect(f.cancelled()).toBe(false);
    expect(f.result()).toBe(3);
    const g = new Future<number>(newLoop());
    g.cancel("first");
    expect(g.cancel("second")).toBe(false);
    expect(() => g.result()).toThrow("first");
  });
});

describe("Future: done callbacks", () => {
  it("are not called synchronously when the future completes", () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    const calls: unknown[] = [];
    f.addDoneCallback((x) => calls.push(x));
    f.setResult(1);
    expect(calls).toEqual([]);
  });

  it("run on the loop in registration order, each getting the future", async () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    const calls: string[] = [];
    let arg: unknown;
    f.addDoneCallback((x) => {
      arg = x;
      calls.push("a");
    });
    f.addDoneCallback(() => calls.push("b"));
    f.addDoneCallback(() => calls.push("c"));
    f.setResult(1);
    await drain(loop);
    expect(calls).toEqual(["a", "b", "c"]);
    expect(arg).toBe(f);
  });

  it("are scheduled with callSoon at completion time, behind what was already queued", async () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    const calls: string[] = [];
    f.addDoneCallback(() => calls.push("done-cb"));
    loop.callSoon(() => calls.push("before"));
    f.setResult(1);
    loop.callSoon(() => calls.push("after"));
    await drain(loop);
    expect(calls).toEqual(["before", "done-cb", "after"]);
  });

  it("run for cancellation and for exceptions too", async () => {
    const loop = newLoop();
    const a = new Future(loop);
    const b = new Future(loop);
    const calls: string[] = [];
    a.addDoneCallback((f) => calls.push(`a cancelled=${f.cancelled()}`));
    b.addDoneCallback((f) => calls.push(`b exc=${(f.exception() as Error).message}`));
    a.cancel();
    b.setException(new Error("E"));
    await drain(loop);
    expect(calls).toEqual(["a cancelled=true", "b exc=E"]);
  });

  it("added to an already-done future are still scheduled with callSoon, not called at once", async () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    f.setResult(1);
    const calls: string[] = [];
    loop.callSoon(() => calls.push("first"));
    f.addDoneCallback(() => calls.push("done-cb"));
    loop.callSoon(() => calls.push("last"));
    expect(calls).toEqual([]);
    await drain(loop);
    expect(calls).toEqual(["first", "done-cb", "last"]);
  });

  it("run in the context current when they were added, or an explicit one", async () => {
    const loop = newLoop();
    const v = new ContextVar<string>("v", { default: "default" });
    const f = new Future<number>(loop);
    const seen: string[] = [];
    const explicit = copyContext();
    explicit.run(() => v.set("explicit"));
    v.set("at-add");
    f.addDoneCallback(() => seen.push(v.get()));
    f.addDoneCallback(() => seen.push(v.get()), { context: explicit });
    v.set("later");
    f.setResult(1);
    await drain(loop);
    expect(seen).toEqual(["at-add", "explicit"]);
  });

  it("an exception in a done callback goes to the loop's exception handler", async () => {
    const loop = newLoop();
    const seen = captureExceptions(loop);
    const f = new Future<number>(loop);
    const err = new Error("cb failed");
    const calls: string[] = [];
    f.addDoneCallback(() => {
      throw err;
    });
    f.addDoneCallback(() => calls.push("next still runs"));
    f.setResult(1);
    await drain(loop);
    expect(calls).toEqual(["next still runs"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.exception).toBe(err);
    expect(seen[0]?.message).toMatch(/^Exception in callback/);
  });

  it("rejects a non-function with a TypeError", () => {
    const f = new Future(newLoop());
    expect(() => f.addDoneCallback(42 as unknown as () => void)).toThrow(TypeError);
  });
});

describe("Future: removeDoneCallback", () => {
  it("removes every registration of the callback and returns how many", async () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    const calls: string[] = [];
    const a = () => calls.push("a");
    const b = () => calls.push("b");
    f.addDoneCallback(a);
    f.addDoneCallback(b);
    f.addDoneCallback(a);
    expect(f.removeDoneCallback(a)).toBe(2);
    f.setResult(1);
    await drain(loop);
    expect(calls).toEqual(["b"]);
  });

  it("returns 0 for a callback that was never added", () => {
    const f = new Future<number>(newLoop());
    f.addDoneCallback(() => {});
    expect(f.removeDoneCallback(() => {})).toBe(0);
  });

  it("keeps the order of the remaining callbacks", async () => {
    const loop = newLoop();
    const f = new Future<number>(loop);
    const calls: string[] = [];
    const x = () => calls.push("x");
    f.addDoneCallback(() => calls.push("1"));
    f.addDoneCallback(x);
    f.addDoneCallback(() => calls.push("2"));
    f.addDoneCallback(() => calls.push("3"));
    expect(f.removeDoneCallback(x)).toBe(1);
    f.setResult(0);
    await drain(loop);
    expect(calls).toEqual(["1", "2", "3"]);
  });

  it("returns 0 once the future is done (its callbacks were already scheduled)", () => {
    const f = new Future<number>(newLoop());
    const a = () => {};
    f.addDoneCallback(a);
    f.setResult(1);
    expect(f.removeDoneCallback(a)).toBe(0);
  });
});

describe("Future: awaiting with yield*", () => {
  it("gives the result once another callback sets it", async () => {
    const loop = newLoop();
    const got = await runOn(
      loop,
      (function* (): Coroutine<number> {
        const f = getRunningLoop().createFuture<number>();
        getRunningLoop().callSoon(() => f.setResult(42));
        return yield* f;
      })(),
    );
    expect(got).toBe(42);
  });

  it("throws the future's exception at the await point", async () => {
    const loop = newLoop();
    const err = new Error("bad");
    const got = await runOn(
      loop,
      (function* (): Coroutine<unknown> {
        const f = getRunningLoop().createFuture<number>();
        getRunningLoop().callSoon(() => f.setException(err));
        try {
          yield* f;
          return "no throw";
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(got).toBe(err);
  });

  it("throws CancelledError (with the message) when the future is cancelled", async () => {
    const loop = newLoop();
    const got = await runOn(
      loop,
      (function* (): Coroutine<unknown> {
        const f = getRunningLoop().createFuture<number>();
        getRunningLoop().callSoon(() => f.cancel("gone"));
        try {
          yield* f;
          return "no throw";
        } catch (e) {
          return e;
        }
      })(),
    );
    expect(got).toBeInstanceOf(CancelledError);
    expect((got as Error).message).toBe("gone");
  });

  it("the await iterator yields the pending future once; resuming it while pending raises", () => {
    const f = new Future<number>(newLoop());
    const it = f[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    expect(first.value).toBe(f);
    expect(() => it.next()).toThrow(RuntimeError);
    expect(() => it.next()).toThrow("await wasn't used with future");
    f.setResult(3);
    expect(it.next()).toEqual({ value: 3, done: true });
  });

  it("awaiting an already-done future does not yield to the loop", async () => {
    const loop = newLoop();
    const order: string[] = [];
    await runOn(
      loop,
      (function* (): Coroutine<void> {
        const f = getRunningLoop().createFuture<number>();
        f.setResult(7);
        getRunningLoop().callSoon(() => order.push("callback"));
        const v = yield* f;
        order.push(`got ${v}`);
        yield;
        order.push("after a bare yield");
      })(),
    );
    expect(order).toEqual(["got 7", "callback", "after a bare yield"]);
  });
});

describe("Future: then (native await)", () => {
  it("resolves with the result, even while no loop is running", async () => {
    const f = new Future<number>(newLoop());
    queueMicrotask(() => f.setResult(5));
    await expect(f).resolves.toBe(5);
  });

  it("resolves at once for an already-done future", async () => {
    const f = new Future<string>(newLoop());
    f.setResult("x");
    expect(await f).toBe("x");
  });

  it("rejects with the future's exception", async () => {
    const f = new Future<number>(newLoop());
    const err = new Error("nope");
    f.setException(err);
    await expect(f).rejects.toBe(err);
  });

  it("rejects with CancelledError carrying the message when cancelled", async () => {
    const f = new Future<number>(newLoop());
    const p = (async () => await f)();
    f.cancel("why");
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await expect(p).rejects.toThrow("why");
  });

  it("chains like a Promise (then returns a Promise of the handler's value)", async () => {
    const f = new Future<number>(newLoop());
    f.setResult(2);
    const p = f.then((v) => v * 10);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(20);
    const g = new Future<number>(newLoop());
    g.setException(new Error("e"));
    expect(await g.then(null, (e) => (e as Error).message)).toBe("e");
  });

  it("works with Promise.all and Promise.race", async () => {
    const a = new Future<number>(newLoop());
    const b = new Future<number>(newLoop());
    const all = Promise.all([a, b]);
    b.setResult(2);
    a.setResult(1);
    expect(await all).toEqual([1, 2]);
  });
});

describe("isFuture", () => {
  it("is true for futures and tasks, false for promises and other values", async () => {
    const loop = newLoop();
    expect(isFuture(new Future(loop))).toBe(true);
    const t = loop.createTask((function* () {})());
    expect(isFuture(t)).toBe(true);
    expect(isFuture(Promise.resolve(1))).toBe(false);
    const thenable = Promise.resolve(2).then((v) => ({ v }));
    expect(isFuture(thenable)).toBe(false);
    expect(isFuture(null)).toBe(false);
    await loop.runUntilComplete(t);
  });
});

describe.skipIf(!hasGc)("Future exception was never retrieved", () => {
  it("is reported to the loop's exception handler when the future is collected", async () => {
    const loop = newLoop();
    const seen = captureExceptions(loop);
    const err = new Error("lost");
    (() => {
      new Future<number>(loop).setException(err);
    })();
    expect(await collectUntil(() => seen.length > 0)).toBe(true);
    expect(seen[0]?.message).toBe("Future exception was never retrieved");
    expect(seen[0]?.exception).toBe(err);
  });

  it("is not reported once exception(), result() or a native await looked at it", async () => {
    const loop = newLoop();
    const seen = captureExceptions(loop);
    const refs: WeakRef<object>[] = [];
    await (async () => {
      const a = new Future<number>(loop);
      a.setException(new Error("a"));
      a.exception();
      const b = new Future<number>(loop);
      b.setException(new Error("b"));
      expect(() => b.result()).toThrow("b");
      const c = new Future<number>(loop);
      c.setException(new Error("c"));
      await c.then(null, () => {});
      refs.push(new WeakRef(a), new WeakRef(b), new WeakRef(c));
    })();
    // Wait until all three were collected, so a report would have had its chance.
    expect(await collectUntil(() => refs.every((r) => r.deref() === undefined))).toBe(true);
    await macrotask();
    expect(seen).toEqual([]);
  });
});

describe("Future internals used by sibling packages", () => {
  it("a CancelledError made for a finished future carries no message (not its result)", () => {
    const loop = freshLoop();
    const f = new Future<number>(loop);
    f.setResult(42);
    expect(f._makeCancelledError().message).toBe("");
    loop.close();
  });
});

describe("Future exception retrieved by a native awaiter", () => {
  it.skipIf(!hasGc)("is not reported as never retrieved when `await fut` saw it", async () => {
    const loop = freshLoop();
    const seen = captureExceptions(loop);
    let ref!: WeakRef<Future<unknown>>;
    await (async () => {
      const fut = loop.createFuture<void>();
      ref = new WeakRef(fut);
      const p = fut.then(undefined, (e: unknown) => e);
      fut.setException(new Error("seen natively"));
      await p;
    })();
    expect(await collectUntil(() => ref.deref() === undefined)).toBe(true);
    await macrotask();
    expect(seen).toEqual([]);
    loop.close();
  });
});
