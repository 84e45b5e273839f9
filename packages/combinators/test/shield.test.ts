import { CancelledError, type Coroutine, createTask, getRunningLoop } from "@asyncio-ts/core";
import { runVirtual } from "@asyncio-ts/testing";
import { sleep } from "@asyncio-ts/time";
import { describe, expect, it } from "vitest";
import { shield } from "../src/index.js";
import { now, thrown } from "./helpers.js";

// Core's "log the exception if never retrieved" flag (Future's F_LOG_TRACEBACK).
const F_LOG_TRACEBACK = 4;

function* fail(delay: number): Coroutine<never> {
  yield* sleep(delay);
  throw new Error("inner failed");
}

describe("shield", () => {
  it("gives the inner result", async () => {
    const r = await runVirtual(
      (function* () {
        return [yield* shield(sleep(0.1, "coro")), yield* shield(createTask(sleep(0.1, "task")))];
      })(),
    );
    expect(r).toEqual(["coro", "task"]);
  });

  it("keeps the inner task running when the caller is cancelled", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(sleep(1, "finished"));
        const caller = createTask(
          (function* () {
            return yield* shield(inner);
          })(),
        );
        yield* sleep(0.1);
        caller.cancel("caller only");
        const e = yield* thrown(caller);
        const innerDone = inner.done();
        return { e, innerDone, inner: yield* inner, t: now() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    expect((r.e as Error).message).toBe("caller only");
    expect(r.innerDone).toBe(false);
    expect(r.inner).toBe("finished");
    expect(r.t).toBe(1);
  });

  it("is cancelled when the inner task is", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(sleep(1));
        const outer = shield(inner);
        yield* sleep(0.1);
        inner.cancel("inner msg");
        const e = yield* thrown(outer);
        return { e, cancelled: outer.cancelled() };
      })(),
    );
    expect(r.e).toBeInstanceOf(CancelledError);
    // As Python: the outer future is cancelled without the inner's message.
    expect((r.e as Error).message).toBe("");
    expect(r.cancelled).toBe(true);
  });

  it("raises the inner error", async () => {
    const r = await runVirtual(
      (function* () {
        return yield* thrown(shield(fail(0.1)));
      })(),
    );
    expect((r as Error).message).toBe("inner failed");
  });

  it("returns the inner future itself when it is already done", async () => {
    const r = await runVirtual(
      // biome-ignore lint/correctness/useYield: a coroutine need not await (Python's `async def` without `await`).
      (function* () {
        const f = getRunningLoop().createFuture<number>();
        f.setResult(1);
        return shield(f) === f;
      })(),
    );
    expect(r).toBe(true);
  });

  it("retrieves an inner error that lands as the outer is cancelled", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = getRunningLoop().createFuture<number>();
        const outer = shield(inner);
        outer.cancel();
        inner.setException(new Error("unwanted"));
        yield* sleep(0);
        // No "exception was never retrieved" report: shield retrieved it, as in Python.
        return inner._flags & F_LOG_TRACEBACK;
      })(),
    );
    expect(r).toBe(0);
  });

  it("leaves a later inner error unretrieved, to be reported (as Python)", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = createTask(fail(0.2));
        const outer = shield(inner);
        yield* sleep(0.1);
        outer.cancel();
        yield* sleep(0.2);
        const flags = inner._flags & F_LOG_TRACEBACK;
        inner.exception();
        return flags;
      })(),
    );
    expect(r).toBe(F_LOG_TRACEBACK);
  });

  it("stops listening to the inner future once the outer one is cancelled", async () => {
    const r = await runVirtual(
      (function* () {
        const inner = getRunningLoop().createFuture<number>();
        const outer = shield(inner);
        const listening = inner._callbacks !== null;
        outer.cancel();
        yield* sleep(0);
        const after = inner._callbacks;
        inner.setResult(1);
        return { listening, after };
      })(),
    );
    expect(r).toEqual({ listening: true, after: null });
  });

  it("rejects something that is not awaitable", async () => {
    await runVirtual(
      (function* () {
        expect(() => shield(42 as never)).toThrow(
          new TypeError("An asyncio.Future, a coroutine or an awaitable is required"),
        );
        yield* sleep(0);
      })(),
    );
  });
});
